import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_READY_TIMEOUT_MS, loadConfig, type RunFlags } from '../../harness/config/config.js';
import { HarnessError } from '../../harness/errors.js';
import { imageTagFor } from '../../harness/config/image-tag.js';

let root: string;
let counter = 0;
const FILE = 'wh-conformance.config.json';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'whc-container-config-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh directory with a JSON config file holding `config` (none when undefined). */
async function project(config?: unknown): Promise<string> {
  const dir = join(root, `case-${++counter}`);
  await mkdir(dir, { recursive: true });
  if (config !== undefined) await writeFile(join(dir, FILE), JSON.stringify(config));
  return dir;
}

async function errorOf(flags: RunFlags, cwd: string): Promise<string> {
  const error: unknown = await loadConfig(flags, cwd).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HarnessError);
  return error instanceof HarnessError ? error.message : '';
}

describe('image targets in the config file', () => {
  it('an image alone: published port (bridge), no command override', async () => {
    const config = await loadConfig({}, await project({ target: { image: 'my/listener:1.4' } }));
    expect(config.target).toEqual({ kind: 'container', image: 'my/listener:1.4', env: {}, network: 'bridge', readyTimeoutMs: DEFAULT_READY_TIMEOUT_MS });
  });

  it('command (exec form), env, port, host network, readiness deadline', async () => {
    const target = { image: 'my/listener:1.4', command: ['node', 'dist/server.js'], env: { LOG: 'warn' }, port: 9443, network: 'host', readyTimeoutMs: 20_000 };
    const config = await loadConfig({}, await project({ target }));
    expect(config.target).toEqual({ kind: 'container', ...target });
  });

  it('a command string is the shell form, as in a Dockerfile', async () => {
    const config = await loadConfig({}, await project({ target: { image: 'x', command: 'node server.js --verbose' } }));
    expect(config.target).toMatchObject({ kind: 'container', command: ['/bin/sh', '-c', 'node server.js --verbose'] });
  });

  it('a Dockerfile relative to the config file, its folder as the context, built under a stable tag', async () => {
    const dir = await project({ target: { dockerfile: 'listener/Dockerfile' } });
    const config = await loadConfig({}, dir);
    const build = { dockerfile: join(dir, 'listener/Dockerfile'), context: join(dir, 'listener') };
    expect(config.target).toMatchObject({ kind: 'container', build, image: imageTagFor(build), network: 'bridge' });
    expect(imageTagFor(build)).toMatch(/^wh-conformance\/listener:[0-9a-f]{12}$/);
    expect((await loadConfig({}, dir)).target).toMatchObject({ image: imageTagFor(build) });
  });

  it('a Dockerfile with its own context', async () => {
    const dir = await project({ target: { dockerfile: 'docker/listener.Dockerfile', context: '.' } });
    const config = await loadConfig({}, dir);
    expect(config.target).toMatchObject({ build: { dockerfile: join(dir, 'docker/listener.Dockerfile'), context: dir } });
  });

  it('imageTagFor: a different context or Dockerfile is a different tag; odd folder names become valid ones', () => {
    const a = imageTagFor({ context: '/p/My App', dockerfile: '/p/My App/Dockerfile' });
    expect(a).toMatch(/^wh-conformance\/my-app:[0-9a-f]{12}$/);
    expect(imageTagFor({ context: '/q/My App', dockerfile: '/q/My App/Dockerfile' })).not.toBe(a);
    expect(imageTagFor({ context: '/p/My App', dockerfile: '/p/My App/Dockerfile.dev' })).not.toBe(a);
    expect(imageTagFor({ context: '/', dockerfile: '/Dockerfile' })).toMatch(/^wh-conformance\/listener:/);
  });
});

describe('image flags over the file', () => {
  it('--image replaces a file command and cwd; --network sets the mode', async () => {
    const dir = await project({ target: { command: 'node server.js', cwd: 'app', env: { A: '1' } } });
    const config = await loadConfig({ image: 'my/listener:2', network: 'host' }, dir);
    expect(config.target).toEqual({ kind: 'container', image: 'my/listener:2', env: { A: '1' }, network: 'host', readyTimeoutMs: DEFAULT_READY_TIMEOUT_MS });
  });

  it('--image with --command: the command overrides the image\'s, through /bin/sh', async () => {
    const config = await loadConfig({ image: 'my/listener:2', command: 'node other.js' }, await project());
    expect(config.target).toMatchObject({ kind: 'container', image: 'my/listener:2', command: ['/bin/sh', '-c', 'node other.js'] });
  });

  it('--command replaces a file image (and its network); --url replaces a file Dockerfile', async () => {
    const dir = await project({ target: { image: 'my/listener:1', network: 'host' } });
    expect((await loadConfig({ command: 'node server.js' }, dir)).target).toMatchObject({ kind: 'process', command: 'node server.js' });
    const built = await project({ target: { dockerfile: 'Dockerfile', context: '.' } });
    expect((await loadConfig({ url: 'https://127.0.0.1:8443', certs: 'kit' }, built)).target).toMatchObject({ kind: 'url' });
  });
});

describe('image target mistakes: one line naming the field and the fix', () => {
  it.each([
    [{ image: 'a', dockerfile: 'Dockerfile' }, 'target: expected `image` or `dockerfile`, not both'],
    [{ image: 'a', url: 'https://127.0.0.1:8443', certs: 'kit' }, 'target: expected `image`/`dockerfile` or `url`, not both'],
    [{ command: 'node x.js', network: 'host' }, 'target.network: `network` is for `image` and `dockerfile` targets'],
    [{ command: ['node', 'x.js'] }, 'target.command: expected a shell command string: a list (the exec form) is for `image` and `dockerfile` targets'],
    [{ image: 'a', cwd: 'app' }, 'target.cwd: `cwd` is for `command` targets: an image sets its own WORKDIR'],
    [{ image: 'a', context: '.' }, 'target.context: `context` is for `dockerfile` targets'],
    [{ image: 'a', network: 'overlay' }, 'target.network: expected one of bridge, host, got "overlay"'],
    [{ image: '' }, 'target.image: expected an image name, got ""'],
    [{ image: 'a', command: [] }, 'target.command: expected a non-empty list, got []'],
  ])('%j', async (target, message) => {
    expect(await errorOf({}, await project({ target }))).toBe(`${FILE}: ${message}`);
  });

  it('--network on a command target names the flag', async () => {
    expect(await errorOf({ command: 'node x.js', network: 'host' }, await project())).toBe('--network: `network` is for `image` and `dockerfile` targets');
  });
});
