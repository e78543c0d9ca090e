import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCacheDir, DEFAULT_READY_TIMEOUT_MS, loadConfig, type ResolvedConfig, type RunFlags } from '../../harness/config/config.js';
import { HarnessError } from '../../harness/errors.js';

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'whc-config-test-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh directory holding the given files (relative name → content). */
async function dirWith(files: Record<string, string> = {}): Promise<string> {
  const dir = join(root, `case-${++counter}`);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

const json = (value: unknown) => JSON.stringify(value);

/** The HarnessError message loadConfig throws; fails the test if it resolves or throws anything else. */
async function errorOf(flags: RunFlags, cwd: string): Promise<string> {
  const error: unknown = await loadConfig(flags, cwd).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HarnessError);
  const message = error instanceof HarnessError ? error.message : '';
  expect(message).not.toMatch(/[\r\n]/);
  expect(message.length).toBeGreaterThan(0);
  return message;
}

/** Every field a config gets when it says nothing but its target. */
function defaultsIn(dir: string): Omit<ResolvedConfig, 'source' | 'target'> {
  return {
    path: '/webhook',
    tls: true,
    mtls: true,
    strict: false,
    profile: 'standard-webhooks',
    profiles: ['standard-webhooks'],
    capabilities: [],
    include: [],
    exclude: [],
    reporters: ['console'],
    outputDir: join(dir, 'wh-conformance-report'),
    timeoutMs: 5000,
    runTimeoutMs: 600_000,
    drills: false,
    repeat: 1,
    toleranceSeconds: 300,
    keepCerts: false,
    baseline: null,
    updateBaseline: false,
    own: { serverTrust: { kind: 'kit' } },
  };
}

