import { type Party, SIGNING_ALGORITHM } from './keys.js';
import { AuthorityKeyIdentifierExtension, Extension, PemConverter, X509CrlGenerator, X509CrlReason } from './x509.js';
import { daysFrom, hoursFrom, wholeSeconds } from './dates.js';

const CRL_NUMBER_OID = '2.5.29.20';

/** DER INTEGER of a non-negative safe integer (the library has no CRL number extension class). */
function derInteger(value: number): Uint8Array<ArrayBuffer> {
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
  /** Labelled `X509 CRL` (the library's `CRL` label is refused by OpenSSL and Node), with a trailing newline. */
  readonly pem: string;
  readonly der: ArrayBuffer;
}

/** When a CA's current CRL was published: an hour before the build. */
export function crlThisUpdate(now: Date): Date {
  return hoursFrom(now, -1);
}

/** The current CRL of `ca`. Revocations carry keyCompromise, because reason 0 is silently dropped. */
export async function issueCrl(ca: Party, now: Date, revoked: readonly Revocation[]): Promise<IssuedCrl> {
  const crl = await X509CrlGenerator.create({
    issuer: ca.name,
    thisUpdate: crlThisUpdate(now),
    nextUpdate: daysFrom(now, 7),
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new AuthorityKeyIdentifierExtension(ca.keyId),
      // Seconds since the epoch: a CRL from a later kit always supersedes an earlier one.
      new Extension(CRL_NUMBER_OID, false, derInteger(Math.floor(now.getTime() / 1000))),
    ],
    entries: revoked.map((entry) => ({
      serialNumber: entry.serialNumber,
      revocationDate: wholeSeconds(entry.revokedAt),
      reason: X509CrlReason.keyCompromise,
    })),
  });
  return { pem: `${PemConverter.encode(crl.rawData, 'X509 CRL')}\n`, der: crl.rawData };
}
