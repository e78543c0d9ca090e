import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kitPaths } from '../../certs/index.js';
import { freePort } from '../../harness/target/free-port.js';
import { FLAWED, readReport, runCli as runCliIn, SECURE } from './cli.js';
import { lacks } from '../system-parts.js';

// `repro <id>` against listeners started by hand with a kit: the printed command, run by a shell,
// gets the outcome the run observed.

const scratch = mkdtempSync(join(tmpdir(), 'whc-repro-'));
const kit = join(scratch, 'kit');
const listeners: ChildProcess[] = [];
// Outside the repository: its own wh-conformance.config.ts would apply.
const runCli = (args: string[]) => runCliIn(args, { cwd: scratch });
afterAll(() => {
  for (const l of listeners) l.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

async function startListener(script: string, env: Record<string, string> = {}): Promise<string> {
  const paths = kitPaths(kit);
  const secrets = JSON.parse(readFileSync(paths.secrets, 'utf8')) as { profiles: Record<string, { secret: string }> };
  const port = await freePort('127.0.0.1');
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      ...env,
      WHC_HOST: '127.0.0.1',
      WHC_PORT: String(port),
      WHC_SERVER_CERT_FILE: paths.serverCert,
      WHC_SERVER_KEY_FILE: paths.serverKey,
      WHC_CLIENT_CA_FILE: paths.clientCa,
      WHC_PROFILE: 'standard-webhooks',
      WHC_SIGNING_SECRET: secrets.profiles['standard-webhooks']?.secret ?? '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  listeners.push(child);
  await once(child.stdout!, 'data');
  return `https://127.0.0.1:${port}`;
}

/** The printed curl commands, in order. */
const commandsIn = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('  curl ')).map((line) => line.trim());

function sh(command: string): { code: number | null; stdout: string } {
  const result = spawnSync('sh', ['-c', command], { encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout.trim() };
}

describe.skipIf(lacks('curl'))('wh-conformance repro', () => {
  let flawed = '';
  let secure = '';
  beforeAll(async () => {
    expect((await runCli(['certs', '--out', kit])).code).toBe(0);
    [flawed, secure] = await Promise.all([startListener(FLAWED, { WHC_FLAWS: 'accept-any-cert,no-signature-check' }), startListener(SECURE)]);
  });

  it("a failing scenario's report says how to reproduce it, and the printed curl command gets the run's outcome", async () => {
    const out = join(scratch, 'report');
    const run = await runCli(['run', '--url', flawed, '--certs', kit, '--include', 'mtls.expired', '--include', 'sig.wrong-secret', '--reporter', 'json,markdown,html', '--out', out]);
    expect(run.code).toBe(1);
    const report = readReport(out);
    const expired = report.scenarios.find((s) => s.id === 'mtls.expired');
    expect(expired).toMatchObject({ verdict: 'fail', outcome: { kind: 'accepted' } });
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(`npx wh-conformance repro mtls.expired --profile standard-webhooks --url ${flawed}`);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<h3>reproduce</h3>');

    for (const id of ['mtls.expired', 'sig.wrong-secret']) {
      const dir = join(scratch, `repro-${id}`);
      const repro = await runCli(['repro', id, '--url', flawed, '--certs', kit, '--out', dir]);
      expect(repro.stderr).toBe('');
      expect(repro.code).toBe(0);
      const [command, ...more] = commandsIn(repro.stdout);
      expect(more).toEqual([]);
      const observed = report.scenarios.find((s) => s.id === id)?.outcome?.status;
      expect([id, sh(command ?? 'false')]).toEqual([id, { code: 0, stdout: String(observed) }]);
    }
    expect(statSync(join(scratch, 'repro-mtls.expired', '1-client-key.pem')).isFile()).toBe(true);
  });

  it('against a listener that rejects, the command is rejected the way the run saw it', async () => {
    const out = join(scratch, 'report-secure');
    const run = await runCli(['run', '--url', secure, '--certs', kit, '--include', 'mtls.expired', '--include', 'sig.wrong-secret', '--reporter', 'json', '--out', out]);
    expect(run.code).toBe(0);
    const report = readReport(out);
    // The signature is refused with a status; the expired certificate before any status.
    const status = report.scenarios.find((s) => s.id === 'sig.wrong-secret')?.outcome?.status;
    expect(status).toBeGreaterThanOrEqual(400);
    const wrongSecret = await runCli(['repro', 'sig.wrong-secret', '--url', secure, '--certs', kit, '--out', join(scratch, 'secure-sig')]);
    expect(sh(commandsIn(wrongSecret.stdout)[0] ?? 'false')).toEqual({ code: 0, stdout: String(status) });
    const expired = await runCli(['repro', 'mtls.expired', '--url', secure, '--certs', kit, '--out', join(scratch, 'secure-mtls')]);
    const sent = sh(commandsIn(expired.stdout)[0] ?? 'false');
    expect(report.scenarios.find((s) => s.id === 'mtls.expired')?.outcome?.status).toBeUndefined();
    expect(sent.code).not.toBe(0);
    expect(sent.stdout).toBe('000');
  });

  it('a replay prints the genuine delivery first, then the replay, which gets what the run saw', async () => {
    const out = join(scratch, 'report-replay');
    const flags = ['--url', secure, '--certs', kit, '--capabilities', 'replay-protection'];
    expect((await runCli(['run', ...flags, '--include', 'sig.replayed-delivery', '--reporter', 'json', '--out', out])).code).toBe(0);
    const observed = readReport(out).scenarios.find((s) => s.id === 'sig.replayed-delivery')?.outcome?.status;
    const repro = await runCli(['repro', 'sig.replayed-delivery', ...flags, '--out', join(scratch, 'replay')]);
    expect(repro.code).toBe(0);
    expect(repro.stdout).toMatch(/1\. setup 1 \(expected: accepted\)[\s\S]*2\. the delivery \(expected: rejected, or acknowledged without being processed again\)/);
    const [first, second] = commandsIn(repro.stdout).map((c) => sh(c));
    expect(first).toEqual({ code: 0, stdout: '204' });
    expect(second).toEqual({ code: 0, stdout: String(observed) });
  });

  it('refuses what it cannot reproduce, in one line', async () => {
    const unknown = await runCli(['repro', 'mtls.nope', '--url', secure, '--certs', kit]);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'wh-conformance: unknown scenario "mtls.nope": see wh-conformance list for the ids\n']);
    const started = await runCli(['repro', 'mtls.expired', '--command', `node ${SECURE}`]);
    expect(started.code).toBe(2);
    expect(started.stderr).toMatch(/^wh-conformance: repro sends to a listener that is already running: start it with a kit/);
    const skipped = await runCli(['repro', 'mtls.revoked-crl', '--url', secure, '--certs', kit]);
    expect(skipped.stderr).toMatch(/^wh-conformance: mtls.revoked-crl does not apply to this listener: needs capability crl/);
  });
});
