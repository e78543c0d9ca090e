import { randomBytes, type webcrypto } from 'node:crypto';
import type { Party } from './keys.js';
import { type Extension, PemConverter, type X509Certificate, X509CertificateGenerator } from './x509.js';
import { wholeSeconds } from './dates.js';

export type SignatureHash = 'SHA-256' | 'SHA-1';

export interface CertificateRequest {
  readonly subject: Party;
  /** The signer; the subject itself for a self-signed certificate. */
  readonly issuer: Party;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: Extension[];
  /** Defaults to SHA-256. */
  readonly hash?: SignatureHash;
}

/** 16 random bytes, positive: top bit cleared, and the next one set so DER never drops a leading zero byte. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** ECDSA or RSA as the signer's key is; an RSA key signs with the hash it was imported with. */
function signingAlgorithm(issuer: Party, hash: SignatureHash): webcrypto.Algorithm | webcrypto.EcdsaParams {
  return issuer.keys.privateKey.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash } : issuer.keys.privateKey.algorithm;
}

export function issueCertificate(request: CertificateRequest): Promise<X509Certificate> {
  return X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: request.subject.name,
    issuer: request.issuer.name,
    notBefore: wholeSeconds(request.notBefore),
    notAfter: wholeSeconds(request.notAfter),
    publicKey: request.subject.keys.publicKey,
    signingKey: request.issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithm(request.issuer, request.hash ?? 'SHA-256'),
    extensions: request.extensions,
  });
}

/** PEM with a trailing newline, so blocks concatenate into valid bundles. */
export function certificatePem(cert: X509Certificate): string {
  return `${cert.toString('pem')}\n`;
}

/** The certificate with one bit of its signature flipped: still well-formed DER (the last byte is
 * inside the signature's last INTEGER), but the signature no longer verifies. */
export function corruptedSignaturePem(cert: X509Certificate): string {
  const der = new Uint8Array(cert.rawData.slice(0));
  der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
  return `${PemConverter.encode(der.buffer, 'CERTIFICATE')}\n`;
}
