import { randomBytes } from 'node:crypto';
import { type Party, SIGNING_ALGORITHM } from './keys.js';
import { type Extension, type X509Certificate, X509CertificateGenerator } from './x509.js';
import { wholeSeconds } from './dates.js';

export interface CertificateRequest {
  readonly subject: Party;
  /** The signer; the subject itself for a self-signed certificate. */
  readonly issuer: Party;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: Extension[];
}

/** 16 random bytes, positive: top bit cleared, and the next one set so DER never drops a leading zero byte. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
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
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: request.extensions,
  });
}

/** PEM with a trailing newline, so blocks concatenate into valid bundles. */
export function certificatePem(cert: X509Certificate): string {
  return `${cert.toString('pem')}\n`;
}
