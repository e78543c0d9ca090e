// OCSP for client certificates (RFC 6960), checked once per connection: the leaf's status is asked of
// the responder named in its authority information access, and the answer is believed only when a
// delegated responder of the leaf's issuer (or the issuer itself) signed it and it is current.
// Fails closed: revoked or unknown → 403, responder unreachable or answer unusable → 503.
// Uses the @peculiar ASN.1 packages for the DER; everything else is Node.
import { createHash, verify, X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  BasicOCSPResponse,
  CertID,
  id_kp_OCSPSigning,
  id_pkix_ocsp_basic,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import { reject } from './signatures.mjs';

const SHA1 = '1.3.14.3.2.26';
/** Signature algorithms a response may use, by OID, with their hash. */
const SIGNATURE_HASHES = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
};
/** Clock skew allowed between listener and responder. */
const SKEW_MS = 5 * 60_000;
const OK = { ok: true };

class OcspError extends Error {}

/** The OCSP URL in a certificate's authority information access, if any. */
export function ocspUrlOf(cert) {
  return /OCSP - URI:(\S+)/.exec(cert.infoAccess ?? '')?.[1];
}

/** The CertID (SHA-1, as OpenSSL and nginx send it) of `leafDer` issued by `issuerDer`. */
export function certIdOf(leafDer, issuerDer) {
  const issuer = AsnConvert.parse(issuerDer, Certificate).tbsCertificate;
  const sha1 = (data) => new OctetString(createHash('sha1').update(new Uint8Array(data)).digest());
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: sha1(AsnConvert.serialize(issuer.subject)),
    issuerKeyHash: sha1(issuer.subjectPublicKeyInfo.subjectPublicKey),
    serialNumber: AsnConvert.parse(leafDer, Certificate).tbsCertificate.serialNumber,
  });
}

export function ocspRequestDer(certId) {
  return Buffer.from(AsnConvert.serialize(new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }) })));
}

/** The certificate that signed the answer: a delegated responder issued by `issuer` for OCSP signing, or the issuer. */
function signerOf(basic, issuer) {
  const included = basic.certs?.[0];
  if (!included) return issuer;
  const signer = new X509Certificate(Buffer.from(AsnConvert.serialize(included)));
  const delegated = signer.checkIssued(issuer) && signer.verify(issuer.publicKey) && (signer.keyUsage ?? []).includes(id_kp_OCSPSigning);
  if (!delegated) throw new OcspError('the answer is signed by a certificate the issuer did not delegate OCSP to');
  return signer;
}

/**
 * The status (`good`, `revoked` or `unknown`) a DER OCSP response gives `certId`, after checking it
 * was signed for the issuer and is current at `now`; throws OcspError when it cannot be believed.
 */
export function ocspStatus(responseDer, certId, issuerDer, now = new Date()) {
  return ocspAnswer(responseDer, certId, issuerDer, now).status;
}

/** ocspStatus, with the time until which the answer may be reused (its nextUpdate, or now). */
function ocspAnswer(responseDer, certId, issuerDer, now = new Date()) {
  const response = AsnConvert.parse(responseDer, OCSPResponse);
  if (response.responseStatus !== OCSPResponseStatus.successful) {
    throw new OcspError(`the responder answered ${OCSPResponseStatus[response.responseStatus] ?? response.responseStatus}`);
  }
  if (response.responseBytes?.responseType !== id_pkix_ocsp_basic) throw new OcspError('not a basic OCSP response');
  const basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse);
  const hash = SIGNATURE_HASHES[basic.signatureAlgorithm.algorithm];
  if (!hash) throw new OcspError(`unsupported signature algorithm ${basic.signatureAlgorithm.algorithm}`);
  const signer = signerOf(basic, new X509Certificate(issuerDer));
  const signed = Buffer.from(basic.tbsResponseDataRaw ?? AsnConvert.serialize(basic.tbsResponseData));
  if (!verify(hash, signed, { key: signer.publicKey, dsaEncoding: 'der' }, Buffer.from(basic.signature))) {
    throw new OcspError('the answer\'s signature does not verify');
  }
  const wanted = Buffer.from(AsnConvert.serialize(certId));
  const single = basic.tbsResponseData.responses.find((r) => Buffer.from(AsnConvert.serialize(r.certID)).equals(wanted));
  if (!single) throw new OcspError('the answer is about another certificate');
  const time = now.getTime();
  if (single.thisUpdate.getTime() > time + SKEW_MS || (single.nextUpdate && single.nextUpdate.getTime() < time - SKEW_MS)) {
    throw new OcspError('the answer is not current');
  }
  const status = single.certStatus.revoked ? 'revoked' : single.certStatus.good === null ? 'good' : 'unknown';
  return { status, until: single.nextUpdate?.getTime() ?? time };
}

/** RFC 6960 answers are a few kilobytes; anything larger is not one. */
const MAX_ANSWER_BYTES = 64 * 1024;

// node:http, not fetch: fetch loads undici on first use, 50 ms of a delivery's answer.
function askResponder(url, der, timeoutMs) {
  return new Promise((resolve, rejectAnswer) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request', 'content-length': der.length }, timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return rejectAnswer(new OcspError(`the responder answered HTTP ${res.statusCode}`));
      }
      const chunks = [];
      let size = 0;
      res.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new OcspError('the answer is too large'));
        else chunks.push(chunk);
      });
      res.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      res.once('error', rejectAnswer);
    });
    req.once('timeout', () => req.destroy(new OcspError(`no answer within ${timeoutMs} ms`)));
    req.once('error', rejectAnswer);
    req.end(der);
  });
}

async function checkSocket(socket, timeoutMs, believed) {
  const peer = socket.getPeerCertificate(true);
  // No certificate: checkClient has already answered; no OCSP URL: the CRL is the check.
  if (!peer?.raw) return OK;
  const url = ocspUrlOf(new X509Certificate(peer.raw));
  if (!url) return OK;
  const issuer = peer.issuerCertificate;
  if (!issuer?.raw || issuer.raw.equals(peer.raw)) return reject(403, 'client certificate issuer unknown: cannot check its revocation');
  const certId = certIdOf(peer.raw, issuer.raw);
  const key = Buffer.from(AsnConvert.serialize(certId)).toString('base64');
  let answer = believed.get(key);
  if (!answer || answer.until < Date.now()) {
    try {
      answer = ocspAnswer(await askResponder(url, ocspRequestDer(certId), timeoutMs), certId, issuer.raw);
    } catch (err) {
      // Unreachable, late, malformed or unverifiable: no answer to believe, so no delivery.
      return reject(503, `client certificate revocation status unavailable: ${err.message}`);
    }
    believed.set(key, answer);
  }
  return answer.status === 'good' ? OK : reject(403, `client certificate ${answer.status} according to OCSP`);
}

/**
 * The per-connection OCSP check, on when WHC_OCSP_URL says a responder runs (the URL itself comes
 * from each certificate). One answer per TLS connection, shared by its keep-alive requests.
 */
export function ocspCheck(env, timeoutMs = 3000) {
  if (!env.WHC_OCSP_URL || !env.WHC_CLIENT_CA_FILE) return async () => OK;
  const answers = new WeakMap();
  // Answers believed, by certificate, until their nextUpdate (RFC 5019 §6.1): one round trip per
  // certificate, not per connection, as OCSP clients cache.
  const believed = new Map();
  return (socket) => {
    if (!socket.encrypted) return Promise.resolve(OK);
    let answer = answers.get(socket);
    if (!answer) {
      answer = checkSocket(socket, timeoutMs, believed);
      answers.set(socket, answer);
    }
    return answer;
  };
}
