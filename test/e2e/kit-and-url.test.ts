import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { kitPaths } from '../../certs/index.js';
import { freePort } from '../../harness/target/free-port.js';
import { CATALOG } from '../../suites/catalog/index.js';
import { leftovers, readReport, runCli, SECURE, verdictsOf } from './cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'whc-kit-url-'));
const listeners: ChildProcess[] = [];
afterAll(() => {
  for (const l of listeners) l.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

/** The secure listener started by hand with a kit, the way a user runs nginx or a staging service. */
async function startListener(kit: string, port: number): Promise<void> {
  const paths = kitPaths(kit);
  const secrets = JSON.parse(readFileSync(paths.secrets, 'utf8')) as { profiles: Record<string, { secret: string }> };
  const child = spawn(process.execPath, [SECURE], {
    env: {
      ...process.env,
      WHC_HOST: '127.0.0.1',
      WHC_PORT: String(port),
      WHC_SERVER_CERT_FILE: paths.serverCert,
      WHC_SERVER_KEY_FILE: paths.serverKey,
      WHC_CLIENT_CA_FILE: paths.clientCa,
      WHC_CRL_FILE: paths.crl,
      WHC_PROFILE: 'standard-webhooks',
      WHC_SIGNING_SECRET: secrets.profiles['standard-webhooks']?.secret ?? '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  listeners.push(child);
  await once(child.stdout!, 'data');
}

describe('certs --out and run --url', () => {
  it('writes a private kit that a listener started by hand uses, and run --url tests it', async () => {
    const kit = join(scratch, 'kit');
    const written = await runCli(['certs', '--out', kit]);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(`kit written to ${kit}`);
    leftovers(written);
    const paths = kitPaths(kit);
    expect(statSync(kit).mode & 0o777).toBe(0o700);
    for (const file of [paths.serverKey, paths.secrets, paths.clientKey('valid')]) expect(statSync(file).mode & 0o777).toBe(0o600);

    const port = await freePort('127.0.0.1');
    await startListener(kit, port);
    const out = join(scratch, 'report');
    const result = await runCli(['run', '--url', `https://127.0.0.1:${port}`, '--certs', kit, '--capabilities', 'crl', '--reporter', 'json', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = readReport(out);
    expect(report.target).toEqual({ kind: 'url', description: `https://127.0.0.1:${port}`, url: `https://127.0.0.1:${port}` });
    expect(Object.values(verdictsOf(report))).toEqual(CATALOG.map(() => 'pass'));
    // The user's kit stays: the harness only removes what it generated.
    expect(statSync(paths.clientKey('valid')).isFile()).toBe(true);
    expect(leftovers(result)).toEqual([]);
  });
});

describe('list', () => {
  it('prints the catalog as a table without starting anything', async () => {
    const result = await runCli(['list']);
    expect(result.code).toBe(0);
    for (const s of CATALOG) expect(result.stdout).toContain(s.id);
    expect(result.stdout).toMatch(/^mtls\.revoked-crl +reject +high +crl +/m);
    expect(result.stdout).toContain(`${CATALOG.length} scenarios`);
    leftovers(result);
  });

  it('as JSON, and --profile none leaves out the signature layer', async () => {
    const result = await runCli(['list', '--format', 'json', '--profile', 'none']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<{ id: string; layer: string; needs: string[]; reference: string }>;
    expect(listed.map((s) => s.id)).toEqual(CATALOG.filter((s) => s.layer === 'mtls').map((s) => s.id));
    expect(listed.find((s) => s.id === 'mtls.revoked-crl')?.needs).toEqual(['crl']);
    for (const s of listed) expect(s.reference).not.toBe('');
    leftovers(result);
  });

  it('an unknown profile is an error', async () => {
    const result = await runCli(['list', '--profile', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^wh-conformance: --profile: unknown profile "nope": expected one of standard-webhooks\|none/);
    leftovers(result);
  });
});

describe('--help', () => {
  for (const command of ['run', 'list', 'certs']) {
    it(`${command} --help exits 0 and lists its options`, async () => {
      const result = await runCli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: wh-conformance ${command}`);
      leftovers(result);
    });
  }
});
