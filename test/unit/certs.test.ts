import { execFile } from 'node:child_process';
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
  kitPaths,
  type KitPaths,
  type Pki,
  writeKit,
} from '../../certs/index.js';

// A fixed `now` with milliseconds, so offsets and truncation are checked exactly; openssl judges
// validity at the same instant (-attime), so results never depend on the wall clock.
const NOW = new Date('2030-03-15T12:34:56.789Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const DAY_S = 86_400;
const ATTIME = ['-attime', String(NOW_S)];

const CLIENT_ROOT = 'CN=wh-conformance client root CA';
const CLIENT_INTERMEDIATE = 'CN=wh-conformance client intermediate CA';
const ROGUE = 'CN=wh-conformance rogue CA';
const SERVER_CA = 'CN=wh-conformance server CA';

interface Run {
  readonly code: number;
  readonly output: string;
}

function openssl(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('openssl', args, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: stdout + stderr });
    });
  });
}

function pemBlocks(pem: string, label: string): string[] {
  return pem.match(new RegExp(`-----BEGIN ${label}-----\\n[\\s\\S]+?\\n-----END ${label}-----\\n`, 'g')) ?? [];
}

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

beforeAll(async () => {
  pki = await buildPki({ now: NOW });
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
    expect(names).toEqual(['valid', 'untrusted-ca', 'self-signed', 'expired', 'not-yet-valid', 'revoked']);
  });

  it('builds every identity by default, and only the asked ones otherwise', async () => {
    expect([...pki.identities.keys()].sort()).toEqual(IDENTITY_CATALOG.map((spec) => spec.name).sort());
    const subset = await buildPki({ now: NOW, identities: ['valid'] });
    expect([...subset.identities.keys()]).toEqual(['valid']);
    expect(pemBlocks(subset.crlPem, 'X509 CRL')).toHaveLength(2);
  });
});

describe('client identities under openssl verify -x509_strict -purpose sslclient -crl_check_all', () => {
  // The chain the client sends (the identity's file) is the untrusted pool, as a listener sees it.
  function verifyClient(name: IdentityName): Promise<Run> {
    const file = paths.clientCert(name);
    return openssl([
      'verify', '-x509_strict', '-purpose', 'sslclient', '-crl_check_all', ...ATTIME,
      '-CAfile', paths.clientCa, '-CRLfile', paths.crl, '-untrusted', file, file,
    ]);
  }

  it('accepts valid', async () => {
    const run = await verifyClient('valid');
    expect(run.output).toContain(': OK');
    expect(run.code).toBe(0);
  });

  it.each([
    ['revoked', 'certificate revoked'],
    ['expired', 'certificate has expired'],
    ['not-yet-valid', 'certificate is not yet valid'],
    // Each fails to chain to the client root: the rogue root and the leaf itself are not anchors.
    ['untrusted-ca', 'self-signed certificate in certificate chain'],
    ['self-signed', 'self-signed certificate'],
  ] as const)('rejects %s: %s', async (name, message) => {
    const run = await verifyClient(name);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(message);
    expect(run.output).not.toContain(': OK');
  });

  it('rejects untrusted-ca even when the real intermediate is on offer too', async () => {
    const pool = join(dir, 'pool.pem');
    await writeFile(pool, identity(pki, 'untrusted-ca').certPem + identity(pki, 'valid').certPem);
    const run = await openssl([
      'verify', '-x509_strict', '-purpose', 'sslclient', ...ATTIME,
      '-CAfile', paths.clientCa, '-untrusted', pool, paths.clientCert('untrusted-ca'),
    ]);
    expect(run.code).not.toBe(0);
  });
});

