import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONNECTION_FLAWS, type ConnectionFlaw } from '../../examples/listeners/connection-flaws.mjs';
import type { Layer } from '../../harness/model.js';
import { CATALOG } from '../../suites/catalog/index.js';
import { FLAWED, leftovers, readReport, runCli, verdictsOf } from './cli.js';

// The harness's self-check for mTLS and transport: every bug of the flawed listener is caught by the
// scenarios it breaks and by no other, and every negative scenario catches at least one bug.

const out = mkdtempSync(join(tmpdir(), 'whc-connection-flaws-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const CONNECTION_LAYERS: readonly Layer[] = ['mtls', 'transport'];
const NEGATIVES = CATALOG.filter((s) => CONNECTION_LAYERS.includes(s.layer) && s.expect === 'reject').map((s) => s.id);
/** Node drops a connection whose client certificate signature failed to verify, even with
 * rejectUnauthorized: false (a stale OpenSSL error surfaces as ERR_SSL_EVP_LIB on its next read):
 * before the request when the client waits for the server's word, as the harness does, and after it
 * when the request comes first. No Node listener can let it through, so no flaw fails it, and where
 * the handshake accepts anything its verdict is a pass or a warn, by a race inside Node. */
const NODE_DROPS = ['mtls.bad-signature'];
const ACCEPTS_ANY_HANDSHAKE = ['accept-any-cert', 'optional-client-cert', 'trust-proxy-headers', 'trust-resumed-sessions', 'own-verification'];
const CERTIFICATE_NEGATIVES = NEGATIVES.filter((id) => id.startsWith('mtls.') && !NODE_DROPS.includes(id));
const CERTIFICATE_CHECKS = [
  'mtls.untrusted-ca', 'mtls.self-signed', 'mtls.revoked-crl', 'mtls.revoked-ocsp', 'mtls.intermediate-revoked', 'mtls.intermediate-expired',
  'mtls.missing-intermediate', 'mtls.wrong-eku', 'mtls.no-digital-signature', 'mtls.leaf-as-issuer', 'mtls.path-length-exceeded',
  'mtls.weak-rsa-key', 'mtls.sha1-signature', 'mtls.unknown-critical-extension',
];

/** What each flaw breaks, exactly: `fail` and, where the layer's control fails, `inconclusive`. */
const FLAW_BREAKS: Record<ConnectionFlaw, { fail: string[]; inconclusive?: string[] }> = {
  'accept-any-cert': { fail: [...CERTIFICATE_NEGATIVES, 'cross.bad-cert-good-signature'] },
  'no-crl': { fail: ['mtls.revoked-crl', 'mtls.intermediate-revoked'] },
  'no-ocsp': { fail: ['mtls.revoked-ocsp'] },
  'optional-client-cert': { fail: ['mtls.no-client-cert', 'mtls.spoofed-identity-headers', 'mtls.resumed-session-without-cert'] },
  'trust-proxy-headers': { fail: ['mtls.spoofed-identity-headers'] },
  'trust-resumed-sessions': { fail: ['mtls.resumed-session-without-cert'] },
  'own-verification': { fail: [...CERTIFICATE_CHECKS, 'cross.bad-cert-good-signature'] },
  'no-subject-pinning': { fail: ['mtls.subject-not-allowed', 'mtls.subject-near-miss', 'mtls.keepalive-after-rejection'] },
  'authorize-connection-once': { fail: ['mtls.keepalive-after-rejection'] },
  'unanchored-subject': { fail: ['mtls.subject-near-miss'] },
  'node-default-tls': { fail: ['mtls.weak-rsa-key', 'transport.weak-cipher'] },
  'legacy-tls': { fail: ['mtls.weak-rsa-key', 'mtls.sha1-signature', 'transport.tls1.0', 'transport.tls1.1', 'transport.weak-cipher'] },
  // The layer's control fails: what the layer's other scenarios saw proves nothing.
  'tls1.3-only': {
    fail: ['transport.tls1.2-supported'],
    inconclusive: ['transport.tls1.3-supported', 'transport.plaintext-http', 'transport.tls1.0', 'transport.tls1.1', 'transport.weak-cipher'],
  },
  'no-tls1.3': { fail: ['transport.tls1.3-supported'] },
  'plain-http-too': { fail: ['transport.plaintext-http'] },
};

describe('the flawed listener\'s connection flaws, as data', () => {
  it('lists every connection flaw the listener has, and only those', () => {
    expect(Object.keys(FLAW_BREAKS).sort()).toEqual([...CONNECTION_FLAWS].sort());
  });

  it.each(NEGATIVES.filter((id) => !NODE_DROPS.includes(id)).map((id) => [id]))('%s is failed by at least one flaw', (id) => {
    expect(Object.entries(FLAW_BREAKS).filter(([, breaks]) => breaks.fail.includes(id)).map(([flaw]) => flaw)).not.toEqual([]);
  });
});

describe('each connection flaw fails exactly the scenarios it breaks', () => {
  for (const [flaw, breaks] of Object.entries(FLAW_BREAKS)) {
    it(flaw, async () => {
      const dir = join(out, flaw);
      const result = await runCli(
        ['run', '--command', `node ${FLAWED}`, '--include', 'mtls.*', '--include', 'transport.*', '--include', 'cross.*', '--capabilities', 'crl,ocsp,subject-pinning', '--reporter', 'json', '--out', dir],
        { env: { WHC_FLAWS: flaw } },
      );
      expect(result.code).toBe(1);
      const verdicts = verdictsOf(readReport(dir));
      const racing = ACCEPTS_ANY_HANDSHAKE.includes(flaw) ? NODE_DROPS : [];
      for (const id of racing) expect(['pass', 'warn']).toContain(verdicts[id]);
      const expected = Object.fromEntries(
        Object.keys(verdicts).map((id) => [id, racing.includes(id) ? verdicts[id] : breaks.fail.includes(id) ? 'fail' : breaks.inconclusive?.includes(id) ? 'inconclusive' : 'pass']),
      );
      expect(verdicts).toEqual(expected);
      expect(Object.keys(verdicts)).toEqual(expect.arrayContaining([...NEGATIVES, 'cross.bad-cert-good-signature']));
      for (const id of breaks.fail) expect(result.stdout).toMatch(new RegExp(`^  ${id.replaceAll('.', '\\.')} .* fail\\b`, 'm'));
      expect(leftovers(result)).toEqual([]);
    });
  }
});

describe('a failed scenario says how to fix it', () => {
  it('in the console and in the JSON report, for Node and for nginx', async () => {
    const dir = join(out, 'remediation');
    const result = await runCli(['run', '--command', `node ${FLAWED}`, '--include', 'mtls.revoked-*', '--capabilities', 'crl,ocsp', '--reporter', 'json', '--out', dir], {
      env: { WHC_FLAWS: 'no-crl' },
    });
    const report = readReport(dir);
    const failed = report.scenarios.find((s) => s.id === 'mtls.revoked-crl');
    expect(failed?.verdict).toBe('fail');
    expect(failed?.remediation?.node).toMatch(/crl: \[one PEM string per CRL\]/);
    expect(failed?.remediation?.nginx).toMatch(/^ssl_crl /);
    // Passing scenarios carry none.
    expect(report.scenarios.filter((s) => s.verdict !== 'fail' && s.remediation)).toEqual([]);
    expect(report.scenarios.find((s) => s.id === 'mtls.revoked-ocsp')?.verdict).toBe('pass');
    expect(result.stdout).toMatch(/^ {6}fix \(Node https\): crl: \[one PEM string per CRL\]/m);
    expect(result.stdout).toMatch(/^ {6}fix \(nginx\): ssl_crl /m);
    expect(result.code).toBe(1);
    expect(leftovers(result)).toEqual([]);
  });
});
