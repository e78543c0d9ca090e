import { type Party, SIGNING_ALGORITHM } from './keys.js';
import { AuthorityKeyIdentifierExtension, Extension, PemConverter, X509CrlGenerator, X509CrlReason } from './x509.js';
import { daysFrom, hoursFrom } from './dates.js';

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

/**
 * The current CRL of `ca`, as PEM labelled `X509 CRL` (the library's `CRL` label is refused by
 * OpenSSL and Node). Revocations carry keyCompromise, because reason 0 is silently dropped.
 */
export async function issueCrlPem(ca: Party, now: Date, revokedSerials: readonly string[]): Promise<string> {
  const thisUpdate = hoursFrom(now, -1);
  const crl = await X509CrlGenerator.create({
    issuer: ca.name,
    thisUpdate,
    nextUpdate: daysFrom(now, 7),
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new AuthorityKeyIdentifierExtension(ca.keyId),
      // Seconds since the epoch: a CRL from a later kit always supersedes an earlier one.
      new Extension(CRL_NUMBER_OID, false, derInteger(Math.floor(now.getTime() / 1000))),
    ],
    entries: revokedSerials.map((serialNumber) => ({
      serialNumber,
      revocationDate: thisUpdate,
      reason: X509CrlReason.keyCompromise,
    })),
  });
  return `${PemConverter.encode(crl.rawData, 'X509 CRL')}\n`;
}