describe('loadConfig: file formats', () => {
  it('loads a .ts config with TypeScript syntax', async () => {
    const dir = await dirWith({
      'wh-conformance.config.ts': [
        'interface Target { command: string; port: number }',
        "const target: Target = { command: 'node ts-server.js', port: 8443 };",
        "export default { target, profile: 'none' as const };",
      ].join('\n'),
    });
    const config = await loadConfig({}, dir);
    expect(config.source).toBe(join(dir, 'wh-conformance.config.ts'));
    expect(config.target).toEqual({ kind: 'process', command: 'node ts-server.js', cwd: dir, env: {}, port: 8443, readyTimeoutMs: DEFAULT_READY_TIMEOUT_MS });
    expect(config.profile).toBeNull();
  });

  /** Runs `body` with XDG_CACHE_HOME set to `cacheHome`, restoring it after. */
  async function withCacheHome(cacheHome: string, body: () => Promise<void>): Promise<void> {
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cacheHome;
    try {
      await body();
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  }
  const tsConfig = (command: string) => `const command: string = '${command}';\nexport default { target: { command } };`;

  it("keeps a .ts config's transform in the user's cache, keyed by its source", async () => {
    const cache = await dirWith();
    await withCacheHome(cache, async () => {
      const dir = await dirWith({ 'wh-conformance.config.ts': tsConfig('first') });
      expect(await loadConfig({}, dir)).toMatchObject({ target: { command: 'first' } });
      const jitiDir = join(cache, 'wh-conformance', 'jiti');
      expect(await readdir(jitiDir)).toHaveLength(1);
      expect((await stat(jitiDir)).mode & 0o777).toBe(0o700);
      // An edited config is transformed again, not read from the cache.
      await writeFile(join(dir, 'wh-conformance.config.ts'), tsConfig('second'));
      expect(await loadConfig({}, dir)).toMatchObject({ target: { command: 'second' } });
    });
  });

  it('loads a .ts config without a disk cache where none can be made', async () => {
    const blocked = join(await dirWith({ 'not-a-dir': '' }), 'not-a-dir');
    expect(configCacheDir({ XDG_CACHE_HOME: blocked })).toBe(false);
    await withCacheHome(blocked, async () => {
      expect(await loadConfig({}, await dirWith({ 'wh-conformance.config.ts': tsConfig('uncached') }))).toMatchObject({ target: { command: 'uncached' } });
    });
  });

  it('loads .mjs, .js and .json configs', async () => {
    for (const [name, text] of [
      ['wh-conformance.config.mjs', "export default { target: { command: 'node mjs.js' } };"],
      ['wh-conformance.config.js', "export default { target: { command: 'node js.js' } };"],
      ['wh-conformance.config.json', json({ target: { command: 'node json.js' } })],
    ] as const) {
      const dir = await dirWith({ [name]: text });
      const config = await loadConfig({}, dir);
      expect(config.source).toBe(join(dir, name));
      expect(config.target).toMatchObject({ kind: 'process', command: `node ${name.split('.').pop()}.js` });
    }
  });

  it('discovers ts, then mjs, then js, then json', async () => {
    const files = {
      'wh-conformance.config.ts': "export default { target: { command: 'from-ts' } };",
      'wh-conformance.config.mjs': "export default { target: { command: 'from-mjs' } };",
      'wh-conformance.config.js': "export default { target: { command: 'from-js' } };",
      'wh-conformance.config.json': json({ target: { command: 'from-json' } }),
    };
    const dir = await dirWith(files);
    const commands: string[] = [];
    for (const name of Object.keys(files)) {
      const config = await loadConfig({}, dir);
      commands.push(config.target.kind === 'process' ? config.target.command : config.target.kind);
      await rm(join(dir, name));
    }
    expect(commands).toEqual(['from-ts', 'from-mjs', 'from-js', 'from-json']);
  });

  it('--config loads that file (relative to the cwd) instead of discovering one', async () => {
    const dir = await dirWith({
      'wh-conformance.config.ts': "export default { target: { command: 'discovered' } };",
      'ci/other.json': json({ target: { command: 'chosen' } }),
    });
    const config = await loadConfig({ config: 'ci/other.json' }, dir);
    expect(config.source).toBe(join(dir, 'ci/other.json'));
    expect(config.target).toMatchObject({ kind: 'process', command: 'chosen', cwd: join(dir, 'ci') });
  });

  it('runs from flags alone when there is no file', async () => {
    const dir = await dirWith();
    const config = await loadConfig({ command: 'node server.js' }, dir);
    expect(config).toEqual({
      source: null,
      target: { kind: 'process', command: 'node server.js', cwd: dir, env: {}, readyTimeoutMs: DEFAULT_READY_TIMEOUT_MS },
      ...defaultsIn(dir),
    } satisfies ResolvedConfig);
  });
});

describe('loadConfig: values and defaults', () => {
  it('fills the defaults for a minimal file, relative to the file', async () => {
    const dir = await dirWith({ 'wh-conformance.config.json': json({ target: { command: 'x' } }) });
    const config = await loadConfig({}, dir);
    expect(config).toMatchObject(defaultsIn(dir));
    expect(config.target).toEqual({ kind: 'process', command: 'x', cwd: dir, env: {}, readyTimeoutMs: 10_000 });
  });

  it('keeps every field a file sets', async () => {
    const dir = await dirWith({
      'wh-conformance.config.json': json({
        target: { command: 'x', env: { A: '1' }, port: 9000, path: '/in', readyTimeoutMs: 1234 },
        mtls: false,
        profile: 'standard-webhooks',
        capabilities: ['crl', 'ocsp', 'crl'],
        include: ['mtls.*'],
        exclude: ['mtls.expired'],
        reporters: ['json', 'console', 'junit'],
        timeoutMs: 700,
        toleranceSeconds: 60,
      }),
    });
    const config = await loadConfig({ keepCerts: true }, dir);
    expect(config).toMatchObject({
      target: { kind: 'process', command: 'x', cwd: dir, env: { A: '1' }, port: 9000, readyTimeoutMs: 1234 },
      path: '/in',
      mtls: false,
      capabilities: ['crl', 'ocsp'],
      include: ['mtls.*'],
      exclude: ['mtls.expired'],
      reporters: ['console', 'json', 'junit'],
      timeoutMs: 700,
      toleranceSeconds: 60,
      keepCerts: true,
    });
  });

  it('a url target takes its origin, and its path unless `path` is set', async () => {
    const dir = await dirWith();
    const fromUrl = await loadConfig({ url: 'https://127.0.0.1:8443/hooks/in', certs: 'kit' }, dir);
    expect(fromUrl.target).toMatchObject({ kind: 'url', url: 'https://127.0.0.1:8443', certs: join(dir, 'kit') });
    expect(fromUrl.path).toBe('/hooks/in');
    expect(fromUrl.mtls).toBe(true);
    const explicit = await loadConfig({ url: 'https://localhost:8443/hooks/in', certs: 'kit', path: '/other' }, dir);
    expect(explicit.path).toBe('/other');
    const bare = await loadConfig({ url: 'https://[::1]:8443', certs: 'kit' }, dir);
    expect(bare.path).toBe('/webhook');
  });

  it('a plain-http url turns mTLS off', async () => {
    const dir = await dirWith();
    expect((await loadConfig({ url: 'http://localhost:8080', certs: 'kit' }, dir)).mtls).toBe(false);
  });
});

describe('loadConfig: flags over the file', () => {
  const processFile = json({ target: { command: 'node file.js', cwd: 'app', env: { A: '1' }, port: 8080 }, profile: 'standard-webhooks', reporters: ['json'], include: ['sig.*'] });
  const urlFile = json({ target: { url: 'https://127.0.0.1:8443', certs: 'kit' } });

  it('--url replaces the file command (and its cwd, env, port)', async () => {
    const dir = await dirWith({ 'wh-conformance.config.json': processFile });
    const config = await loadConfig({ url: 'https://127.0.0.1:9443', certs: 'flag-kit' }, dir);
    expect(config.target).toEqual({ kind: 'url', url: 'https://127.0.0.1:9443', certs: join(dir, 'flag-kit'), readyTimeoutMs: expect.any(Number), servername: 'localhost' });
  });

  it('--command replaces the file url and certs', async () => {
    const dir = await dirWith({ 'wh-conformance.config.json': urlFile });
    const config = await loadConfig({ command: 'node flag.js' }, dir);
    expect(config.target).toEqual({ kind: 'process', command: 'node flag.js', cwd: dir, env: {}, readyTimeoutMs: DEFAULT_READY_TIMEOUT_MS });
  });

  it('--command keeps the rest of the file target', async () => {
    const dir = await dirWith({ 'wh-conformance.config.json': processFile });
    const config = await loadConfig({ command: 'node flag.js' }, dir);
    expect(config.target).toMatchObject({ kind: 'process', command: 'node flag.js', cwd: join(dir, 'app'), env: { A: '1' }, port: 8080 });
  });

  it('--port, --profile, --no-mtls, --reporter, --include, --exclude, --capabilities, --timeout override', async () => {
    const dir = await dirWith({ 'wh-conformance.config.json': processFile });
    const config = await loadConfig(
      {
        port: '9001',
        profile: 'none',
        mtls: false,
        reporter: ['junit'],
        include: ['mtls.*'],
        exclude: ['mtls.expired'],
        capabilities: 'crl, ocsp,,crl',
        timeout: '250',
      },
      dir,
    );
    expect(config).toMatchObject({
      target: { port: 9001 },
      profile: null,
      mtls: false,
      reporters: ['console', 'junit'],
      include: ['mtls.*'],
      exclude: ['mtls.expired'],
      capabilities: ['crl', 'ocsp'],
      timeoutMs: 250,
    });
  });

  it('--reporter accepts comma lists and repeats, console always first and once', async () => {
    const dir = await dirWith();
    const config = await loadConfig({ command: 'x', reporter: ['json,junit', 'console', 'json'] }, dir);
    expect(config.reporters).toEqual(['console', 'json', 'junit']);
  });

  it('mtls: true from flags does not override a file that turns mTLS off', async () => {
    const dir = await dirWith({ 'wh-conformance.config.json': json({ target: { command: 'x' }, mtls: false }) });
    expect((await loadConfig({ mtls: true }, dir)).mtls).toBe(false);
  });

  it('empty include/exclude/reporter flags keep the file values', async () => {
    const dir = await dirWith({ 'wh-conformance.config.json': processFile });
    const config = await loadConfig({ include: [], exclude: [], reporter: [] }, dir);
    expect(config.include).toEqual(['sig.*']);
    expect(config.reporters).toEqual(['console', 'json']);
  });
});

describe('loadConfig: relative paths', () => {
  it('file paths resolve against the file’s folder, flag paths against the cwd', async () => {
    const dir = await dirWith({
      'conf/wh-conformance.config.json': json({ target: { command: 'x', cwd: 'app' }, outputDir: 'out' }),
      'conf/url.json': json({ target: { url: 'https://127.0.0.1:8443', certs: 'kit' } }),
    });
    const fromFile = await loadConfig({ config: 'conf/wh-conformance.config.json' }, dir);
    expect(fromFile.target).toMatchObject({ cwd: join(dir, 'conf/app') });
    expect(fromFile.outputDir).toBe(join(dir, 'conf/out'));

    const fromFlags = await loadConfig({ config: 'conf/wh-conformance.config.json', cwd: 'app2', out: 'out2' }, dir);
    expect(fromFlags.target).toMatchObject({ cwd: join(dir, 'app2') });
    expect(fromFlags.outputDir).toBe(join(dir, 'out2'));

    expect((await loadConfig({ config: 'conf/url.json' }, dir)).target).toMatchObject({ certs: join(dir, 'conf/kit') });
    expect((await loadConfig({ config: 'conf/url.json', certs: 'kit2' }, dir)).target).toMatchObject({ certs: join(dir, 'kit2') });
  });

  it('absolute paths stay as they are', async () => {
    const dir = await dirWith({ 'wh-conformance.config.json': json({ target: { command: 'x', cwd: '/srv/app' }, outputDir: '/var/reports' }) });
    const config = await loadConfig({}, dir);
    expect(config.target).toMatchObject({ cwd: '/srv/app' });
    expect(config.outputDir).toBe('/var/reports');
  });

  it('the default outputDir and process cwd are the file’s folder, not the shell’s', async () => {
    const dir = await dirWith({ 'sub/whc.json': json({ target: { command: 'x' } }) });
    const config = await loadConfig({ config: 'sub/whc.json' }, dir);
    expect(config.target).toMatchObject({ cwd: join(dir, 'sub') });
    expect(config.outputDir).toBe(join(dir, 'sub/wh-conformance-report'));
  });
});

describe('loadConfig: errors are one line naming file, field and expectation', () => {
  const file = 'wh-conformance.config.json';
  const withFile = (config: unknown) => dirWith({ [file]: json(config) });

  it('no config file and no --command/--url', async () => {
    const dir = await dirWith();
    const message = await errorOf({}, dir);
    expect(message).toBe(
      `no wh-conformance.config.ts, wh-conformance.config.mjs, wh-conformance.config.js, wh-conformance.config.json in ${dir}, and no --command or --url: write a config file or pass --command "<start your listener>"`,
    );
  });

  it('a --config path that does not exist', async () => {
    const dir = await dirWith();
    expect(await errorOf({ config: 'missing.json' }, dir)).toBe(`${join(dir, 'missing.json')}: config file not found: check the --config path`);
  });

  it('invalid JSON', async () => {
    const dir = await dirWith({ [file]: '{ "target": ' });
    expect(await errorOf({}, dir)).toMatch(/^wh-conformance\.config\.json: cannot load the config: .*JSON/);
  });

  it('a TypeScript config that throws while loading, first line of its message', async () => {
    const dir = await dirWith({ 'wh-conformance.config.ts': "const n: number = 2;\nthrow new Error(`broken config ${n}\\nsecond line`);\nexport default {};" });
    expect(await errorOf({}, dir)).toBe('wh-conformance.config.ts: cannot load the config: broken config 2');
  });

  it('a config that is not an object', async () => {
    const dir = await dirWith({ [file]: '[1, 2]' });
    expect(await errorOf({}, dir)).toBe(`${file}: expected the config to export an object (export default defineConfig({ … }))`);
  });

  it('an unknown key, top level and in target', async () => {
    expect(await errorOf({}, await withFile({ target: { command: 'x' }, colour: 'red' }))).toBe(`${file}: config: Unrecognized key: "colour"`);
    expect(await errorOf({}, await withFile({ target: { command: 'x', host: '0.0.0.0' } }))).toBe(`${file}: target: Unrecognized key: "host"`);
  });

  it('target.port "abc" in the file', async () => {
    expect(await errorOf({}, await withFile({ target: { command: 'x', port: 'abc' } }))).toBe(`${file}: target.port: expected a port number, got "abc"`);
  });

  it('--port abc names the flag, with a file and without', async () => {
    expect(await errorOf({ command: 'x', port: 'abc' }, await dirWith())).toBe('--port: expected a port number, got "abc"');
    expect(await errorOf({ port: 'abc' }, await withFile({ target: { command: 'x', port: 8080 } }))).toBe('--port: expected a port number, got "abc"');
    expect(await errorOf({ command: 'x', port: '70000' }, await dirWith())).toBe('--port: expected a port from 1 to 65535, got 70000');
  });

  it('neither command nor url', async () => {
    expect(await errorOf({}, await withFile({ target: {} }))).toBe(
      `${file}: target: expected either \`command\` (a listener to start), \`image\` or \`dockerfile\` (a container to start) or \`url\` (one already running)`,
    );
  });

  it('both command and url', async () => {
    expect(await errorOf({}, await withFile({ target: { command: 'x', url: 'https://127.0.0.1:8443', certs: 'kit' } }))).toBe(
      `${file}: target: expected \`command\` or \`url\`, not both`,
    );
  });

  it('an https url without certs', async () => {
    const message = await errorOf({}, await withFile({ target: { url: 'https://127.0.0.1:8443' } }));
    expect(message).toMatch(/^wh-conformance\.config\.json: target\.url: a listener that is already running needs `certs`/);
    expect(message).toContain('wh-conformance certs --out DIR');
  });

  it('a url that is not loopback, in the file and as a flag', async () => {
    const expected = 'expected a loopback URL (127.0.0.1, [::1] or localhost): the run sends hostile deliveries, so any other host needs --allow-remote (allowRemote: true in target)';
    expect(await errorOf({}, await withFile({ target: { url: 'https://example.com', certs: 'kit' } }))).toBe(`${file}: target.url: ${expected}`);
    expect(await errorOf({ url: 'https://example.com', certs: 'kit' }, await dirWith())).toBe(`--url: ${expected}`);
  });

  it('a url that is not http(s)', async () => {
    expect(await errorOf({ url: 'ftp://127.0.0.1/x', certs: 'kit' }, await dirWith())).toBe('--url: expected an https:// or http:// URL');
  });

  it('an unknown profile, in the file and as a flag', async () => {
    const known = 'standard-webhooks, standard-webhooks-ed25519, svix, stripe, github, slack, shopify, pagerduty, discord, generic-hmac, none';
    expect(await errorOf({}, await withFile({ target: { command: 'x' }, profile: 'bogus' }))).toBe(`${file}: profile: expected one of ${known}, got "bogus"`);
    expect(await errorOf({ command: 'x', profile: 'bogus' }, await dirWith())).toBe(`--profile: expected one of ${known}, got "bogus"`);
  });

  it('an unknown capability in the file', async () => {
    expect(await errorOf({}, await withFile({ target: { command: 'x' }, capabilities: ['crl', 'mind-reading'] }))).toBe(
      `${file}: capabilities.1: expected capabilities among crl, ocsp, subject-pinning, replay-protection, events-file, got "mind-reading"`,
    );
  });

  it('an unknown reporter in the file', async () => {
    expect(await errorOf({}, await withFile({ target: { command: 'x' }, reporters: ['pdf'] }))).toBe(`${file}: reporters.0: expected reporters among console, json, junit, html, markdown, got "pdf"`);
  });

  // A list entry's path is `capabilities.1` / `reporters.0`: the error still names the flag typed.
  it('an unknown capability given as --capabilities names the flag', async () => {
    const message = await errorOf({ capabilities: 'crl,mind-reading' }, await withFile({ target: { command: 'x' } }));
    expect(message).toBe('--capabilities: expected capabilities among crl, ocsp, subject-pinning, replay-protection, events-file, got "mind-reading"');
  });
  it('an unknown reporter given as --reporter names the flag', async () => {
    const message = await errorOf({ command: 'x', reporter: ['json,pdf'] }, await dirWith());
    expect(message).toBe('--reporter: expected reporters among console, json, junit, html, markdown, got "pdf"');
  });

  it('a negative or fractional timeout, in the file and as a flag', async () => {
    expect(await errorOf({}, await withFile({ target: { command: 'x' }, timeoutMs: -5 }))).toBe(`${file}: timeoutMs: expected a number of milliseconds per delivery, got -5`);
    expect(await errorOf({}, await withFile({ target: { command: 'x' }, timeoutMs: 1.5 }))).toBe(`${file}: timeoutMs: expected a number of milliseconds per delivery, got 1.5`);
    expect(await errorOf({ command: 'x', timeout: '-5' }, await dirWith())).toBe('--timeout: expected a number of milliseconds per delivery, got "-5"');
    expect(await errorOf({ command: 'x', timeout: '0' }, await dirWith())).toBe('--timeout: expected a number of milliseconds per delivery, got 0');
  });

  it('a zero tolerance', async () => {
    expect(await errorOf({}, await withFile({ target: { command: 'x' }, toleranceSeconds: 0 }))).toBe(`${file}: toleranceSeconds: expected a number of seconds, got 0`);
  });

  it('a path that does not start with /', async () => {
    expect(await errorOf({ command: 'x', path: 'webhook' }, await dirWith())).toBe('--path: expected a path starting with /, got "webhook"');
  });
});
