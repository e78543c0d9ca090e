import { KeyObject, randomBytes, sign, type webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, type Extension, Extensions, Name as AsnName, TBSCertificate, Validity, Version } from '@peculiar/asn1-x509';
import { type Party, publicKeyInfo } from './keys.js';
import { Name, PemConverter } from './x509.js';
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

/** A certificate as issued: its DER and its serial number (lowercase hex). */
export interface IssuedCertificateDer {
  readonly der: Uint8Array<ArrayBuffer>;
  readonly serialNumber: string;
}

/** 16 random bytes, positive: top bit cleared, and the next one set so DER never drops a leading zero byte. */
function randomSerial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes;
}

const NODE_HASH: Record<SignatureHash, string> = { 'SHA-256': 'sha256', 'SHA-1': 'sha1' };
/** ecdsa-with-SHA256/SHA1 (RFC 5758, RFC 3279: no parameters); sha256/sha1WithRSAEncryption (NULL parameters). */
const SIGNATURE_OIDS: Record<'ec' | 'rsa', Record<SignatureHash, string>> = {
  ec: { 'SHA-256': '1.2.840.10045.4.3.2', 'SHA-1': '1.2.840.10045.4.1' },
  rsa: { 'SHA-256': '1.2.840.113549.1.1.11', 'SHA-1': '1.2.840.113549.1.1.5' },
};

/** ECDSA with the requested hash; an RSA key signs with the hash it was imported with. */
function signatureScheme(issuer: Party, hash: SignatureHash): { kind: 'ec' | 'rsa'; hash: SignatureHash } {
  const algorithm = issuer.keys.privateKey.algorithm as webcrypto.RsaHashedKeyAlgorithm;
  return algorithm.name === 'ECDSA' ? { kind: 'ec', hash } : { kind: 'rsa', hash: algorithm.hash.name === 'SHA-1' ? 'SHA-1' : 'SHA-256' };
}

/** How `issuer` signs: the AlgorithmIdentifier that a TBS structure and its envelope both carry,
 * and the signer (the TBS structure in, the signature out: DER for ECDSA). */
export function signerFor(issuer: Party, hash: SignatureHash = 'SHA-256'): { algorithm: AlgorithmIdentifier; sign: (tbs: object) => ArrayBuffer } {
  const scheme = signatureScheme(issuer, hash);
  const algorithm = new AlgorithmIdentifier({ algorithm: SIGNATURE_OIDS[scheme.kind][scheme.hash], ...(scheme.kind === 'rsa' ? { parameters: null } : {}) });
  const key = KeyObject.from(issuer.keys.privateKey);
  return { algorithm, sign: (tbs) => new Uint8Array(sign(NODE_HASH[scheme.hash], Buffer.from(AsnConvert.serialize(tbs)), { key, dsaEncoding: 'der' })).buffer };
}

/** A distinguished name from its string form (`CN=…`), encoded as the x509 library encodes it. */
export function asnName(name: string): AsnName {
  return AsnConvert.parse(new Name(name).toArrayBuffer(), AsnName);
}

/** Issues an X.509 v3 certificate, built with the ASN.1 schema classes and signed with Node's
 * crypto in one pass: the x509 library's generator parses its result back, a third of a kit's time. */
export function issueCertificate(request: CertificateRequest): IssuedCertificateDer {
  const signer = signerFor(request.issuer, request.hash);
  const serial = randomSerial();
  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(serial).buffer,
    signature: signer.algorithm,
    issuer: asnName(request.issuer.name),
    validity: new Validity({ notBefore: wholeSeconds(request.notBefore), notAfter: wholeSeconds(request.notAfter) }),
    subject: asnName(request.subject.name),
    subjectPublicKeyInfo: publicKeyInfo(request.subject.keys.publicKey),
    extensions: new Extensions(request.extensions),
  });
  const certificate = new Certificate({ tbsCertificate, signatureAlgorithm: signer.algorithm, signatureValue: signer.sign(tbsCertificate) });
  return { der: new Uint8Array(AsnConvert.serialize(certificate)), serialNumber: serial.toString('hex') };
}

/** PEM with a trailing newline, so blocks concatenate into valid bundles. */
export function certificatePem(cert: IssuedCertificateDer): string {
  return `${PemConverter.encode(cert.der.buffer, 'CERTIFICATE')}\n`;
}

/** The certificate with one bit of its signature flipped: still well-formed DER (the last byte is
 * inside the signature's last INTEGER), but the signature no longer verifies. */
export function corruptedSignaturePem(cert: IssuedCertificateDer): string {
  const der = new Uint8Array(cert.der);
  der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
  return `${PemConverter.encode(der.buffer, 'CERTIFICATE')}\n`;
}
