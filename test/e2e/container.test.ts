import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lacks } from '../system-parts.js';
import { CLI, FLAWED, leftovers, readReport, REPO, runCli, SECURE, verdictsOf } from './cli.js';

/** The image test/e2e/build-listener-image.sh builds: the reference listeners on this machine's
 * Node, running as a named non-root user. */
const IMAGE = 'wh-conformance/test-listener:local';
const RUN_LABEL = 'wh-conformance.run';

function docker(args: string[], timeoutMs = 20_000): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const noEngine = lacks('docker');

/** Every container of any wh-conformance run, running or not. */
const labelled = () => docker(['ps', '-aq', '--filter', `label=${RUN_LABEL}`]).split('\n').filter(Boolean);

const scratch = mkdtempSync(join(tmpdir(), 'whc-container-e2e-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/** A project folder holding a JSON config with `target` (image targets use host networking here). */
function projectWith(target: Record<string, unknown>): string {
  const dir = join(scratch, `project-${++counter}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'wh-conformance.config.json'), JSON.stringify({ target, capabilities: ['crl'], reporters: ['json'], outputDir: 'report' }));
  return dir;
}

const container = (target: Record<string, unknown>) => projectWith({ image: IMAGE, network: 'host', ...target });
const errorLine = (stderr: string) => stderr.split('\n')[0] ?? '';

describe('no container engine', () => {
  it('DOCKER_HOST naming a socket that does not exist: one line naming what was probed and the fix, exit 2, nothing left', async () => {
    const result = await runCli(['run', '--image', IMAGE], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe(
      'wh-conformance: no container engine for the image target: probed DOCKER_HOST=unix:///nonexistent/docker.sock and the socket /nonexistent/docker.sock, which does not exist; start a Docker engine (dockerd, Docker Desktop, or Podman with its Docker socket), or set DOCKER_HOST to its socket, e.g. unix:///var/run/docker.sock',
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(leftovers(result)).toEqual([]);
  });
});

describe.skipIf(noEngine)('listeners in containers (testcontainers, host networking)', () => {
  beforeAll(() => {
    execFileSync('bash', [join(REPO, 'test/e2e/build-listener-image.sh'), IMAGE], { stdio: 'inherit', timeout: 120_000 });
  }, 130_000);

  afterEach(() => {
    // No test may leave a container behind, whatever its outcome.
    expect(labelled()).toEqual([]);
  });

  it('the secure listener as a container gets exactly the verdicts it gets as a process', async () => {
    const asProcess = projectWith({ command: `node ${SECURE}` });
    const asContainer = container({});
    const processRun = await runCli(['run'], { cwd: asProcess });
    const containerRun = await runCli(['run'], { cwd: asContainer });
    expect([processRun.code, containerRun.code]).toEqual([0, 0]);
    expect(containerRun.stderr).toBe('');
    const processReport = readReport(join(asProcess, 'report'));
    const containerReport = readReport(join(asContainer, 'report'));
    expect(containerReport.target).toMatchObject({ kind: 'container', description: IMAGE });
    expect(containerReport.target.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(verdictsOf(containerReport)).toEqual(verdictsOf(processReport));
    expect(Object.values(verdictsOf(containerReport))).toContain('pass');
    expect(containerRun.stdout).toMatch(/target \(container\) wh-conformance\/test-listener:local → https:\/\/127\.0\.0\.1:\d+/);
    expect(leftovers(processRun)).toEqual([]);
    expect(leftovers(containerRun)).toEqual([]);
  });

  it('with events-file the container appends to the mounted events file: the side-effect probe gets the verdicts a process gets', async () => {
    const capabilities = ['crl', 'replay-protection', 'events-file'];
    const asProcess = projectWith({ command: `node ${SECURE}` });
    const asContainer = container({});
    const flags = ['--capabilities', capabilities.join(',')];
    const processRun = await runCli(['run', ...flags], { cwd: asProcess });
    const containerRun = await runCli(['run', ...flags], { cwd: asContainer });
    expect(containerRun.stderr).toBe('');
    expect([processRun.code, containerRun.code]).toEqual([0, 0]);
    const report = readReport(join(asContainer, 'report'));
    expect(verdictsOf(report)).toEqual(verdictsOf(readReport(join(asProcess, 'report'))));
    expect(JSON.stringify(report)).not.toContain('has no line for it');
    expect(leftovers(containerRun)).toEqual([]);
  });

  for (const flaws of ['no-crl,500-on-bad-signature', 'accept-any-cert,no-timestamp-check']) {
    it(`the flawed listener (${flaws}) as a container fails the same scenarios as a process`, async () => {
      const env = { WHC_FLAWS: flaws };
      const asProcess = projectWith({ command: `node ${FLAWED}`, env });
      const asContainer = container({ command: ['listeners/flawed.mjs'], env });
      const processRun = await runCli(['run'], { cwd: asProcess });
      const containerRun = await runCli(['run'], { cwd: asContainer });
      expect([processRun.code, containerRun.code]).toEqual([1, 1]);
      // Where the handshake accepts any certificate, Node drops a certificate whose signature fails
      // either before the request or after it, by a race inside Node (connection-flaws.test.ts,
      // NODE_DROPS): a pass or a warn, in a container as in a process.
      const raced = (report: ReturnType<typeof readReport>) => {
        const all = verdictsOf(report);
        if (!flaws.includes('accept-any-cert')) return all;
        const { 'mtls.bad-signature': dropped, ...rest } = all;
        expect(['pass', 'warn']).toContain(dropped);
        return rest;
      };
      const verdicts = raced(readReport(join(asContainer, 'report')));
      expect(verdicts).toEqual(raced(readReport(join(asProcess, 'report'))));
      expect(Object.values(verdicts)).toContain('fail');
      expect(leftovers(processRun)).toEqual([]);
      expect(leftovers(containerRun)).toEqual([]);
    });
  }

  it('a Dockerfile target is built under a stable tag and run; the next run reuses the tag', async () => {
    const dir = join(scratch, 'dockerfile-context');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${IMAGE}\nENV WHC_FLAWS=no-crl\nCMD ["listeners/flawed.mjs"]\n`);
    const project = projectWith({ dockerfile: join(dir, 'Dockerfile'), network: 'host' });
    const first = await runCli(['run'], { cwd: project });
    expect(first.code).toBe(1);
    const report = readReport(join(project, 'report'));
    expect(report.target.description).toMatch(new RegExp(`^${join(dir, 'Dockerfile')} \\(built as wh-conformance/dockerfile-context:[0-9a-f]{12}\\)$`));
    // The Dockerfile's ENV took effect: without CRLs only revocation scenarios fail.
    const failed = Object.entries(verdictsOf(report)).filter(([, v]) => v === 'fail').map(([id]) => id);
    expect(failed).toContain('mtls.revoked-crl');
    expect(failed.filter((id) => !/^mtls\..*revoked/.test(id))).toEqual([]);
    const tag = /built as (\S+)\)/.exec(report.target.description)?.[1] ?? '';
    const imageId = docker(['image', 'inspect', '-f', '{{.Id}}', tag]);
    const second = await runCli(['run'], { cwd: project });
    expect(second.code).toBe(1);
    expect(docker(['image', 'inspect', '-f', '{{.Id}}', tag])).toBe(imageId);
    // The scratch context's path, and so the tag, is new each time: do not pile up images.
    docker(['rmi', tag]);
    expect(leftovers(first)).toEqual([]);
    expect(leftovers(second)).toEqual([]);
  });

  describe('a container that cannot serve: a clear error with its last output, exit 2, nothing left', () => {
    it('a Dockerfile that does not build', async () => {
      const dir = join(scratch, 'broken-build');
      mkdirSync(dir);
      writeFileSync(join(dir, 'Dockerfile'), `FROM ${IMAGE}\nCOPY missing.txt /app/\n`);
      const result = await runCli(['run'], { cwd: projectWith({ dockerfile: join(dir, 'Dockerfile') }) });
      expect(result.code).toBe(2);
      expect(errorLine(result.stderr)).toMatch(new RegExp(`^wh-conformance: building ${join(dir, 'Dockerfile')} as wh-conformance/broken-build:[0-9a-f]{12} failed: .*missing\\.txt.*; fix the Dockerfile`));
      expect(result.stderr).toContain('  | Step 2/2 : COPY missing.txt /app/');
      expect(leftovers(result)).toEqual([]);
    });

    it('a Dockerfile that does not exist', async () => {
      const result = await runCli(['run'], { cwd: projectWith({ dockerfile: 'no/Dockerfile' }) });
      expect(result.code).toBe(2);
      expect(errorLine(result.stderr)).toMatch(/^wh-conformance: Dockerfile \/.*\/no\/Dockerfile does not exist: fix target\.dockerfile$/);
      expect(leftovers(result)).toEqual([]);
    });

    it('an image that does not exist', async () => {
      const result = await runCli(['run', '--image', 'wh-conformance/no-such-listener:missing', '--network', 'host']);
      expect(result.code).toBe(2);
      expect(errorLine(result.stderr)).toMatch(/^wh-conformance: image wh-conformance\/no-such-listener:missing did not start: .+; check the name \(docker images\), build or pull it$/);
      expect(leftovers(result)).toEqual([]);
    });

    it('a listener that exits before it is ready', async () => {
      const result = await runCli(['run'], { cwd: container({ command: ['-e', 'console.error("listener: bad configuration"); process.exit(3)'] }) });
      expect(result.code).toBe(2);
      expect(errorLine(result.stderr)).toBe(`wh-conformance: image ${IMAGE}: container exited with code 3 before it was ready`);
      expect(result.stderr).toContain('  | listener: bad configuration');
      expect(leftovers(result)).toEqual([]);
    });

    it('a listener that never completes a handshake', async () => {
      const result = await runCli(['run'], { cwd: container({ command: ['-e', 'console.log("up, listening elsewhere"); setInterval(() => {}, 1000)'], readyTimeoutMs: 1500 }) });
      expect(result.code).toBe(2);
      expect(errorLine(result.stderr)).toMatch(
        /^wh-conformance: image .*: container never completed a handshake on https:\/\/127\.0\.0\.1:\d+: not ready within 1500 ms \(last attempt: ECONNREFUSED\); does the listener listen on WHC_HOST:WHC_PORT \(127\.0\.0\.1:\d+\)\?/,
      );
      expect(result.stderr).toContain('  | up, listening elsewhere');
      expect(leftovers(result)).toEqual([]);
    });
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} while the container starts up removes it and the kit`, async () => {
      const project = container({ command: ['-e', 'setInterval(() => {}, 1000)'], readyTimeoutMs: 30_000 });
      const tmp = mkdtempSync(join(scratch, 'tmp-'));
      const cli = spawn(process.execPath, [CLI, 'run'], { cwd: project, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 40_000 });
      const closed = once(cli, 'close');
      let stdout = '';
      cli.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const end = Date.now() + 20_000;
      while (labelled().length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(labelled()).toHaveLength(1);
      cli.kill(signal);
      const [exitCode] = (await closed) as [number | null];
      expect(exitCode).toBe(code);
      expect(stdout).toContain(`${signal}: stopping the target and removing the kit`);
      expect(labelled()).toEqual([]);
      expect(readdirSync(tmp)).toEqual([]);
    });
  }
});
