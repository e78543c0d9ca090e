import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { CertificateList, CRLReason, CRLReasons, Extension, id_ce_cRLReasons, RevokedCertificate, TBSCertList, Time, Version } from '@peculiar/asn1-x509';
import type { Party } from './keys.js';
import { crlExtensions } from './extensions.js';
import { asnName, signerFor } from './issue.js';
import { PemConverter } from './x509.js';
import { daysFrom, hoursFrom, wholeSeconds } from './dates.js';

/** DER INTEGER of a non-negative safe integer. */
function derInteger(value: number): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  // A set top bit would read as negative.
  if (Number.parseInt(hex.slice(0, 1), 16) >= 8) hex = `00${hex}`;
  const content = Buffer.from(hex, 'hex');
  return Uint8Array.from([0x02, content.length, ...content]);
}

export interface Revocation {
  readonly serialNumber: string;
  readonly revokedAt: Date;
}

export interface IssuedCrl {
  /** Labelled `X509 CRL` (a `CRL` label is refused by OpenSSL and Node), with a trailing newline. */
  readonly pem: string;
  readonly der: ArrayBuffer;
}

/** When a CA's current CRL was published: an hour before the build. */
export function crlThisUpdate(now: Date): Date {
  return hoursFrom(now, -1);
}

/** A revoked entry, with reason keyCompromise: a reason of 0 (unspecified) is silently dropped by some readers. */
function revokedEntry(entry: Revocation): RevokedCertificate {
  return new RevokedCertificate({
    userCertificate: new Uint8Array(Buffer.from(entry.serialNumber, 'hex')).buffer,
    revocationDate: new Time(wholeSeconds(entry.revokedAt)),
    crlEntryExtensions: [new Extension({ extnID: id_ce_cRLReasons, critical: false, extnValue: new OctetString(AsnConvert.serialize(new CRLReason(CRLReasons.keyCompromise))) })],
  });
}

/** The current CRL of `ca` (v2, signed as its certificates are). */
export function issueCrl(ca: Party, now: Date, revoked: readonly Revocation[]): IssuedCrl {
  const signer = signerFor(ca);
  const tbsCertList = new TBSCertList({
    version: Version.v2,
    signature: signer.algorithm,
    issuer: asnName(ca.name),
    thisUpdate: new Time(crlThisUpdate(now)),
    nextUpdate: new Time(daysFrom(now, 7)),
    ...(revoked.length > 0 ? { revokedCertificates: revoked.map(revokedEntry) } : {}),
    // The number is seconds since the epoch: a CRL from a later kit always supersedes an earlier one.
    crlExtensions: crlExtensions(ca, derInteger(Math.floor(now.getTime() / 1000))),
  });
  const der = AsnConvert.serialize(new CertificateList({ tbsCertList, signatureAlgorithm: signer.algorithm, signature: signer.sign(tbsCertList) }));
  return { pem: `${PemConverter.encode(der, 'X509 CRL')}\n`, der };
}
