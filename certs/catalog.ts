// The named client identities, as data: a new identity is a new entry here, not a change to the builder.

import { CURRENT_WINDOW } from './dates.js';
import type { KeyKind } from './keys.js';
import type { SignatureHash } from './issue.js';

export const ALLOWED_CLIENT_SUBJECT = 'CN=webhooks.example.test';

/**
 * Who signs the leaf: a CA of the test PKI (see authorities.ts), the leaf's own key, or
 * `non-ca-leaf`, an intermediate of the trusted root but for basicConstraints CA:false.
 */
export type IdentityIssuer =
  | 'client-intermediate'
  | 'rogue-ca'
  | 'self'
  | 'revoked-intermediate'
  | 'expired-intermediate'
  | 'pathlen-sub-ca'
  | 'non-ca-leaf';

/** Key usage bits a catalog entry may name. */
export type KeyUsageName = 'digitalSignature' | 'keyEncipherment';
export type ExtendedKeyUsageName = 'clientAuth' | 'serverAuth';

/** Validity in whole days relative to the build's `now`. */
export interface ValidityDays {
  readonly fromDays: number;
  readonly toDays: number;
}

/**
 * One catalog entry. Every optional field describes one way the identity departs from a valid
 * one; absent, it is as `valid` is: EC P-256, SHA-256, digitalSignature, clientAuth, sent with its
 * chain, CRL distribution point and OCSP URL pointing at the harness's revocation responder.
 */
export interface IdentitySpecFields {
  readonly name: string;
  /** One line: what this identity is, for listings and reports. */
  readonly description: string;
  readonly issuer: IdentityIssuer;
  /** Defaults to ALLOWED_CLIENT_SUBJECT. */
  readonly subject?: string;
  readonly validity: ValidityDays;
  readonly key?: KeyKind;
  /** The hash the issuer signs the leaf with. */
  readonly signatureHash?: SignatureHash;
  readonly keyUsage?: readonly KeyUsageName[];
  readonly extendedKeyUsage?: readonly ExtendedKeyUsageName[];
  /** A critical extension no software knows. */
  readonly unknownCriticalExtension?: true;
  /** One bit of the issuer's signature flipped. */
  readonly corruptSignature?: true;
  /** false: the client sends the leaf alone, without the CAs between it and the root. */
  readonly sendChain?: false;
  /** false: no OCSP URL (AIA), so only a CRL can say it is revoked. */
  readonly ocspUrl?: false;
  /**
   * `crl`: revoked before the issuer's current CRL was published, so listed in it (and answered
   * `revoked` by OCSP). `ocsp`: revoked after it, so only OCSP knows.
   */
  readonly revoked?: 'crl' | 'ocsp';
}

const CURRENT: ValidityDays = CURRENT_WINDOW;