describe('client identity certificates', () => {
  it.each(IDENTITY_CATALOG.map((spec) => [spec.name, spec] as const))('%s has its validity, subject and key', (name, spec) => {
    const { certPem, keyPem } = identity(pki, name);
    const leaf = parse(certPem);
    expect(seconds(leaf.validFrom)).toBe(NOW_S + spec.validity.fromDays * DAY_S);
    expect(seconds(leaf.validTo)).toBe(NOW_S + spec.validity.toDays * DAY_S);
    expect(dn(leaf.subject)).toBe(ALLOWED_CLIENT_SUBJECT);
    expect(leaf.ca).toBe(false);
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    // 16 bytes, positive.
    expect(leaf.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(keyPem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(leaf.checkPrivateKey(key)).toBe(true);
  });

  it.each([
    ['valid', CLIENT_INTERMEDIATE, [CLIENT_INTERMEDIATE]],
    ['expired', CLIENT_INTERMEDIATE, [CLIENT_INTERMEDIATE]],
    ['not-yet-valid', CLIENT_INTERMEDIATE, [CLIENT_INTERMEDIATE]],
    ['revoked', CLIENT_INTERMEDIATE, [CLIENT_INTERMEDIATE]],
    ['untrusted-ca', ROGUE, [ROGUE]],
    ['self-signed', ALLOWED_CLIENT_SUBJECT, []],
  ] as const)('%s is issued by %s and sent with its chain', (name, issuer, chain) => {
    const [leafPem, ...rest] = pemBlocks(identity(pki, name).certPem, 'CERTIFICATE');
    const leaf = parse(leafPem ?? '');
    expect(dn(leaf.issuer)).toBe(issuer);
    expect(rest.map((pem) => dn(parse(pem).subject))).toEqual(chain);
    const signer = rest[0] === undefined ? leaf : parse(rest[0]);
    expect(leaf.verify(signer.publicKey)).toBe(true);
  });

  it('gives every leaf critical CA:false and digitalSignature, clientAuth, SKI and AKI', async () => {
    for (const name of pki.identities.keys()) {
      const run = await openssl(['x509', '-in', paths.clientCert(name), '-noout', '-ext',
        'basicConstraints,keyUsage,extendedKeyUsage,subjectKeyIdentifier,authorityKeyIdentifier']);
      expect(run.output).toMatch(/Basic Constraints: critical\n\s+CA:FALSE\n/);
      expect(run.output).toMatch(/Key Usage: critical\n\s+Digital Signature\n/);
      expect(run.output).toMatch(/Extended Key Usage: \n\s+TLS Web Client Authentication\n/);
      expect(run.output).toContain('Subject Key Identifier');
      expect(run.output).toContain('Authority Key Identifier');
    }
  });
});

describe('certificate authorities', () => {
  const caPems = (): Record<string, string> => ({
    [CLIENT_ROOT]: pki.clientCaPem,
    [CLIENT_INTERMEDIATE]: pemBlocks(identity(pki, 'valid').certPem, 'CERTIFICATE')[1] ?? '',
    [ROGUE]: pemBlocks(identity(pki, 'untrusted-ca').certPem, 'CERTIFICATE')[1] ?? '',
    [SERVER_CA]: pki.serverCaPem,
  });

  it('trusts only the client root for client certificates', () => {
    const anchors = pemBlocks(pki.clientCaPem, 'CERTIFICATE');
    expect(anchors.map((pem) => dn(parse(pem).subject))).toEqual([CLIENT_ROOT]);
  });

  it('gives each CA its own subject and its own key', () => {
    const certs = Object.entries(caPems()).map(([name, pem]) => [name, parse(pem)] as const);
    expect(certs.map(([name, cert]) => [name, dn(cert.subject)])).toEqual(certs.map(([name]) => [name, name]));
    const keys = certs.map(([, cert]) => cert.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
    expect(new Set(keys).size).toBe(4);
  });

  it.each([
    [CLIENT_ROOT, 'CA:TRUE\n', false],
    [CLIENT_INTERMEDIATE, 'CA:TRUE, pathlen:0\n', true],
    [ROGUE, 'CA:TRUE\n', false],
    [SERVER_CA, 'CA:TRUE\n', false],
  ] as const)('%s has the extensions -x509_strict asks of a CA', async (name, constraints, hasAki) => {
    const file = join(dir, 'ca.pem');
    await writeFile(file, caPems()[name] ?? '');
    const run = await openssl(['x509', '-in', file, '-noout', '-ext',
      'basicConstraints,keyUsage,subjectKeyIdentifier,authorityKeyIdentifier']);
    expect(run.output).toContain(`Basic Constraints: critical\n    ${constraints}`);
    expect(run.output).toMatch(/Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
    expect(run.output).toContain('Subject Key Identifier');
    expect(run.output.includes('Authority Key Identifier')).toBe(hasAki);
  });

  it('keeps every CA valid across every leaf window', () => {
    const earliest = Math.min(...IDENTITY_CATALOG.map((spec) => spec.validity.fromDays));
    const latest = Math.max(...IDENTITY_CATALOG.map((spec) => spec.validity.toDays));
    for (const pem of Object.values(caPems())) {
      const ca = parse(pem);
      expect(seconds(ca.validFrom)).toBeLessThanOrEqual(NOW_S + earliest * DAY_S);
      expect(seconds(ca.validTo)).toBeGreaterThanOrEqual(NOW_S + latest * DAY_S);
    }
  });
});

describe('server certificate', () => {
  it('verifies against the server CA as a TLS server for localhost, 127.0.0.1 and ::1', async () => {
    for (const check of [['-verify_hostname', 'localhost'], ['-verify_ip', '127.0.0.1'], ['-verify_ip', '::1']]) {
      const run = await openssl(['verify', '-x509_strict', '-purpose', 'sslserver', ...ATTIME, ...check,
        '-CAfile', paths.serverCa, paths.serverCert]);
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

describe('CRLs', () => {
  async function crlText(pem: string): Promise<string> {
    const file = join(dir, 'one-crl.pem');
    await writeFile(file, pem);
    const run = await openssl(['crl', '-in', file, '-noout', '-text']);
    expect(run.code).toBe(0);
    return run.output;
  }

  it('holds one CRL per client CA, root first, labelled X509 CRL and accepted by Node', () => {
    expect(pki.crlPem).not.toMatch(/BEGIN CRL/);
    expect(pemBlocks(pki.crlPem, 'X509 CRL')).toHaveLength(2);
    expect(() => createSecureContext({ ca: pki.clientCaPem, crl: pki.crlPem })).not.toThrow();
  });

  it.each([
    [0, CLIENT_ROOT],
    [1, CLIENT_INTERMEDIATE],
  ] as const)('CRL %i is from %s, current and numbered', async (index, issuer) => {
    const text = await crlText(pemBlocks(pki.crlPem, 'X509 CRL')[index] ?? '');
    expect(text).toContain(`Issuer: ${issuer.replace('CN=', 'CN = ')}\n`);
    const lastUpdate = /Last Update: (.+)\n/.exec(text)?.[1] ?? '';
    const nextUpdate = /Next Update: (.+)\n/.exec(text)?.[1] ?? '';
    expect(seconds(lastUpdate)).toBe(NOW_S - 3600);
    expect(seconds(nextUpdate)).toBe(NOW_S + 7 * DAY_S);
    expect(text).toMatch(new RegExp(`CRL Number: \\n\\s+${NOW_S}\\n`));
    expect(text).toContain('Authority Key Identifier');
  });

  it('lists the revoked leaf, and only it, in the intermediate CRL with reason keyCompromise', async () => {
    const [rootCrl, intermediateCrl] = pemBlocks(pki.crlPem, 'X509 CRL');
    expect(await crlText(rootCrl ?? '')).toContain('No Revoked Certificates.');
    const text = await crlText(intermediateCrl ?? '');
    const serials = [...text.matchAll(/Serial Number: ([0-9A-F]+)\n/g)].map((match) => match[1]);
    expect(serials).toEqual([parse(identity(pki, 'revoked').certPem).serialNumber]);
    expect(text).toContain('Key Compromise');
  });
});

describe('kit', () => {
  async function mode(path: string): Promise<number> {
    return (await stat(path)).mode & 0o777;
  }

  it('names files after the target contract', () => {
    const p = kitPaths('/k');
    expect([p.dir, p.clientCa, p.crl, p.serverCert, p.serverKey, p.serverCa, p.secrets]).toEqual([
      '/k', '/k/client-ca.pem', '/k/crl.pem', '/k/server.pem', '/k/server-key.pem', '/k/server-ca.pem', '/k/secrets.json',
    ]);
    expect([p.clientCert('valid'), p.clientKey('valid')]).toEqual(['/k/clients/valid.pem', '/k/clients/valid-key.pem']);
  });

  it('writes the PKI and secrets as they are', async () => {
    expect(await readFile(paths.clientCa, 'utf8')).toBe(pki.clientCaPem);
    expect(await readFile(paths.crl, 'utf8')).toBe(pki.crlPem);
    expect(await readFile(paths.serverCert, 'utf8')).toBe(pki.serverCertPem);
    expect(await readFile(paths.serverKey, 'utf8')).toBe(pki.serverKeyPem);
    expect(await readFile(paths.serverCa, 'utf8')).toBe(pki.serverCaPem);
    expect(JSON.parse(await readFile(paths.secrets, 'utf8'))).toEqual({ 'standard-webhooks': 'whsec_test' });
    for (const [name, files] of pki.identities) {
      expect(await readFile(paths.clientCert(name), 'utf8')).toBe(files.certPem);
      expect(await readFile(paths.clientKey(name), 'utf8')).toBe(files.keyPem);
    }
  });

  it('keeps directories 0700 and keys and secrets 0600', async () => {
    expect(await mode(paths.dir)).toBe(0o700);
    expect(await mode(join(paths.dir, 'clients'))).toBe(0o700);
    expect(await mode(paths.serverKey)).toBe(0o600);
    expect(await mode(paths.secrets)).toBe(0o600);
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

describe('build time', () => {
  it('is printed for the full catalog (informational, never asserted)', async () => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const start = performance.now();
      await buildPki({ now: new Date() });
      runs.push(performance.now() - start);
    }
    console.log(`buildPki, full catalog: ${runs.map((ms) => ms.toFixed(1)).join(', ')} ms`);
    expect(runs).toHaveLength(5);
  });
});
