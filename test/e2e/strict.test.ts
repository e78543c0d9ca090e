import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPki, kitPaths, writeKit } from '../../certs/index.js';
import { classify } from '../../harness/deliver/classify.js';
import { deliver } from '../../harness/deliver/send.js';
import { buildDelivery } from '../../harness/deliver/request.js';
import { judge } from '../../harness/judge/judge.js';
import { freePort } from '../../harness/target/free-port.js';
import { CATALOG } from '../../suites/catalog/index.js';
import { lacks } from '../system-parts.js';
import { leftovers, readReport, runCli, SECURE } from './cli.js';

const out = mkdtempSync(join(tmpdir(), 'whc-strict-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Polls until something listens on `port`, for at most `deadlineMs`. */
async function listening(port: number, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket.destroy() !== undefined));
      socket.once('error', () => resolve(false));
    });
    if (up) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

// The precise alerts in the catalog are what OpenSSL's own verifier sends: `openssl s_server
// -verify_return_error` answers each bad certificate with its alert, and --strict passes each.
describe.skipIf(lacks('openssl'))("the catalog's precise alerts, against openssl s_server -verify_return_error", () => {
  let server: ChildProcess;
  let port: number;
  const kit = join(out, 'kit');

  beforeAll(async () => {
    const pki = await buildPki({ now: new Date(), revocationOrigin: 'http://127.0.0.1:9' });
    const paths = await writeKit(kit, pki, {});
    // OpenSSL reads CRLs from the CA file too, all of them (its -CRL option takes one).
    writeFileSync(join(kit, 'ca-and-crls.pem'), readFileSync(paths.clientCa, 'utf8') + readFileSync(paths.crl, 'utf8'));
    port = await freePort('127.0.0.1');
    server = spawn('openssl', [
      's_server', '-accept', `127.0.0.1:${port}`, '-cert', paths.serverCert, '-key', paths.serverKey,
      '-CAfile', join(kit, 'ca-and-crls.pem'), '-crl_check_all', '-Verify', '2', '-verify_return_error',
      '-auth_level', '2', '-cipher', 'DEFAULT:@SECLEVEL=2', '-www', '-quiet',
    ], { stdio: 'ignore' });
    expect(await listening(port, 10_000)).toBe(true);
  });
  afterAll(() => {
    server.kill('SIGKILL');
  });

  // The certificate checks: s_server checks no OCSP and pins no subject, and its TLS policy is
  // not a listener's (the transport alerts are checked against the secure listener below).
  const precise = CATALOG.filter((s) => s.layer === 'mtls' && s.precise?.alerts && !s.needs.some((n) => n === 'ocsp' || n === 'subject-pinning'));

  it.each(precise.map((s) => [s.id, s] as const))('%s', async (_id, scenario) => {
    const paths = kitPaths(kit);
    const proxiedCertPem = readFileSync(paths.clientCert('valid'), 'utf8');
    const delivery = buildDelivery(scenario.send, { profile: null, signingKey: '', wrongKeys: ['', ''], toleranceSeconds: 300, path: '/', now: 1, webhookId: 'msg_1', proxiedCertPem });
    const identity = scenario.send.identity;
    const credentials = identity ? { cert: readFileSync(paths.clientCert(identity), 'utf8'), key: readFileSync(paths.clientKey(identity), 'utf8') } : {};
    const endpoint = { origin: `https://127.0.0.1:${port}`, servername: 'localhost', server: { serverCa: readFileSync(paths.serverCa, 'utf8') }, timeoutMs: 5000 };
    const outcome = classify(await deliver(endpoint, credentials, delivery));
    expect(scenario.precise?.alerts).toContain(outcome.alert);
    expect(judge(scenario, outcome, { strict: true }).verdict).toBe('pass');
  });
});

describe('--strict against the secure Node listener', () => {
  it('warns where Node closes the connection instead of sending the precise alert, and says which; exit 0', async () => {
    const dir = join(out, 'secure');
    const result = await runCli(['run', '--command', `node ${SECURE}`, '--strict', '--include', 'mtls.*', '--include', 'transport.*', '--capabilities', 'crl,ocsp,subject-pinning', '--reporter', 'json', '--out', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/capabilities crl, ocsp, subject-pinning {2}· {2}strict\n/);
    const report = readReport(dir);
    expect(report.strict).toBe(true);
    const verdict = (id: string) => report.scenarios.find((s) => s.id === id);
    expect(verdict('mtls.expired')).toMatchObject({
      verdict: 'warn',
      reason: 'rejected, but not precisely: connection closed before the request was sent; --strict expects TLS alert certificate_expired',
    });
    // Precise where Node is: no certificate (OpenSSL's alert), the protocol version, the cipher
    // suites, subject pinning (403).
    const precise = ['mtls.no-client-cert', 'transport.tls1.0', 'transport.tls1.1', 'transport.weak-cipher', 'mtls.subject-near-miss'];
    for (const id of [...precise, 'mtls.valid-client-cert']) expect([id, verdict(id)?.verdict]).toEqual([id, 'pass']);
    expect(report.scenarios.filter((s) => s.verdict === 'fail' || s.verdict === 'error')).toEqual([]);
    expect(leftovers(result)).toEqual([]);
  });
});