const catalog = [
  {
    name: 'valid',
    description: 'allowed subject, issued by the trusted client intermediate, valid now',
    issuer: 'client-intermediate',
    validity: CURRENT,
  },
  {
    name: 'valid-rsa',
    description: 'as valid, with an RSA-2048 key, as several providers use',
    issuer: 'client-intermediate',
    validity: CURRENT,
    key: 'rsa-2048',
  },
  {
    name: 'untrusted-ca',
    description: 'allowed subject, issued by a rogue CA the listener does not trust',
    issuer: 'rogue-ca',
    validity: CURRENT,
  },
  {
    name: 'self-signed',
    description: 'allowed subject, self-signed leaf (no CA bit)',
    issuer: 'self',
    validity: CURRENT,
  },
  {
    name: 'expired',
    description: 'allowed subject, trusted chain, expired yesterday',
    issuer: 'client-intermediate',
    validity: { fromDays: -30, toDays: -1 },
  },
  {
    name: 'not-yet-valid',
    description: 'allowed subject, trusted chain, valid from tomorrow',
    issuer: 'client-intermediate',
    validity: { fromDays: 1, toDays: 30 },
  },
  {
    name: 'revoked',
    description: "allowed subject, trusted chain, valid now, revoked in the intermediate's CRL; no OCSP URL, so only the CRL tells",
    issuer: 'client-intermediate',
    validity: CURRENT,
    revoked: 'crl',
    ocspUrl: false,
  },
  {
    name: 'revoked-ocsp',
    description: 'allowed subject, trusted chain, revoked after the current CRL was published: only the OCSP responder says so',
    issuer: 'client-intermediate',
    validity: CURRENT,
    revoked: 'ocsp',
  },
  {
    name: 'intermediate-revoked',
    description: "allowed subject, valid leaf under an intermediate that the root's CRL revokes",
    issuer: 'revoked-intermediate',
    validity: CURRENT,
  },
  {
    name: 'intermediate-expired',
    description: 'allowed subject, valid leaf under an intermediate that expired an hour ago (the chain was valid until then)',
    issuer: 'expired-intermediate',
    validity: CURRENT,
  },
  {
    name: 'missing-intermediate',
    description: 'as valid, but sent without the intermediate: the chain cannot be built from the root alone',
    issuer: 'client-intermediate',
    validity: CURRENT,
    sendChain: false,
  },
  {
    name: 'wrong-eku',
    description: 'allowed subject, trusted chain, extendedKeyUsage serverAuth only',
    issuer: 'client-intermediate',
    validity: CURRENT,
    extendedKeyUsage: ['serverAuth'],
  },
  {
    name: 'no-digital-signature',
    description: 'allowed subject, trusted chain, keyUsage keyEncipherment only (keyAgreement is avoided: OpenSSL lets it sign)',
    issuer: 'client-intermediate',
    validity: CURRENT,
    keyUsage: ['keyEncipherment'],
  },
  {
    name: 'leaf-as-issuer',
    description: 'allowed subject, signed by a certificate of the trusted root that is an intermediate in every respect but basicConstraints CA:false',
    issuer: 'non-ca-leaf',
    validity: CURRENT,
  },
  {
    name: 'path-length-exceeded',
    description: 'allowed subject, issued by a CA that the pathLen 0 intermediate had no right to create',
    issuer: 'pathlen-sub-ca',
    validity: CURRENT,
  },
  {
    name: 'weak-rsa-key',
    description: 'as valid, with an RSA-1024 key',
    issuer: 'client-intermediate',
    validity: CURRENT,
    key: 'rsa-1024',
  },
  {
    name: 'sha1-signature',
    description: 'as valid, signed by the intermediate with ECDSA over SHA-1',
    issuer: 'client-intermediate',
    validity: CURRENT,
    signatureHash: 'SHA-1',
  },
  {
    name: 'unknown-critical-extension',
    description: 'as valid, plus a critical extension no software knows',
    issuer: 'client-intermediate',
    validity: CURRENT,
    unknownCriticalExtension: true,
  },
  {
    name: 'bad-signature',
    description: "as valid, with one bit of the intermediate's signature flipped",
    issuer: 'client-intermediate',
    validity: CURRENT,
    corruptSignature: true,
  },
  {
    name: 'subject-not-allowed',
    description: 'trusted chain, valid now, another subject than the allowed one',
    issuer: 'client-intermediate',
    validity: CURRENT,
    subject: 'CN=other-client.example.test',
  },
  {
    name: 'subject-near-miss',
    description: 'trusted chain, valid now, the allowed CN with a suffix: catches unanchored pattern checks',
    issuer: 'client-intermediate',
    validity: CURRENT,
    subject: 'CN=webhooks.example.test.attacker.invalid',
  },
] as const satisfies readonly IdentitySpecFields[];

export type IdentityName = (typeof catalog)[number]['name'];

export interface IdentitySpec extends IdentitySpecFields {
  readonly name: IdentityName;
}

export const IDENTITY_CATALOG: readonly IdentitySpec[] = catalog;
