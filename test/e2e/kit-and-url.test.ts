import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:net';
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
async function startListener(kit: string, port: number, printed: Record<string, string>): Promise<void> {
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
      // As `certs --out` printed them: the responder answers while `run --certs` runs.
      WHC_OCSP_URL: printed.WHC_OCSP_URL ?? '',
      WHC_ALLOWED_CLIENT_SUBJECT: printed.WHC_ALLOWED_CLIENT_SUBJECT ?? '',
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
    expect(leftovers(written)).toEqual([]);
    const paths = kitPaths(kit);
    expect(statSync(kit).mode & 0o777).toBe(0o700);
    for (const file of [paths.serverKey, paths.secrets, paths.clientKey('valid')]) expect(statSync(file).mode & 0o777).toBe(0o600);

    const printed = Object.fromEntries([...written.stdout.matchAll(/^ {2}(WHC_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
    expect(printed.WHC_OCSP_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ocsp$/);
    expect(printed.WHC_CRL_URL).toBe(printed.WHC_OCSP_URL?.replace(/\/ocsp$/, '/crl.pem'));
    expect(printed.WHC_ALLOWED_CLIENT_SUBJECT).toBe('CN=webhooks.example.test');

    const port = await freePort('127.0.0.1');
    await startListener(kit, port, printed);
    const out = join(scratch, 'report');
    const result = await runCli(['run', '--url', `https://127.0.0.1:${port}`, '--certs', kit, '--capabilities', 'crl,ocsp,subject-pinning', '--reporter', 'json', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = readReport(out);
    expect(report.target).toEqual({ kind: 'url', description: `https://127.0.0.1:${port}`, url: `https://127.0.0.1:${port}` });
    // What needs an undeclared capability is skipped; everything else passes.
    const declared = ['crl', 'ocsp', 'subject-pinning'];
    expect(verdictsOf(report)).toEqual(Object.fromEntries(CATALOG.map((s) => [s.id, s.needs.every((n) => declared.includes(n)) ? 'pass' : 'skip'])));
    // The listener asked the responder the run served from the kit: revoked-ocsp was refused by OCSP.
    expect(report.scenarios.find((s) => s.id === 'mtls.revoked-ocsp')?.outcome?.detail).toBe('HTTP 403');
    // …and the responder is gone with the run.
    await expect(fetch(printed.WHC_CRL_URL ?? '')).rejects.toThrow();
    // The user's kit stays: the harness only removes what it generated.
    expect(statSync(paths.clientKey('valid')).isFile()).toBe(true);
    expect(leftovers(result)).toEqual([]);
  });
});

describe('run --certs and the kit\'s revocation responder', () => {
  it('stops before anything starts when the port its certificates name is taken: exit 2, one line', async () => {
    const kit = join(scratch, 'busy-kit');
    expect(leftovers(await runCli(['certs', '--out', kit]))).toEqual([]);
    const origin = (JSON.parse(readFileSync(kitPaths(kit).revocation, 'utf8')) as { origin: string }).origin;
    const squatter = createServer().listen(Number(new URL(origin).port), '127.0.0.1');
    await once(squatter, 'listening');
    try {
      const result = await runCli(['run', '--url', 'https://127.0.0.1:9', '--certs', kit]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `wh-conformance: cannot serve the kit's CRLs and OCSP on ${origin}, where its certificates point: the port is in use (is another run using this kit?); stop what holds the port, or write a new kit with wh-conformance certs --out\n`,
      );
      expect(leftovers(result)).toEqual([]);
    } finally {
      squatter.close();
    }
  });

  it('names a damaged revocation.json and the fix: exit 2, one line', async () => {
    const kit = join(scratch, 'damaged-kit');
    expect(leftovers(await runCli(['certs', '--out', kit]))).toEqual([]);
    writeFileSync(kitPaths(kit).revocation, '{"origin": 42}');
    const result = await runCli(['run', '--url', 'https://127.0.0.1:9', '--certs', kit]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`wh-conformance: ${kitPaths(kit).revocation} is not a wh-conformance revocation file: write a new kit with wh-conformance certs --out\n`);
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
    expect(leftovers(result)).toEqual([]);
  });

  it('as JSON, and --profile none leaves out the signature layer', async () => {
    const result = await runCli(['list', '--format', 'json', '--profile', 'none']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<{ id: string; layer: string; needs: string[]; reference: string }>;
    expect(listed.map((s) => s.id)).toEqual(CATALOG.filter((s) => s.layer !== 'sig').map((s) => s.id));
    expect(listed.find((s) => s.id === 'mtls.revoked-crl')?.needs).toEqual(['crl']);
    for (const s of listed) expect(s.reference).not.toBe('');
    expect(leftovers(result)).toEqual([]);
  });

  it('an unknown profile is an error', async () => {
    const result = await runCli(['list', '--profile', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^wh-conformance: --profile: unknown profile "nope": expected one of standard-webhooks\|.*\|none$/m);
    expect(leftovers(result)).toEqual([]);
  });
});

describe('--help', () => {
  for (const command of ['run', 'list', 'certs']) {
    it(`${command} --help exits 0 and lists its options`, async () => {
      const result = await runCli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: wh-conformance ${command}`);
      expect(leftovers(result)).toEqual([]);
    });
  }
});
