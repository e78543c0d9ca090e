import type { Party } from './keys.js';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  type Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
} from './x509.js';

// Extension sets that `openssl verify -x509_strict` accepts: critical basicConstraints and
// keyUsage, SKI on CAs, AKI on everything but a root.

const CA_KEY_USAGE = KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign;

export function rootCaExtensions(ca: Party): Extension[] {
  return [
    new BasicConstraintsExtension(true, undefined, true),
    new KeyUsagesExtension(CA_KEY_USAGE, true),
    new SubjectKeyIdentifierExtension(ca.keyId),
  ];
}

/** pathLen 0: an intermediate signs leaves only. */
export function intermediateCaExtensions(ca: Party, issuer: Party): Extension[] {
  return [
    new BasicConstraintsExtension(true, 0, true),
    new KeyUsagesExtension(CA_KEY_USAGE, true),
    new SubjectKeyIdentifierExtension(ca.keyId),
    new AuthorityKeyIdentifierExtension(issuer.keyId),
  ];
}

function leafExtensions(leaf: Party, issuer: Party, usage: ExtendedKeyUsage): Extension[] {
  return [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
    new ExtendedKeyUsageExtension([usage]),
    new SubjectKeyIdentifierExtension(leaf.keyId),
    new AuthorityKeyIdentifierExtension(issuer.keyId),
  ];
}

/** `issuer` is the leaf itself for a self-signed one, so it differs from a valid leaf only in who signed it. */
export function clientLeafExtensions(leaf: Party, issuer: Party): Extension[] {
  return leafExtensions(leaf, issuer, ExtendedKeyUsage.clientAuth);
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
  return [...leafExtensions(leaf, issuer, ExtendedKeyUsage.serverAuth), san];
}
