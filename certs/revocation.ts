import { type Authorities, type AuthorityName, CRL_ISSUERS } from './authorities.js';
import { crlThisUpdate, issueCrl, type Revocation } from './crl.js';
import { CURRENT_WINDOW, daysFrom, hoursFrom } from './dates.js';
import { ocspResponderExtensions } from './extensions.js';
import { certificatePem, issueCertificate } from './issue.js';
import { createParty, privateKeyPem } from './keys.js';

/** What one CA's OCSP responder knows. Plain data: the kit stores it for a later `run --certs`. */
export interface OcspAuthorityData {
  /** The CA whose certificates the answers are about. */
  readonly issuerPem: string;
  /** The delegated responder certificate that signs the answers, and its key (PKCS#8). */
  readonly responderPem: string;
  readonly responderKeyPem: string;
  /** Every certificate the CA issued, by lowercase hex serial: when it was revoked (ISO 8601), or null. */
  readonly issued: Readonly<Record<string, string | null>>;
}

/** Everything the revocation responder serves. */
export interface RevocationData {
  /** The responder's `http://127.0.0.1:PORT`, which the certificates point at. */
  readonly origin: string;
  /** Every current CRL in one PEM file (the kit's crl.pem). */
  readonly crlPem: string;
  /** DER CRLs, base64, by the name of their issuer. */
  readonly crls: Readonly<Record<string, string>>;
  readonly ocsp: readonly OcspAuthorityData[];
}

/** A certificate some authority issued, and whether (and how) it is revoked. */
export interface IssuedCertificate {
  readonly issuer: AuthorityName;
  readonly serialNumber: string;
  readonly revoked?: 'crl' | 'ocsp';
}

/** Every issuer of a certificate that names the responder in its AIA: the client hierarchy, and the
 * rogue CA, whose leaves an attacker's responder would call good. The revoked intermediate's
 * responder still calls its leaves good: only the root's CRL (or OCSP about the intermediate
 * itself) says it is revoked. The server CA is left out: its leaf names no responder. */
const OCSP_ISSUERS: readonly AuthorityName[] = ['client-root', 'client-intermediate', 'revoked-intermediate', 'expired-intermediate', 'pathlen-sub-ca', 'non-ca-leaf', 'rogue-ca'];

/** A self-signed leaf that names the responder: it answers for itself, signing with its own key. */
export interface SelfIssued {
  readonly pem: string;
  readonly keyPem: string;
  readonly serialNumber: string;
}

/** Revoked before the current CRL (so listed in it), or after it (so only OCSP knows). */
function revokedAt(how: 'crl' | 'ocsp', now: Date): Date {
  return how === 'crl' ? hoursFrom(crlThisUpdate(now), -1) : hoursFrom(now, -0.5);
}

async function ocspAuthority(authorities: Authorities, name: AuthorityName, certificates: readonly IssuedCertificate[], now: Date): Promise<OcspAuthorityData> {
  const ca = authorities[name];
  const responder = await createParty(`CN=wh-conformance OCSP responder for ${name}`);
  const cert = issueCertificate({
    subject: responder,
    issuer: ca.party,
    notBefore: daysFrom(now, CURRENT_WINDOW.fromDays),
    notAfter: daysFrom(now, CURRENT_WINDOW.toDays),
    extensions: ocspResponderExtensions(responder, ca.party),
  });
  const issued = certificates
    .filter((c) => c.issuer === name)
    .map((c) => [c.serialNumber.toLowerCase(), c.revoked ? revokedAt(c.revoked, now).toISOString() : null] as const);
  return { issuerPem: ca.pem, responderPem: certificatePem(cert), responderKeyPem: privateKeyPem(responder.keys), issued: Object.fromEntries(issued) };
}

/** A self-signed certificate's own responder: no delegate (a CA:false key cannot issue one), the
 * answer is signed with the certificate's key. */
function selfResponder(self: SelfIssued): OcspAuthorityData {
  return { issuerPem: self.pem, responderPem: self.pem, responderKeyPem: self.keyPem, issued: { [self.serialNumber.toLowerCase()]: null } };
}

/** The CRLs of the client hierarchy and what its OCSP responders answer, for `leaves`, the
 * authorities themselves and self-signed leaves. */
export async function buildRevocation(authorities: Authorities, leaves: readonly IssuedCertificate[], now: Date, origin: string, selfIssued: readonly SelfIssued[] = []): Promise<RevocationData> {
  const certificates: IssuedCertificate[] = [
    ...leaves,
    ...Object.values(authorities).flatMap((a) =>
      a.issuer ? [{ issuer: a.issuer, serialNumber: a.serialNumber, ...(a.revoked ? { revoked: 'crl' as const } : {}) }] : [],
    ),
  ];
  const crlEntries = (issuer: AuthorityName): Revocation[] =>
    certificates
      .filter((c) => c.issuer === issuer && c.revoked === 'crl')
      .map((c) => ({ serialNumber: c.serialNumber, revokedAt: revokedAt('crl', now) }));
  const crls = CRL_ISSUERS.map((name) => issueCrl(authorities[name].party, now, crlEntries(name)));
  const ocsp = await Promise.all(OCSP_ISSUERS.map((name) => ocspAuthority(authorities, name, certificates, now)));
  return {
    origin,
    crlPem: crls.map((crl) => crl.pem).join(''),
    crls: Object.fromEntries(CRL_ISSUERS.map((name, i) => [name, Buffer.from(crls[i]?.der ?? new ArrayBuffer(0)).toString('base64')])),
    ocsp: [...ocsp, ...selfIssued.map(selfResponder)],
  };
}
