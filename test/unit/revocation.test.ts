import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BasicOCSPResponse, OCSPResponse, OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPki, createOcspAnswer, IDENTITY_CATALOG, type IdentityName, kitPaths, type OcspAnswer, type Pki, writeKit } from '../../certs/index.js';
import { startResponder, type RevocationResponder } from '../../harness/kit/revocation-responder.js';
import { certIdOf, ocspRequestDer, ocspStatus, ocspUrlOf } from '../../examples/listeners/revocation.mjs';
import { lacks } from '../system-parts.js';
import { openssl, pemBlocks } from './openssl.js';

// The run's revocation responder, live on loopback, checked with the openssl command line: what
// `openssl ocsp` and `openssl verify -crl_download` accept, a listener's OpenSSL accepts too.

let responder: RevocationResponder;
let pki: Pki;
let dir: string;
const now = new Date();

/** The PEM file of block `index` of an identity's chain (0: the leaf, 1: its issuer). */
async function certFile(name: IdentityName, index: number): Promise<string> {
  const file = join(dir, `${name}-${index}.pem`);
  await writeFile(file, pemBlocks(pki.identities.get(name)?.certPem ?? '', 'CERTIFICATE')[index] ?? '');
  return file;
}

/** The same OCSP response with one bit of its signature's last byte flipped (still valid DER). */
function withFlippedSignature(response: Uint8Array): Uint8Array {
  const outer = AsnConvert.parse(response, OCSPResponse);
  const bytes = outer.responseBytes;
  if (!bytes) throw new Error('no response bytes');
  const basic = AsnConvert.parse(bytes.response.buffer, BasicOCSPResponse);
  const signature = new Uint8Array(basic.signature.slice(0));
  signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01;
  const flipped = new BasicOCSPResponse({ tbsResponseData: basic.tbsResponseData, signatureAlgorithm: basic.signatureAlgorithm, signature: signature.buffer, ...(basic.certs ? { certs: basic.certs } : {}) });
  bytes.response = new OctetString(AsnConvert.serialize(flipped));
  return new Uint8Array(AsnConvert.serialize(outer));
}

const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
const block = (name: IdentityName, index: number) => der(pemBlocks(pki.identities.get(name)?.certPem ?? '', 'CERTIFICATE')[index] ?? '');

const noOpenssl = lacks('openssl');

beforeAll(async () => {
  responder = await startResponder();
  pki = await buildPki({ now, revocationOrigin: responder.origin });
  dir = await mkdtemp(join(tmpdir(), 'whc-revocation-'));
  await writeKit(join(dir, 'kit'), pki, {});
  responder.serve(pki.revocation);
});

