import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../suites/catalog/index.js';
import { lacks } from '../system-parts.js';
import { leftovers, readReport, REPO, runCli, verdictsOf } from './cli.js';

// Real nginx (the Debian package, which .ci/run installs) as the listener, configured by
// examples/nginx/start.sh from the WHC_* contract: the correct mTLS configuration and the typical
// misconfiguration. nginx checks no payload signatures here (--profile none): these are the mTLS
// and transport layers.

const START = join(REPO, 'examples/nginx/start.sh');
const out = mkdtempSync(join(tmpdir(), 'whc-nginx-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const CONNECTION_IDS = CATALOG.filter((s) => s.layer === 'mtls' || s.layer === 'transport').map((s) => s.id);
const SUBJECT_PINNING = CATALOG.filter((s) => s.needs.includes('subject-pinning')).map((s) => s.id);

const noNginx = lacks('nginx');

async function runNginx(name: string, variant: string, capabilities: string) {
  const dir = join(out, name);
  const result = await runCli(['run', '--command', `sh ${START} ${variant}`, '--profile', 'none', '--capabilities', capabilities, '--reporter', 'json', '--out', dir]);
  return { result, report: readReport(dir) };
}

describe.skipIf(noNginx)('nginx, configured right (examples/nginx/mtls.conf.template)', () => {
  it('passes every mTLS and transport scenario, nothing left behind', async () => {
    const { result, report } = await runNginx('mtls', 'mtls', 'crl,ocsp,subject-pinning');
    const verdicts = verdictsOf(report);
    expect(Object.fromEntries(CONNECTION_IDS.map((id) => [id, verdicts[id]]))).toEqual(Object.fromEntries(CONNECTION_IDS.map((id) => [id, 'pass'])));
    expect(result.code).toBe(0);
    // nginx finishes the handshake and answers 400 to a bad certificate, 403 to a subject it does not pin.
    const detail = (id: string) => report.scenarios.find((s) => s.id === id)?.outcome?.detail;
    expect(detail('mtls.expired')).toBe('HTTP 400');
    expect(detail('mtls.revoked-ocsp')).toBe('HTTP 400');
    expect(detail('mtls.subject-near-miss')).toBe('HTTP 403');
    expect(detail('transport.plaintext-http')).toBe('HTTP 400');
    expect(detail('transport.tls1.0')).toBe('TLS alert protocol_version');
    // A TLS-level rejection nginx answers over HTTP is still a rejection; the certificate is refused
    // on every request of the connection, not only the first.
    expect(detail('mtls.keepalive-after-rejection')).toBe('HTTP 403, then HTTP 403 on the same connection');
    expect(leftovers(result)).toEqual([]);
  });
});

describe.skipIf(noNginx)('nginx misconfigured (examples/nginx/optional-verify.conf.template)', () => {
  it('lets through exactly what ssl_verify_client optional without a check lets through', async () => {
    // It pins no subject, so it does not declare subject-pinning.
    const { result, report } = await runNginx('optional-verify', 'optional-verify', 'crl,ocsp');
    expect(result.code).toBe(1);
    const failed = report.scenarios.filter((s) => s.verdict === 'fail').map((s) => s.id);
    // No certificate, a certificate claimed in headers, a resumed certificate-less session: all one
    // hole. A certificate that is presented is still verified (CRL and OCSP included).
    expect(failed).toEqual(['mtls.no-client-cert', 'mtls.spoofed-identity-headers', 'mtls.resumed-session-without-cert']);
    const verdicts = verdictsOf(report);
    for (const id of CONNECTION_IDS) expect([id, verdicts[id]]).toEqual([id, failed.includes(id) ? 'fail' : SUBJECT_PINNING.includes(id) ? 'skip' : 'pass']);
    expect(report.scenarios.find((s) => s.id === 'mtls.resumed-session-without-cert')?.outcome?.detail).toBe('HTTP 204 on the resumed TLS session');
    expect(report.scenarios.find((s) => s.id === 'mtls.no-client-cert')?.remediation?.nginx).toMatch(/ssl_verify_client on/);
    expect(leftovers(result)).toEqual([]);
  });
});

describe('examples/nginx/start.sh on bad input', () => {
  const run = (args: string[], env: Record<string, string>) => spawnSync('sh', [START, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });

  it('names the unknown configuration on one line, exit 2', () => {
    const unknown = run(['nope'], {});
    expect([unknown.status, unknown.stderr]).toEqual([2, 'start.sh: no nope.conf.template next to start.sh: use mtls or optional-verify\n']);
  });

  // Checked after nginx is found.
  it.skipIf(noNginx)('names the missing variable on one line, exit 2', () => {
    const missing = run([], { WHC_HOST: '127.0.0.1' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^start\.sh: WHC_PORT is not set: run this through wh-conformance, or set the WHC_\* variables yourself\n$/);
  });
});
