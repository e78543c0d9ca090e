import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AccessDescription,
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  ExtendedKeyUsage,
  Extension,
  GeneralName,
  id_ad_ocsp,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_cRLNumber,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_OCSPSigning,
  id_kp_serverAuth,
  id_pe_authorityInfoAccess,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import type { Party } from './keys.js';

export { Extension, KeyUsageFlags };

// Extension sets that `openssl verify -x509_strict` accepts: critical basicConstraints and
// keyUsage, SKI on CAs, AKI on everything but a root. Built with the ASN.1 schema classes, as the
// certificate around them is (issue.ts).

/** The extended key usages a certificate of the test PKI may name. */
export const ExtendedKeyUsageOid = { serverAuth: id_kp_serverAuth, clientAuth: id_kp_clientAuth, ocspSigning: id_kp_OCSPSigning } as const;
export type ExtendedKeyUsageOid = (typeof ExtendedKeyUsageOid)[keyof typeof ExtendedKeyUsageOid];

const CA_KEY_USAGE = KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign;
const ID_PKIX_OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';
const DER_NULL = new Uint8Array([0x05, 0x00]);
/** Under the enterprise number reserved for documentation (RFC 5612): no software knows it, so
 * marked critical it must be refused. */
const UNKNOWN_CRITICAL_EXTENSION_OID = '1.3.6.1.4.1.32473.1.1';

/** An extension whose value is `value`, DER-encoded. */
function extension(extnID: string, critical: boolean, value: object | Uint8Array): Extension {
  const der = value instanceof Uint8Array ? value : new Uint8Array(AsnConvert.serialize(value));
  return new Extension({ extnID, critical, extnValue: new OctetString(der) });
}

const hex = (keyId: string) => new Uint8Array(Buffer.from(keyId, 'hex')).buffer;
const basicConstraints = (cA: boolean, pathLenConstraint?: number) =>
  extension(id_ce_basicConstraints, true, new BasicConstraints({ cA, ...(pathLenConstraint === undefined ? {} : { pathLenConstraint }) }));
const keyUsage = (flags: number) => extension(id_ce_keyUsage, true, new KeyUsage(flags));
const extendedKeyUsage = (usages: readonly ExtendedKeyUsageOid[]) => extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([...usages]));
const subjectKeyIdentifier = (party: Party) => extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(hex(party.keyId)));
const authorityKeyIdentifier = (issuer: Party) =>
  extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(hex(issuer.keyId)) }));

/** Where a relying party finds a certificate's revocation status: its issuer's CRL, and the OCSP responder. */
export interface RevocationPointers {
  readonly crl?: string;
  readonly ocsp?: string;
}

function pointerExtensions(pointers: RevocationPointers): Extension[] {
  const uri = (uniformResourceIdentifier: string) => new GeneralName({ uniformResourceIdentifier });
  return [
    ...(pointers.crl
      ? [extension(id_ce_cRLDistributionPoints, false, new CRLDistributionPoints([new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [uri(pointers.crl)] }) })]))]
      : []),
    ...(pointers.ocsp ? [extension(id_pe_authorityInfoAccess, false, new AuthorityInfoAccessSyntax([new AccessDescription({ accessMethod: id_ad_ocsp, accessLocation: uri(pointers.ocsp) })]))] : []),
  ];
}

/** A CRL's extensions: its issuer's key identifier, and its number (a DER INTEGER). */
export function crlExtensions(ca: Party, crlNumber: Uint8Array): Extension[] {
  return [authorityKeyIdentifier(ca), extension(id_ce_cRLNumber, false, crlNumber)];
}

export function rootCaExtensions(ca: Party): Extension[] {
  return [basicConstraints(true), keyUsage(CA_KEY_USAGE), subjectKeyIdentifier(ca)];
}

/** pathLen 0: signs leaves only. `ca: false` makes the one certificate that differs from an
 * intermediate in basicConstraints alone (a "leaf" that signs). */
export function intermediateCaExtensions(ca: Party, issuer: Party, pointers: RevocationPointers, options: { ca?: boolean } = {}): Extension[] {
  return [
    options.ca === false ? basicConstraints(false) : basicConstraints(true, 0),
    keyUsage(CA_KEY_USAGE),
    subjectKeyIdentifier(ca),
    authorityKeyIdentifier(issuer),
    ...pointerExtensions(pointers),
  ];
}

/** How a leaf departs from a valid client certificate; `{}` is a valid one. */
export interface LeafProfile {
  readonly keyUsage?: number;
  readonly extendedKeyUsage?: readonly ExtendedKeyUsageOid[];
  readonly unknownCriticalExtension?: boolean;
  readonly pointers?: RevocationPointers;
}

/** `issuer` is the leaf itself for a self-signed one, so it differs from a valid leaf only in who signed it. */
export function clientLeafExtensions(leaf: Party, issuer: Party, profile: LeafProfile = {}): Extension[] {
  return [
    basicConstraints(false),
    keyUsage(profile.keyUsage ?? KeyUsageFlags.digitalSignature),
    extendedKeyUsage(profile.extendedKeyUsage ?? [ExtendedKeyUsageOid.clientAuth]),
    subjectKeyIdentifier(leaf),
    authorityKeyIdentifier(issuer),
    ...pointerExtensions(profile.pointers ?? {}),
    ...(profile.unknownCriticalExtension ? [extension(UNKNOWN_CRITICAL_EXTENSION_OID, true, DER_NULL)] : []),
  ];
}

/** A delegated OCSP responder (RFC 6960 §4.2.2.2): id-kp-OCSPSigning, and id-pkix-ocsp-nocheck so
 * nobody asks about the responder's own status. */
export function ocspResponderExtensions(responder: Party, issuer: Party): Extension[] {
  return [
    basicConstraints(false),
    keyUsage(KeyUsageFlags.digitalSignature),
    extendedKeyUsage([ExtendedKeyUsageOid.ocspSigning]),
    subjectKeyIdentifier(responder),
    authorityKeyIdentifier(issuer),
    extension(ID_PKIX_OCSP_NOCHECK, false, DER_NULL),
  ];
}

export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly ips: readonly string[];
}

export function serverLeafExtensions(leaf: Party, issuer: Party, names: SubjectAltNames): Extension[] {
  const san = new SubjectAlternativeName([...names.dns.map((dNSName) => new GeneralName({ dNSName })), ...names.ips.map((iPAddress) => new GeneralName({ iPAddress }))]);
  return [...clientLeafExtensions(leaf, issuer, { extendedKeyUsage: [ExtendedKeyUsageOid.serverAuth] }), extension(id_ce_subjectAltName, false, san)];
}