afterAll(async () => {
  await responder.stop();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(noOpenssl)('the OCSP responder, asked by openssl ocsp', () => {
  const ask = async (name: IdentityName, issuerFile: string, extra: string[] = []) =>
    openssl(['ocsp', '-issuer', issuerFile, '-cert', await certFile(name, 0), '-url', `${responder.origin}/ocsp`, '-CAfile', kitPaths(join(dir, 'kit')).clientCa, '-resp_text', ...extra]);

  it.each([
    ['valid', 'good'],
    ['revoked-ocsp', 'revoked'],
    // Revoked before the CRL: OCSP says so too, though the certificate names no OCSP URL.
    ['revoked', 'revoked'],
  ] as const)('answers %s: %s, signed by the delegated responder, nonce echoed', async (name, status) => {
    const run = await ask(name, await certFile('valid', 1));
    expect(run.output).toContain(`Cert Status: ${status}`);
    expect(run.output).toContain('Response verify OK');
    expect(run.output).toContain('OCSP Nonce');
    expect(run.output).not.toContain('WARNING');
    if (status === 'revoked') expect(run.output).toContain('Revocation Reason: keyCompromise');
  });

  it('answers for the intermediates too, as the client root: good, and revoked for the revoked one', async () => {
    const root = kitPaths(join(dir, 'kit')).clientCa;
    const status = async (name: IdentityName) => {
      const run = await openssl(['ocsp', '-issuer', root, '-cert', await certFile(name, 1), '-url', `${responder.origin}/ocsp`, '-CAfile', root]);
      expect(run.output).toContain('Response verify OK');
      return /: (good|revoked|unknown)\n/.exec(run.output)?.[1];
    };
    expect(await status('valid')).toBe('good');
    expect(await status('intermediate-revoked')).toBe('revoked');
    expect(await status('intermediate-expired')).toBe('good');
  });

  it('answers unknown for a serial the CA never issued', async () => {
    const run = await openssl(['ocsp', '-issuer', await certFile('valid', 1), '-serial', '0x1234', '-url', `${responder.origin}/ocsp`, '-CAfile', kitPaths(join(dir, 'kit')).clientCa]);
    expect(run.output).toMatch(/0x1234: unknown/);
    expect(run.output).toContain('Response verify OK');
  });

  it('answers for a rogue CA\'s leaf as an attacker\'s responder would: good, signed for the rogue CA', async () => {
    const rogue = await certFile('untrusted-ca', 1);
    const run = await openssl(['ocsp', '-issuer', rogue, '-cert', await certFile('untrusted-ca', 0), '-url', `${responder.origin}/ocsp`, '-CAfile', rogue]);
    expect(run.output).toContain('Response verify OK');
    expect(run.output).toMatch(/: good\n/);
  });

  it('refuses, unauthorized, to answer for a CA whose certificates do not name it (the server CA)', async () => {
    const serverCa = join(dir, 'server-ca.pem');
    const serverCert = join(dir, 'server.pem');
    await writeFile(serverCa, pki.serverCaPem);
    await writeFile(serverCert, pki.serverCertPem);
    const run = await openssl(['ocsp', '-issuer', serverCa, '-cert', serverCert, '-url', `${responder.origin}/ocsp`, '-CAfile', serverCa]);
    expect(run.output).toContain('Responder Error: unauthorized (6)');
  });

  it('answers GET requests (base64 in the path) as it answers POST', async () => {
    const request = join(dir, 'request.der');
    const issuer = await certFile('valid', 1);
    const leaf = await certFile('revoked-ocsp', 0);
    expect((await openssl(['ocsp', '-issuer', issuer, '-cert', leaf, '-no_nonce', '-reqout', request])).code).toBe(0);
    const path = encodeURIComponent((await readFile(request)).toString('base64'));
    const response = await fetch(`${responder.origin}/ocsp/${path}`);
    expect(response.headers.get('content-type')).toBe('application/ocsp-response');
    const answer = join(dir, 'answer.der');
    await writeFile(answer, Buffer.from(await response.arrayBuffer()));
    const run = await openssl(['ocsp', '-respin', answer, '-issuer', issuer, '-cert', leaf, '-CAfile', kitPaths(join(dir, 'kit')).clientCa]);
    expect(run.output).toContain('Response verify OK');
    expect(run.output).toContain('revoked');
  });

  it('answers malformedRequest to what is not an OCSP request', async () => {
    const response = await fetch(`${responder.origin}/ocsp`, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: 'not DER' });
    expect(response.status).toBe(200);
    expect(AsnConvert.parse(await response.arrayBuffer(), OCSPResponse).responseStatus).toBe(OCSPResponseStatus.malformedRequest);
  });
});

describe.skipIf(noOpenssl)('the CRLs, fetched by openssl verify -crl_download from the certificates\' distribution points', () => {
  // Only the root's own CRL is given (a root names no distribution point); the others are downloaded.
  it.each([
    ['valid', ': OK'],
    ['revoked', 'certificate revoked'],
    ['intermediate-revoked', 'certificate revoked'],
  ] as const)('%s: %s', async (name, message) => {
    const file = kitPaths(join(dir, 'kit')).clientCert(name);
    const rootCrl = join(dir, 'root-crl.pem');
    await writeFile(rootCrl, pemBlocks(pki.crlPem, 'X509 CRL')[0] ?? '');
    const run = await openssl(['verify', '-crl_download', '-crl_check_all', '-purpose', 'sslclient', '-CAfile', kitPaths(join(dir, 'kit')).clientCa, '-CRLfile', rootCrl, '-untrusted', file, file]);
    expect(run.output).toContain(message);
    if (message === ': OK') expect(run.code).toBe(0);
  });

  it('serves each CRL as DER, application/pkix-crl, and the PEM bundle', async () => {
    const crl = await fetch(`${responder.origin}/crl/client-intermediate.crl`);
    expect(crl.headers.get('content-type')).toBe('application/pkix-crl');
    expect(Buffer.from(await crl.arrayBuffer()).toString('base64')).toBe(pki.revocation.crls['client-intermediate']);
    expect(await (await fetch(`${responder.origin}/crl.pem`)).text()).toBe(pki.crlPem);
    expect((await fetch(`${responder.origin}/crl/nobody.crl`)).status).toBe(404);
    expect((await fetch(`${responder.origin}/elsewhere`)).status).toBe(404);
  });
});

describe('responder lifecycle', () => {
  it('answers 503 until it has something to serve, and stops listening when stopped', async () => {
    const early = await startResponder();
    expect((await fetch(`${early.origin}/crl.pem`)).status).toBe(503);
    await early.stop();
    const port = Number(new URL(early.origin).port);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('fails to start on a port in use, with the code', async () => {
    const port = Number(new URL(responder.origin).port);
    await expect(startResponder('127.0.0.1', port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe("the secure listener's OCSP client (examples/listeners/revocation.mjs)", () => {
  let answer: OcspAnswer;
  beforeAll(async () => {
    answer = await createOcspAnswer(pki.revocation.ocsp);
  });
  const statusOf = (name: IdentityName, at = now) => {
    const certId = certIdOf(block(name, 0), block(name, 1));
    return ocspStatus(answer(ocspRequestDer(certId), now), certId, block(name, 1), at);
  };

  it('reads good, revoked and unknown, as the responder answers', () => {
    expect(statusOf('valid')).toBe('good');
    expect(statusOf('revoked-ocsp')).toBe('revoked');
    // Issued by the client intermediate, but outside what the responder was told about.
    const stranger = certIdOf(block('untrusted-ca', 0), block('valid', 1));
    expect(ocspStatus(answer(ocspRequestDer(stranger), now), stranger, block('valid', 1), now)).toBe('unknown');
  });

  it('finds the OCSP URL in the AIA, and none in a certificate without one', () => {
    expect(ocspUrlOf(new X509Certificate(block('valid', 0)))).toBe(`${responder.origin}/ocsp`);
    expect(ocspUrlOf(new X509Certificate(block('revoked', 0)))).toBeUndefined();
  });

  it('believes no answer with a broken signature, about another certificate, signed for another issuer, or out of date', () => {
    const certId = certIdOf(block('valid', 0), block('valid', 1));
    const good = answer(ocspRequestDer(certId), now);
    expect(() => ocspStatus(withFlippedSignature(good), certId, block('valid', 1), now)).toThrow(/signature does not verify/);
    const other = certIdOf(block('revoked-ocsp', 0), block('valid', 1));
    expect(() => ocspStatus(good, other, block('valid', 1), now)).toThrow(/another certificate/);
    expect(() => ocspStatus(good, certId, block('intermediate-revoked', 1), now)).toThrow(/did not delegate/);
    expect(() => ocspStatus(good, certId, block('valid', 1), new Date(now.getTime() + 3 * 3_600_000))).toThrow(/not current/);
  });

  it('refuses an answer that is not successful', () => {
    const certId = certIdOf(der(pki.serverCertPem), der(pki.serverCaPem));
    expect(() => ocspStatus(answer(ocspRequestDer(certId), now), certId, der(pki.serverCaPem), now)).toThrow(/unauthorized/);
  });

  // A listener that checks OCSP fail-closed, and little else, must refuse a bad certificate for what
  // the responder says of it, never because the responder would not answer.
  const withOcspUrl = IDENTITY_CATALOG.filter((spec) => spec.ocspUrl !== false);
  it.each(withOcspUrl.map((spec) => [spec.name, spec] as const))('answers for %s, as its issuer would sign, and the answer is believed', (name, spec) => {
    // A leaf sent alone (missing-intermediate) is still the client intermediate's; a self-signed one is its own issuer.
    const issuer = spec.issuer === 'self' ? block(name, 0) : spec.sendChain === false ? block('valid', 1) : block(name, 1);
    const certId = certIdOf(block(name, 0), issuer);
    expect(ocspStatus(answer(ocspRequestDer(certId), now), certId, issuer, now)).toBe(spec.revoked ? 'revoked' : 'good');
  });
});
