import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOWED_CLIENT_SUBJECT,
  buildPki,
  IDENTITY_CATALOG,
  type IdentityName,
  type IdentitySpec,
  kitPaths,
  type KitPaths,
  type Pki,
  writeKit,
} from '../../certs/index.js';
import { lacks } from '../system-parts.js';
import { openssl, type OpensslRun, pemBlocks } from './openssl.js';

// A fixed `now` with milliseconds, so offsets and truncation are checked exactly; openssl judges
// validity at the same instant (-attime), so results never depend on the wall clock.
const NOW = new Date('2030-03-15T12:34:56.789Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const DAY_S = 86_400;
const ATTIME = ['-attime', String(NOW_S)];
const ORIGIN = 'http://127.0.0.1:9';

const CLIENT_ROOT = 'CN=wh-conformance client root CA';
const CLIENT_INTERMEDIATE = 'CN=wh-conformance client intermediate CA';
const REVOKED_INTERMEDIATE = 'CN=wh-conformance revoked intermediate CA';
const EXPIRED_INTERMEDIATE = 'CN=wh-conformance expired intermediate CA';
const SUB_CA = 'CN=wh-conformance sub-CA beyond pathLen 0';
const NON_CA_LEAF = 'CN=wh-conformance client leaf used as issuer';
const ROGUE = 'CN=wh-conformance rogue CA';
const SERVER_CA = 'CN=wh-conformance server CA';

/** Who signs each kind of identity, and what the client sends after the leaf. */
const ISSUERS: Record<IdentitySpec['issuer'], { dn: string | null; chain: string[]; crl: string | null }> = {
  'client-intermediate': { dn: CLIENT_INTERMEDIATE, chain: [CLIENT_INTERMEDIATE], crl: 'client-intermediate' },
  'rogue-ca': { dn: ROGUE, chain: [ROGUE], crl: null },
  self: { dn: null, chain: [], crl: null },
  'revoked-intermediate': { dn: REVOKED_INTERMEDIATE, chain: [REVOKED_INTERMEDIATE], crl: 'revoked-intermediate' },
  'expired-intermediate': { dn: EXPIRED_INTERMEDIATE, chain: [EXPIRED_INTERMEDIATE], crl: 'expired-intermediate' },
  'pathlen-sub-ca': { dn: SUB_CA, chain: [SUB_CA, CLIENT_INTERMEDIATE], crl: 'pathlen-sub-ca' },
  'non-ca-leaf': { dn: NON_CA_LEAF, chain: [NON_CA_LEAF], crl: 'non-ca-leaf' },
};

/** What `openssl verify` says of each identity as a listener would check it: trusting the client
 * root, at security level 2, with every CRL. */
const VERIFIED: Record<IdentityName, string> = {
  valid: ': OK',
  'valid-rsa': ': OK',
  'subject-not-allowed': ': OK',
  'subject-near-miss': ': OK',
  // Revoked after the current CRL: only OCSP knows.
  'revoked-ocsp': ': OK',
  'untrusted-ca': 'self-signed certificate in certificate chain',
  'self-signed': 'self-signed certificate',
  expired: 'certificate has expired',
  'not-yet-valid': 'certificate is not yet valid',
  revoked: 'certificate revoked',
  'intermediate-revoked': 'certificate revoked',
  'intermediate-expired': 'certificate has expired',
  'missing-intermediate': 'unable to get local issuer certificate',
  'wrong-eku': 'unsuitable certificate purpose',
  'no-digital-signature': 'unsuitable certificate purpose',
  'leaf-as-issuer': 'invalid CA certificate',
  'path-length-exceeded': 'path length constraint exceeded',
  'weak-rsa-key': 'EE certificate key too weak',
  'sha1-signature': 'CA signature digest algorithm too weak',
  'unknown-critical-extension': 'unhandled critical extension',
  'bad-signature': 'certificate signature failure',
};

/** Node prints distinguished names one attribute a line; ours have a single CN. */
function dn(name: string): string {
  return name.replace(/\n/g, ', ');
}

function seconds(opensslDate: string): number {
  return Date.parse(opensslDate) / 1000;
}

function identity(pki: Pki, name: IdentityName): { certPem: string; keyPem: string } {
  const found = pki.identities.get(name);
  if (found === undefined) throw new Error(`identity ${name} was not built`);
  return found;
}

function parse(pem: string): X509Certificate {
  return new X509Certificate(pem);
}

let pki: Pki;
let dir: string;
let paths: KitPaths;

const noOpenssl = lacks('openssl');

beforeAll(async () => {
  pki = await buildPki({ now: NOW, revocationOrigin: ORIGIN });
  dir = await mkdtemp(join(tmpdir(), 'whc-certs-'));
  paths = await writeKit(join(dir, 'kit'), pki, { 'standard-webhooks': 'whsec_test' });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('identity catalog', () => {
  it('names each identity once', () => {
    const names = IDENTITY_CATALOG.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(VERIFIED).sort()).toEqual([...names].sort());
  });

  it('builds every identity by default, and only the asked ones otherwise', async () => {
    expect([...pki.identities.keys()].sort()).toEqual(IDENTITY_CATALOG.map((spec) => spec.name).sort());
    const subset = await buildPki({ now: NOW, identities: ['valid'], revocationOrigin: ORIGIN });
    expect([...subset.identities.keys()]).toEqual(['valid']);
    expect(pemBlocks(subset.crlPem, 'X509 CRL')).toHaveLength(6);
  });
});

describe.skipIf(noOpenssl)('client identities under openssl verify -x509_strict -purpose sslclient -crl_check_all -auth_level 2', () => {
  // The chain the client sends (the identity's file) is the untrusted pool, as a listener sees it.
  function verifyClient(name: IdentityName): Promise<OpensslRun> {
    const file = paths.clientCert(name);
    return openssl([
      'verify', '-x509_strict', '-purpose', 'sslclient', '-crl_check_all', '-auth_level', '2', ...ATTIME,
      '-CAfile', paths.clientCa, '-CRLfile', paths.crl, '-untrusted', file, file,
    ]);
  }

  it.each(Object.entries(VERIFIED))('%s: %s', async (name, message) => {
    const run = await verifyClient(name as IdentityName);
    expect(run.output).toContain(message);
    if (message === ': OK') expect(run.code).toBe(0);
    else expect([run.code, run.output.includes(': OK')]).toEqual([2, false]);
  });

  it('accepts weak-rsa-key and sha1-signature at security level 0: only their strength is wrong', async () => {
    for (const name of ['weak-rsa-key', 'sha1-signature'] as const) {
      const file = paths.clientCert(name);
      const run = await openssl(['verify', '-purpose', 'sslclient', '-auth_level', '0', ...ATTIME, '-CAfile', paths.clientCa, '-untrusted', file, file]);
      expect([name, run.code]).toEqual([name, 0]);
    }
  });

  it('rejects untrusted-ca even when the real intermediate is on offer too', async () => {
    const pool = join(dir, 'pool.pem');
    await writeFile(pool, identity(pki, 'untrusted-ca').certPem + identity(pki, 'valid').certPem);
    const run = await openssl([
      'verify', '-x509_strict', '-purpose', 'sslclient', ...ATTIME,
      '-CAfile', paths.clientCa, '-untrusted', pool, paths.clientCert('untrusted-ca'),
    ]);
    expect([run.code, run.output.includes(': OK')]).toEqual([2, false]);
    expect(run.output).toContain(VERIFIED['untrusted-ca']);
  });
});

// Written out here, not read from the catalog: what a listener will see of each identity
// (validity in days from now, subject, key).
const PLAIN = { validity: [-1, 30], subject: ALLOWED_CLIENT_SUBJECT, key: 'prime256v1' } as const;
const EXPECTED: Partial<Record<IdentityName, { validity?: readonly [number, number]; subject?: string; key?: string }>> = {
  expired: { validity: [-30, -1] },
  'not-yet-valid': { validity: [1, 30] },
  'valid-rsa': { key: 'rsa 2048' },
  'weak-rsa-key': { key: 'rsa 1024' },
  'subject-not-allowed': { subject: 'CN=other-client.example.test' },
  'subject-near-miss': { subject: 'CN=webhooks.example.test.attacker.invalid' },
};

describe('client identity certificates', () => {
  it.each(IDENTITY_CATALOG.map((spec) => [spec.name, spec] as const))('%s has its validity, subject and key', (name) => {
    const { certPem, keyPem } = identity(pki, name);
    const leaf = parse(certPem);
    const expected = { ...PLAIN, ...EXPECTED[name] };
    expect([seconds(leaf.validFrom), seconds(leaf.validTo)]).toEqual(expected.validity.map((days) => NOW_S + days * DAY_S));
    expect(dn(leaf.subject)).toBe(expected.subject);
    expect(leaf.ca).toBe(false);
    // 16 bytes, positive.
    expect(leaf.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(keyPem);
    const details = key.asymmetricKeyDetails;
    expect(key.asymmetricKeyType === 'rsa' ? `rsa ${details?.modulusLength}` : details?.namedCurve).toBe(expected.key);
    expect(leaf.checkPrivateKey(key)).toBe(true);
  });

  it.each(IDENTITY_CATALOG.map((spec) => [spec.name, spec] as const))('%s is issued by its issuer and sent with its chain', (name, spec) => {
    const [leafPem, ...rest] = pemBlocks(identity(pki, name).certPem, 'CERTIFICATE');
    const leaf = parse(leafPem ?? '');
    const issuer = ISSUERS[spec.issuer];
    expect(dn(leaf.issuer)).toBe(issuer.dn ?? dn(leaf.subject));
    expect(rest.map((pem) => dn(parse(pem).subject))).toEqual(spec.sendChain === false ? [] : issuer.chain);
    // A leaf sent alone (missing-intermediate) is still the client intermediate's.
    const issuerPem = rest[0] ?? pemBlocks(identity(pki, 'valid').certPem, 'CERTIFICATE')[1] ?? '';
    const signer = spec.issuer === 'self' ? leaf : parse(issuerPem);
    expect(leaf.verify(signer.publicKey)).toBe(spec.corruptSignature !== true);
  });

  it.skipIf(noOpenssl).each(IDENTITY_CATALOG.map((spec) => [spec.name, spec] as const))('%s carries the extensions its entry says', async (name, spec) => {
    const file = join(dir, `${name}-leaf.pem`);
    await writeFile(file, pemBlocks(identity(pki, name).certPem, 'CERTIFICATE')[0] ?? '');
    const run = await openssl(['x509', '-in', file, '-noout', '-text']);
    expect(run.output).toMatch(/Basic Constraints: critical\n\s+CA:FALSE\n/);
    expect(run.output).toMatch(new RegExp(`Key Usage: critical\\n\\s+${spec.keyUsage ? 'Key Encipherment' : 'Digital Signature'}\\n`));
    expect(run.output).toMatch(new RegExp(`Extended Key Usage: \\n\\s+TLS Web ${spec.extendedKeyUsage ? 'Server' : 'Client'} Authentication\\n`));
    expect(run.output).toContain('Subject Key Identifier');
    expect(run.output).toContain('Authority Key Identifier');
    const crl = ISSUERS[spec.issuer].crl;
    expect(run.output.includes(`URI:${ORIGIN}/crl/${crl}.crl`)).toBe(crl !== null);
    expect(run.output.includes(`OCSP - URI:${ORIGIN}/ocsp`)).toBe(spec.ocspUrl !== false);
    expect(run.output.includes('1.3.6.1.4.1.32473.1.1: critical')).toBe(spec.unknownCriticalExtension === true);
    expect(run.output).toContain(`Signature Algorithm: ecdsa-with-${spec.signatureHash === 'SHA-1' ? 'SHA1' : 'SHA256'}`);
  });
});

describe.skipIf(noOpenssl)('certificate authorities', () => {
  const chainCa = (name: IdentityName, index = 0) => pemBlocks(identity(pki, name).certPem, 'CERTIFICATE')[index + 1] ?? '';
  const caPems = (): Record<string, string> => ({
    [CLIENT_ROOT]: pki.clientCaPem,
    [CLIENT_INTERMEDIATE]: chainCa('valid'),
    [REVOKED_INTERMEDIATE]: chainCa('intermediate-revoked'),
    [EXPIRED_INTERMEDIATE]: chainCa('intermediate-expired'),
    [SUB_CA]: chainCa('path-length-exceeded'),
    [NON_CA_LEAF]: chainCa('leaf-as-issuer'),
    [ROGUE]: chainCa('untrusted-ca'),
    [SERVER_CA]: pki.serverCaPem,
  });

  it('trusts only the client root for client certificates', () => {
    const anchors = pemBlocks(pki.clientCaPem, 'CERTIFICATE');
    expect(anchors.map((pem) => dn(parse(pem).subject))).toEqual([CLIENT_ROOT]);
  });

  it('gives each issuer its own subject and its own key', () => {
    const certs = Object.entries(caPems()).map(([name, pem]) => [name, parse(pem)] as const);
    expect(certs.map(([name, cert]) => [name, dn(cert.subject)])).toEqual(certs.map(([name]) => [name, name]));
    const keys = certs.map(([, cert]) => cert.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
    expect(new Set(keys).size).toBe(8);
  });

  it.each([
    [CLIENT_ROOT, 'CA:TRUE\n', CLIENT_ROOT],
    [CLIENT_INTERMEDIATE, 'CA:TRUE, pathlen:0\n', CLIENT_ROOT],
    [REVOKED_INTERMEDIATE, 'CA:TRUE, pathlen:0\n', CLIENT_ROOT],
    [EXPIRED_INTERMEDIATE, 'CA:TRUE, pathlen:0\n', CLIENT_ROOT],
    [SUB_CA, 'CA:TRUE, pathlen:0\n', CLIENT_INTERMEDIATE],
    [ROGUE, 'CA:TRUE\n', ROGUE],
    [SERVER_CA, 'CA:TRUE\n', SERVER_CA],
  ] as const)('%s has the extensions -x509_strict asks of a CA', async (name, constraints, issuer) => {
    const file = join(dir, 'ca.pem');
    await writeFile(file, caPems()[name] ?? '');
    const run = await openssl(['x509', '-in', file, '-noout', '-ext', 'basicConstraints,keyUsage,subjectKeyIdentifier,authorityKeyIdentifier']);
    expect(run.output).toContain(`Basic Constraints: critical\n    ${constraints}`);
    expect(run.output).toMatch(/Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
    expect(run.output).toContain('Subject Key Identifier');
    expect(run.output.includes('Authority Key Identifier')).toBe(issuer !== name);
    expect(dn(parse(caPems()[name] ?? '').issuer)).toBe(issuer);
  });

  it('keeps every CA but the expired intermediate valid across every leaf window', () => {
    const earliest = Math.min(...IDENTITY_CATALOG.map((spec) => spec.validity.fromDays));
    const latest = Math.max(...IDENTITY_CATALOG.map((spec) => spec.validity.toDays));
    for (const [name, pem] of Object.entries(caPems())) {
      const ca = parse(pem);
      expect(seconds(ca.validFrom)).toBeLessThanOrEqual(NOW_S + earliest * DAY_S);
      // Expired an hour ago: after every current leaf's start, so those chains were valid once.
      expect(seconds(ca.validTo)).toBe(name === EXPIRED_INTERMEDIATE ? NOW_S - 3600 : NOW_S + 365 * DAY_S);
      if (name !== EXPIRED_INTERMEDIATE) expect(seconds(ca.validTo)).toBeGreaterThanOrEqual(NOW_S + latest * DAY_S);
    }
  });
});

describe.skipIf(noOpenssl)('server certificate', () => {
  it('verifies against the server CA as a TLS server for localhost, 127.0.0.1 and ::1', async () => {
    for (const check of [['-verify_hostname', 'localhost'], ['-verify_ip', '127.0.0.1'], ['-verify_ip', '::1']]) {
      const run = await openssl(['verify', '-x509_strict', '-purpose', 'sslserver', ...ATTIME, ...check, '-CAfile', paths.serverCa, paths.serverCert]);
      expect(run.output).toContain(': OK');
    }
  });

  it('is the leaf alone, with its names, usages and key', () => {
    expect(pemBlocks(pki.serverCertPem, 'CERTIFICATE')).toHaveLength(1);
    const server = parse(pki.serverCertPem);
    expect(dn(server.subject)).toBe('CN=localhost');
    expect(dn(server.issuer)).toBe(SERVER_CA);
    expect(server.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(server.ca).toBe(false);
    expect(seconds(server.validFrom)).toBe(NOW_S - DAY_S);
    expect(server.checkPrivateKey(createPrivateKey(pki.serverKeyPem))).toBe(true);
    expect(pki.serverKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('has a critical digitalSignature key usage', async () => {
    const run = await openssl(['x509', '-in', paths.serverCert, '-noout', '-ext', 'keyUsage,basicConstraints']);
    expect(run.output).toMatch(/Key Usage: critical\n\s+Digital Signature\n/);
    expect(run.output).toMatch(/Basic Constraints: critical\n\s+CA:FALSE\n/);
  });
});

describe.skipIf(noOpenssl)('CRLs', () => {
  const ISSUERS_IN_ORDER = [CLIENT_ROOT, CLIENT_INTERMEDIATE, REVOKED_INTERMEDIATE, EXPIRED_INTERMEDIATE, SUB_CA, NON_CA_LEAF];

  async function crlText(pem: string): Promise<string> {
    const run = await openssl(['crl', '-noout', '-text'], Buffer.from(pem));
    expect(run.code).toBe(0);
    return run.output;
  }

  const serials = (text: string) => [...text.matchAll(/Serial Number: ([0-9A-F]+)\n/g)].map((match) => match[1]);

  it('holds one CRL per CA of the client hierarchy, root first, labelled X509 CRL and accepted by Node', () => {
    expect(pki.crlPem).not.toMatch(/BEGIN CRL/);
    expect(pemBlocks(pki.crlPem, 'X509 CRL')).toHaveLength(ISSUERS_IN_ORDER.length);
    expect(() => createSecureContext({ ca: pki.clientCaPem, crl: pemBlocks(pki.crlPem, 'X509 CRL') })).not.toThrow();
  });

  it.each(ISSUERS_IN_ORDER.map((issuer, index) => [index, issuer] as const))('CRL %i is from %s, current and numbered', async (index, issuer) => {
    const text = await crlText(pemBlocks(pki.crlPem, 'X509 CRL')[index] ?? '');
    expect(text).toContain(`Issuer: ${issuer.replace('CN=', 'CN = ')}\n`);
    expect(seconds(/Last Update: (.+)\n/.exec(text)?.[1] ?? '')).toBe(NOW_S - 3600);
    expect(seconds(/Next Update: (.+)\n/.exec(text)?.[1] ?? '')).toBe(NOW_S + 7 * DAY_S);
    expect(text).toMatch(new RegExp(`CRL Number: \\n\\s+${NOW_S}\\n`));
    expect(text).toContain('Authority Key Identifier');
  });

  it('revokes the revoked leaf in the intermediate CRL and the revoked intermediate in the root CRL, and nothing else', async () => {
    const [root, intermediate, ...others] = await Promise.all(pemBlocks(pki.crlPem, 'X509 CRL').map(crlText));
    const serialOf = (pem: string) => parse(pem).serialNumber;
    expect(serials(root ?? '')).toEqual([serialOf(pemBlocks(identity(pki, 'intermediate-revoked').certPem, 'CERTIFICATE')[1] ?? '')]);
    // revoked-ocsp was revoked after this CRL was published.
    expect(serials(intermediate ?? '')).toEqual([serialOf(identity(pki, 'revoked').certPem)]);
    expect(intermediate).toContain('Key Compromise');
    for (const text of others) expect(text).toContain('No Revoked Certificates.');
  });

  it('serves the same CRLs as DER, by issuer', () => {
    const ders = pemBlocks(pki.crlPem, 'X509 CRL').map((pem) => pem.replace(/-----[^-]+-----|\s/g, ''));
    expect(Object.keys(pki.revocation.crls)).toEqual(['client-root', 'client-intermediate', 'revoked-intermediate', 'expired-intermediate', 'pathlen-sub-ca', 'non-ca-leaf']);
    expect(Object.values(pki.revocation.crls)).toEqual(ders);
    expect(pki.revocation.crlPem).toBe(pki.crlPem);
    expect(pki.revocation.origin).toBe(ORIGIN);
  });
});

describe.skipIf(noOpenssl)('OCSP responder data', () => {
  const serialOf = (pem: string) => parse(pem).serialNumber.toLowerCase();
  const authority = (issuer: string) => {
    const found = pki.revocation.ocsp.find((a) => dn(parse(a.issuerPem).subject) === issuer);
    if (!found) throw new Error(`no OCSP authority for ${issuer}`);
    return found;
  };

  it('answers for every issuer of a certificate that names it: each CA through a delegated responder, a self-signed leaf itself', async () => {
    expect(pki.revocation.ocsp.map((a) => dn(parse(a.issuerPem).subject))).toEqual([
      CLIENT_ROOT, CLIENT_INTERMEDIATE, REVOKED_INTERMEDIATE, EXPIRED_INTERMEDIATE, SUB_CA, NON_CA_LEAF, ROGUE, ALLOWED_CLIENT_SUBJECT,
    ]);
    const self = pki.revocation.ocsp.filter((a) => a.responderPem === a.issuerPem);
    expect(self.map((a) => a.issuerPem)).toEqual([identity(pki, 'self-signed').certPem]);
    expect(self[0]?.responderKeyPem).toBe(identity(pki, 'self-signed').keyPem);
    for (const a of pki.revocation.ocsp.filter((d) => d.responderPem !== d.issuerPem)) {
      const responder = parse(a.responderPem);
      expect(responder.checkIssued(parse(a.issuerPem))).toBe(true);
      expect(responder.keyUsage).toEqual(['1.3.6.1.5.5.7.3.9']);
      expect(responder.checkPrivateKey(createPrivateKey(a.responderKeyPem))).toBe(true);
      const file = join(dir, 'responder.pem');
      await writeFile(file, a.responderPem);
      expect((await openssl(['x509', '-in', file, '-noout', '-text'])).output).toContain('OCSP No Check');
    }
  });

  it('knows what each CA issued and revoked, revoked-ocsp after the CRL and revoked before it', () => {
    const leaves = authority(CLIENT_INTERMEDIATE).issued;
    expect(leaves[serialOf(identity(pki, 'valid').certPem)]).toBeNull();
    expect(Date.parse(leaves[serialOf(identity(pki, 'revoked').certPem)] ?? '')).toBeLessThan((NOW_S - 3600) * 1000);
    expect(Date.parse(leaves[serialOf(identity(pki, 'revoked-ocsp').certPem)] ?? '')).toBeGreaterThan((NOW_S - 3600) * 1000);
    expect(leaves[serialOf(identity(pki, 'untrusted-ca').certPem)]).toBeUndefined();
    const intermediates = authority(CLIENT_ROOT).issued;
    const ca = (name: IdentityName) => serialOf(pemBlocks(identity(pki, name).certPem, 'CERTIFICATE')[1] ?? '');
    expect(intermediates[ca('valid')]).toBeNull();
    expect(intermediates[ca('intermediate-revoked')]).toMatch(/^\d{4}-/);
    expect(intermediates[ca('intermediate-expired')]).toBeNull();
    // The revoked intermediate's own responder knows nothing against its leaf.
    expect(authority(REVOKED_INTERMEDIATE).issued[serialOf(identity(pki, 'intermediate-revoked').certPem)]).toBeNull();
  });
});

describe('kit', () => {
  async function mode(path: string): Promise<number> {
    return (await stat(path)).mode & 0o777;
  }

  it('names files after the target contract', () => {
    const p = kitPaths('/k');
    expect([p.dir, p.clientCa, p.crl, p.serverCert, p.serverKey, p.serverCa, p.secrets, p.revocation]).toEqual([
      '/k', '/k/client-ca.pem', '/k/crl.pem', '/k/server.pem', '/k/server-key.pem', '/k/server-ca.pem', '/k/secrets.json', '/k/revocation.json',
    ]);
    expect([p.clientCert('valid'), p.clientKey('valid')]).toEqual(['/k/clients/valid.pem', '/k/clients/valid-key.pem']);
  });

  it('writes the PKI, the revocation data and the secrets as they are', async () => {
    expect(await readFile(paths.clientCa, 'utf8')).toBe(pki.clientCaPem);
    expect(await readFile(paths.crl, 'utf8')).toBe(pki.crlPem);
    expect(await readFile(paths.serverCert, 'utf8')).toBe(pki.serverCertPem);
    expect(await readFile(paths.serverKey, 'utf8')).toBe(pki.serverKeyPem);
    expect(await readFile(paths.serverCa, 'utf8')).toBe(pki.serverCaPem);
    expect(JSON.parse(await readFile(paths.secrets, 'utf8'))).toEqual({ 'standard-webhooks': 'whsec_test' });
    expect(JSON.parse(await readFile(paths.revocation, 'utf8'))).toEqual(pki.revocation);
    for (const [name, files] of pki.identities) {
      expect(await readFile(paths.clientCert(name), 'utf8')).toBe(files.certPem);
      expect(await readFile(paths.clientKey(name), 'utf8')).toBe(files.keyPem);
    }
  });

  it('keeps directories 0700 and keys, secrets and the responder keys 0600', async () => {
    expect(await mode(paths.dir)).toBe(0o700);
    expect(await mode(join(paths.dir, 'clients'))).toBe(0o700);
    expect(await mode(paths.serverKey)).toBe(0o600);
    expect(await mode(paths.secrets)).toBe(0o600);
    expect(await mode(paths.revocation)).toBe(0o600);
    for (const name of pki.identities.keys()) {
      expect(await mode(paths.clientKey(name))).toBe(0o600);
      expect((await mode(paths.clientCert(name))) & 0o022).toBe(0);
    }
  });

  it('tightens an existing, too open kit directory and key files when rewriting', async () => {
    const target = join(dir, 'reused');
    const reused = kitPaths(target);
    await mkdir(join(target, 'clients'), { recursive: true });
    await chmod(target, 0o755);
    await chmod(join(target, 'clients'), 0o755);
    await writeFile(reused.clientKey('valid'), 'old', { mode: 0o644 });
    await writeFile(reused.secrets, 'old', { mode: 0o644 });
    await writeKit(target, pki, {});
    expect(await mode(target)).toBe(0o700);
    expect(await mode(join(target, 'clients'))).toBe(0o700);
    expect(await mode(reused.clientKey('valid'))).toBe(0o600);
    expect(await mode(reused.secrets)).toBe(0o600);
    expect(await readFile(reused.clientKey('valid'), 'utf8')).toBe(identity(pki, 'valid').keyPem);
  });
});

