import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { connect } from 'node:tls';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPki, IDENTITY_CATALOG, type IdentityName, type KitPaths, type Pki, writeKit } from '../../certs/index.js';
import { clientTlsOffer } from '../../harness/deliver/tls-offer.js';
import { lacks } from '../system-parts.js';
import { openssl, pemBlocks } from './openssl.js';

// Each negative identity differs from `valid` in exactly one respect, or a verdict cannot say what
// the listener refused. Proved two ways: openssl verify, checking as a listener does, refuses it, and
// accepts it with only that one check relaxed; and the client's TLS offer is valid's.

const NOW = new Date('2030-03-15T12:34:56.789Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

/** How openssl verify checks a client chain: every field is one check that a relaxation changes. */
interface Check {
  purpose: boolean;
  crlCheckAll: boolean;
  authLevel: number;
  /** false: no validity dates checked, of certificates or CRLs (openssl -no_check_time). */
  checkTime: boolean;
  ignoreCritical: boolean;
  /** Trust anchors and extra untrusted certificates besides the identity's own chain (PEM). */
  anchors: string[];
  untrusted: string[];
}

let pki: Pki;
let dir: string;
let paths: KitPaths;

const block = (name: IdentityName, index: number) => pemBlocks(pki.identities.get(name)?.certPem ?? '', 'CERTIFICATE')[index] ?? '';

async function pemFile(name: string, pem: string): Promise<string> {
  const file = join(dir, `${name}.pem`);
  await writeFile(file, pem);
  return file;
}

function listenerCheck(): Check {
  return { purpose: true, crlCheckAll: true, authLevel: 2, checkTime: true, ignoreCritical: false, anchors: [pki.clientCaPem], untrusted: [] };
}

async function verify(name: IdentityName, check: Check): Promise<string> {
  const file = paths.clientCert(name);
  const run = await openssl([
    'verify', '-x509_strict',
    ...(check.purpose ? ['-purpose', 'sslclient'] : []),
    ...(check.crlCheckAll ? ['-crl_check_all'] : []),
    ...(check.ignoreCritical ? ['-ignore_critical'] : []),
    '-auth_level', String(check.authLevel), ...(check.checkTime ? ['-attime', String(NOW_S)] : ['-no_check_time']),
    '-CAfile', await pemFile(`anchors-${name}`, check.anchors.join('')),
    '-CRLfile', paths.crl,
    '-untrusted', await pemFile(`untrusted-${name}`, [pki.identities.get(name)?.certPem ?? '', ...check.untrusted].join('')),
    file,
  ]);
  return run.code === 0 && run.output.includes(': OK') ? 'OK' : run.output;
}

/** The one check each identity fails, relaxed. Identities with nothing to relax are compared field by field below. */
const RELAXED: Partial<Record<IdentityName, (check: Check) => Check>> = {
  expired: (c) => ({ ...c, checkTime: false }),
  'not-yet-valid': (c) => ({ ...c, checkTime: false }),
  'intermediate-expired': (c) => ({ ...c, checkTime: false }),
  revoked: (c) => ({ ...c, crlCheckAll: false }),
  'intermediate-revoked': (c) => ({ ...c, crlCheckAll: false }),
  'missing-intermediate': (c) => ({ ...c, untrusted: [block('valid', 1)] }),
  'wrong-eku': (c) => ({ ...c, purpose: false }),
  'no-digital-signature': (c) => ({ ...c, purpose: false }),
  'weak-rsa-key': (c) => ({ ...c, authLevel: 1 }),
  'sha1-signature': (c) => ({ ...c, authLevel: 0 }),
  'unknown-critical-extension': (c) => ({ ...c, ignoreCritical: true }),
  // The trust anchor: the rogue root, or the self-signed leaf itself, trusted instead of the client
  // root. A hierarchy the listener does not trust has no CRL it knows either: trusting the anchor
  // is trusting that (the one place where the relaxation is two flags).
  'untrusted-ca': (c) => ({ ...c, anchors: [block('untrusted-ca', 1)], crlCheckAll: false }),
  'self-signed': (c) => ({ ...c, anchors: [block('self-signed', 0)], crlCheckAll: false }),
};

beforeAll(async () => {
  pki = await buildPki({ now: NOW, revocationOrigin: 'http://127.0.0.1:9' });
  dir = await mkdtemp(join(tmpdir(), 'whc-one-respect-'));
  paths = await writeKit(join(dir, 'kit'), pki, {});
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(lacks('openssl'))('openssl verify refuses each identity as a listener would, and accepts it with only its check relaxed', () => {
  it('valid passes the whole check', async () => {
    expect(await verify('valid', listenerCheck())).toBe('OK');
  });

  it.each(Object.entries(RELAXED))('%s', async (name, relax) => {
    const identity = name as IdentityName;
    expect(await verify(identity, listenerCheck())).not.toBe('OK');
    expect(await verify(identity, relax(listenerCheck()))).toBe('OK');
  });
});

describe('every chain was valid at some moment: its certificates\' validity windows overlap', () => {
  it.each(IDENTITY_CATALOG.map((spec) => [spec.name]))('%s', (name) => {
    const chain = pemBlocks(pki.identities.get(name)?.certPem ?? '', 'CERTIFICATE').map((pem) => new X509Certificate(pem));
    const from = Math.max(...chain.map((cert) => Date.parse(cert.validFrom)));
    const to = Math.min(...chain.map((cert) => Date.parse(cert.validTo)));
    expect(from).toBeLessThan(to);
  });
});

describe.skipIf(lacks('openssl'))('identities no openssl flag relaxes, compared field by field', () => {
  /** Extensions of a certificate as openssl prints them, minus what names a key or a URL. */
  async function extensions(pem: string, names: string): Promise<string> {
    const run = await openssl(['x509', '-noout', '-ext', names], Buffer.from(pem));
    return run.output;
  }
  const validity = (pem: string) => {
    const cert = new X509Certificate(pem);
    return [cert.validFrom, cert.validTo];
  };

  it('bad-signature: with its one flipped bit flipped back, it passes the whole check', async () => {
    const der = Buffer.from(block('bad-signature', 0).replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
    const repaired = new X509Certificate(der).toString();
    const leaf = await pemFile('repaired', repaired);
    const chain = await pemFile('repaired-chain', block('valid', 1));
    const run = await openssl(['verify', '-x509_strict', '-purpose', 'sslclient', '-crl_check_all', '-auth_level', '2', '-attime', String(NOW_S), '-CAfile', paths.clientCa, '-CRLfile', paths.crl, '-untrusted', chain, leaf]);
    expect(run.output).toContain(': OK');
  });

  it('leaf-as-issuer: its issuer is the client intermediate but for basicConstraints CA:false: same issuer, dates, usages, path length', async () => {
    const issuer = block('leaf-as-issuer', 1);
    const intermediate = block('valid', 1);
    expect(await extensions(issuer, 'basicConstraints')).toMatch(/critical\n\s+CA:FALSE/);
    expect(await extensions(intermediate, 'basicConstraints')).toMatch(/critical\n\s+CA:TRUE, pathlen:0/);
    expect(await extensions(issuer, 'keyUsage,extendedKeyUsage')).toBe(await extensions(intermediate, 'keyUsage,extendedKeyUsage'));
    expect(new X509Certificate(issuer).issuer).toBe(new X509Certificate(intermediate).issuer);
    expect(validity(issuer)).toEqual(validity(intermediate));
    expect(pemBlocks(pki.identities.get('leaf-as-issuer')?.certPem ?? '', 'CERTIFICATE')).toHaveLength(2);
    // It publishes a CRL, as the intermediate does, so a CRL check has one to find.
    expect(Object.keys(pki.revocation.crls)).toContain('non-ca-leaf');
  });

  it('path-length-exceeded: one CA more than pathLen 0 allows, and otherwise as valid', async () => {
    const [leaf, subCa, intermediate] = pemBlocks(pki.identities.get('path-length-exceeded')?.certPem ?? '', 'CERTIFICATE');
    expect(intermediate).toBe(block('valid', 1));
    expect(await extensions(subCa ?? '', 'basicConstraints,keyUsage')).toBe(await extensions(block('valid', 1), 'basicConstraints,keyUsage'));
    expect(await extensions(leaf ?? '', 'basicConstraints,keyUsage,extendedKeyUsage')).toBe(await extensions(block('valid', 0), 'basicConstraints,keyUsage,extendedKeyUsage'));
    expect(validity(leaf ?? '')).toEqual(validity(block('valid', 0)));
  });
});

/** The parts of a ClientHello an offer decides: cipher suites and extensions, without the ones that
 * change on every connection (key share, padding, PSK). */
function offerOf(record: Buffer): { suites: string; extensions: Record<number, string> } {
  let at = 5 + 4 + 2 + 32;
  at += 1 + (record[at] ?? 0);
  const suitesLength = record.readUInt16BE(at);
  const suites = record.subarray(at + 2, at + 2 + suitesLength).toString('hex');
  at += 2 + suitesLength;
  at += 1 + (record[at] ?? 0);
  const end = at + 2 + record.readUInt16BE(at);
  const extensions: Record<number, string> = {};
  for (at += 2; at < end; ) {
    const type = record.readUInt16BE(at);
    const length = record.readUInt16BE(at + 2);
    if (![21, 41, 51].includes(type)) extensions[type] = record.subarray(at + 4, at + 4 + length).toString('hex');
    at += 4 + length;
  }
  return { suites, extensions };
}

/** The ClientHello the delivery client sends when it presents `name`. */
async function clientHello(name: IdentityName): Promise<ReturnType<typeof offerOf>> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const hello = once(server, 'connection').then(async ([socket]) => {
    const [record] = (await once(socket as Socket, 'data')) as [Buffer];
    (socket as Socket).destroy();
    return offerOf(record);
  });
  const identity = pki.identities.get(name);
  const client = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, servername: 'localhost', cert: identity?.certPem, key: identity?.keyPem, ...clientTlsOffer({}, name) });
  client.on('error', () => undefined);
  try {
    return await hello;
  } finally {
    client.destroy();
    server.close();
  }
}

describe('the client offers the same handshake whichever identity it presents', () => {
  it.each(IDENTITY_CATALOG.map((spec) => [spec.name]))('%s', async (name) => {
    expect(await clientHello(name)).toEqual(await clientHello('valid'));
  });
});
