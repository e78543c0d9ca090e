import { createHash, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import {
  BasicOCSPResponse,
  CertID,
  CertStatus,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
  KeyHash,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, CRLReason, CRLReasons } from '@peculiar/asn1-x509';
import { hoursFrom, wholeSeconds } from './dates.js';
import type { OcspAuthorityData } from './revocation.js';
import { PemConverter } from './x509.js';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
/** The hashes a CertID may use (RFC 6960 §4.1.1); OpenSSL and nginx send SHA-1. */
const CERT_ID_HASHES: Readonly<Record<string, string>> = { '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256' };

/** One CA's responder, ready to answer. */
interface Responder {
  readonly issuerName: Buffer;
  readonly issuerKey: Buffer;
  readonly certificate: Certificate;
  readonly keyHash: Buffer;
  readonly key: KeyObject;
  readonly issued: ReadonlyMap<string, Date | null>;
  /** Signed by a delegated responder, not by the issuer itself. */
  readonly delegated: boolean;
}

/** Answers one DER OCSP request (RFC 6960) at `now`, with a DER OCSP response. */
export type OcspAnswer = (request: Uint8Array, now: Date) => Uint8Array;

function parseCertificate(pem: string): Certificate {
  return AsnConvert.parse(PemConverter.decodeFirst(pem), Certificate);
}

function digest(algorithm: string, data: ArrayBuffer | Uint8Array): Buffer {
  return createHash(algorithm).update(new Uint8Array(data)).digest();
}

function responder(data: OcspAuthorityData): Responder {
  const issuer = parseCertificate(data.issuerPem).tbsCertificate;
  const certificate = parseCertificate(data.responderPem);
  return {
    issuerName: Buffer.from(AsnConvert.serialize(issuer.subject)),
    issuerKey: Buffer.from(issuer.subjectPublicKeyInfo.subjectPublicKey),
    certificate,
    keyHash: digest('sha1', certificate.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey),
    key: createPrivateKey(data.responderKeyPem),
    issued: new Map(Object.entries(data.issued).map(([serial, revoked]) => [serial, revoked === null ? null : new Date(revoked)])),
    delegated: data.responderPem !== data.issuerPem,
  };
}

function issuedBy(id: CertID, candidate: Responder): boolean {
  const hash = CERT_ID_HASHES[id.hashAlgorithm.algorithm];
  return (
    hash !== undefined &&
    digest(hash, candidate.issuerName).equals(Buffer.from(id.issuerNameHash.buffer)) &&
    digest(hash, candidate.issuerKey).equals(Buffer.from(id.issuerKeyHash.buffer))
  );
}

/** INTEGER content as lowercase hex, without the sign byte DER adds before a set top bit. */
function serialHex(serial: ArrayBuffer): string {
  return Buffer.from(serial).toString('hex').replace(/^(00)+(?=.)/, '');
}

function status(id: CertID, by: Responder): CertStatus {
  const revoked = by.issued.get(serialHex(id.serialNumber));
  if (revoked === undefined) return new CertStatus({ unknown: null });
  if (revoked === null) return new CertStatus({ good: null });
  return new CertStatus({ revoked: new RevokedInfo({ revocationTime: revoked, revocationReason: new CRLReason(CRLReasons.keyCompromise) }) });
}

function failure(responseStatus: OCSPResponseStatus): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(new OCSPResponse({ responseStatus })));
}

function signedResponse(request: OCSPRequest, by: Responder, now: Date): Uint8Array {
  const producedAt = wholeSeconds(now);
  const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
  const tbsResponseData = new ResponseData({
    responderID: new ResponderID({ byKey: new KeyHash(by.keyHash) }),
    producedAt,
    responses: request.tbsRequest.requestList.map(
      ({ reqCert }) => new SingleResponse({ certID: reqCert, certStatus: status(reqCert, by), thisUpdate: producedAt, nextUpdate: hoursFrom(producedAt, 1) }),
    ),
    ...(nonce ? { responseExtensions: [nonce] } : {}),
  });
  // Node signs ECDSA in DER, as X.509 and OCSP want it (WebCrypto would give raw r||s).
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbsResponseData)), { key: by.key, dsaEncoding: 'der' });
  const basic = new BasicOCSPResponse({
    tbsResponseData,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    signature: new Uint8Array(signature).buffer,
    // A delegated responder sends its certificate; an issuer signing for itself sends none.
    ...(by.delegated ? { certs: [by.certificate] } : {}),
  });
  const response = new OCSPResponse({
    responseStatus: OCSPResponseStatus.successful,
    responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
  });
  return new Uint8Array(AsnConvert.serialize(response));
}

/**
 * An OCSP responder over the given CAs: `good` for what a CA issued, `revoked` for what it revoked,
 * `unknown` for any other serial; signed by that CA's delegated responder. A request naming a CA it
 * does not serve is `unauthorized`; one that does not parse, `malformedRequest`.
 */
export function createOcspAnswer(authorities: readonly OcspAuthorityData[]): OcspAnswer {
  const responders = authorities.map(responder);
  return (der, now) => {
    let request: OCSPRequest;
    try {
      request = AsnConvert.parse(der, OCSPRequest);
    } catch {
      return failure(OCSPResponseStatus.malformedRequest);
    }
    const ids = request.tbsRequest.requestList.map((r) => r.reqCert);
    const first = ids[0];
    const by = first && responders.find((candidate) => issuedBy(first, candidate));
    // One responder signs the whole answer, so every certificate asked about must be its CA's.
    if (!by || !ids.every((id) => issuedBy(id, by))) return failure(OCSPResponseStatus.unauthorized);
    return signedResponse(request, by, now);
  };
}
