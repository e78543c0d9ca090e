import type { Party } from './keys.js';
import {
  AuthorityInfoAccessExtension,
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
} from './x509.js';

// Extension sets that `openssl verify -x509_strict` accepts: critical basicConstraints and
// keyUsage, SKI on CAs, AKI on everything but a root.

const CA_KEY_USAGE = KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign;
const ID_PKIX_OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';
const DER_NULL = new Uint8Array([0x05, 0x00]);
/** Under the enterprise number reserved for documentation (RFC 5612): no software knows it, so
 * marked critical it must be refused. (The x509 library mangles arcs beyond 2^53, as in UUID OIDs.) */
const UNKNOWN_CRITICAL_EXTENSION_OID = '1.3.6.1.4.1.32473.1.1';

/** Where a relying party finds a certificate's revocation status: its issuer's CRL, and the OCSP responder. */
export interface RevocationPointers {
  readonly crl?: string;
  readonly ocsp?: string;
}

function pointerExtensions(pointers: RevocationPointers): Extension[] {
  return [
    ...(pointers.crl ? [new CRLDistributionPointsExtension([pointers.crl])] : []),
    ...(pointers.ocsp ? [new AuthorityInfoAccessExtension({ ocsp: pointers.ocsp })] : []),
  ];
}

export function rootCaExtensions(ca: Party): Extension[] {
  return [
    new BasicConstraintsExtension(true, undefined, true),
    new KeyUsagesExtension(CA_KEY_USAGE, true),
    new SubjectKeyIdentifierExtension(ca.keyId),
  ];
}

/** pathLen 0: signs leaves only. `ca: false` makes the one certificate that differs from an
 * intermediate in basicConstraints alone (a "leaf" that signs). */
export function intermediateCaExtensions(ca: Party, issuer: Party, pointers: RevocationPointers, options: { ca?: boolean } = {}): Extension[] {
  return [
    options.ca === false ? new BasicConstraintsExtension(false, undefined, true) : new BasicConstraintsExtension(true, 0, true),
    new KeyUsagesExtension(CA_KEY_USAGE, true),
    new SubjectKeyIdentifierExtension(ca.keyId),
    new AuthorityKeyIdentifierExtension(issuer.keyId),
    ...pointerExtensions(pointers),
  ];
}

/** How a leaf departs from a valid client certificate; `{}` is a valid one. */
export interface LeafProfile {
  readonly keyUsage?: number;
  readonly extendedKeyUsage?: readonly ExtendedKeyUsage[];
  readonly unknownCriticalExtension?: boolean;
  readonly pointers?: RevocationPointers;
}

/** `issuer` is the leaf itself for a self-signed one, so it differs from a valid leaf only in who signed it. */
export function clientLeafExtensions(leaf: Party, issuer: Party, profile: LeafProfile = {}): Extension[] {
  return [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(profile.keyUsage ?? KeyUsageFlags.digitalSignature, true),
    new ExtendedKeyUsageExtension([...(profile.extendedKeyUsage ?? [ExtendedKeyUsage.clientAuth])]),
    new SubjectKeyIdentifierExtension(leaf.keyId),
    new AuthorityKeyIdentifierExtension(issuer.keyId),
    ...pointerExtensions(profile.pointers ?? {}),
    ...(profile.unknownCriticalExtension ? [new Extension(UNKNOWN_CRITICAL_EXTENSION_OID, true, DER_NULL)] : []),
  ];
}

/** A delegated OCSP responder (RFC 6960 §4.2.2.2): id-kp-OCSPSigning, and id-pkix-ocsp-nocheck so
 * nobody asks about the responder's own status. */
export function ocspResponderExtensions(responder: Party, issuer: Party): Extension[] {
  return [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
    new ExtendedKeyUsageExtension([ExtendedKeyUsage.ocspSigning]),
    new SubjectKeyIdentifierExtension(responder.keyId),
    new AuthorityKeyIdentifierExtension(issuer.keyId),
    new Extension(ID_PKIX_OCSP_NOCHECK, false, DER_NULL),
  ];
}

export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly ips: readonly string[];
}

export function serverLeafExtensions(leaf: Party, issuer: Party, names: SubjectAltNames): Extension[] {
  const san = new SubjectAlternativeNameExtension([
    ...names.dns.map((value) => ({ type: 'dns' as const, value })),
    ...names.ips.map((value) => ({ type: 'ip' as const, value })),
  ]);
  return [...clientLeafExtensions(leaf, issuer, { extendedKeyUsage: [ExtendedKeyUsage.serverAuth] }), san];
}
