export {
  ALLOWED_CLIENT_SUBJECT,
  IDENTITY_CATALOG,
  type IdentityIssuer,
  type IdentityName,
  type IdentitySpec,
  type IdentitySpecFields,
  type ValidityDays,
} from './catalog.js';
import type { BuildPkiOptions, Pki } from './pki.js';
import type { NextClientRoot } from './next-root.js';
import type { OcspAnswer } from './ocsp.js';
import type { OcspAuthorityData } from './revocation.js';
import type { SuppliedRoot } from './supplied-root.js';

export type { BuildPkiOptions, IdentityPem, Pki } from './pki.js';
export { kitPaths, writeKit, writeKitFile, type KitPaths } from './kit.js';
export { NEXT_ROOT_IDENTITY } from './next-root-identity.js';
export type { NextClientRoot } from './next-root.js';
export type { OcspAnswer } from './ocsp.js';
export type { OcspAuthorityData, RevocationData } from './revocation.js';
export { CRL_BUNDLE_PATH, CRL_DIR, OCSP_PATH, revocationUrls, type RevocationUrls } from './revocation-urls.js';
export type { SuppliedRoot } from './supplied-root.js';

// What makes or reads certificates loads the PKI library (@peculiar/x509, asn1js: a fifth of a
// run's start-up) on first use: what only names a kit's files, as the suites' worker does, never
// loads it.

/** Builds the test PKI: see pki.ts. */
export async function buildPki(options: BuildPkiOptions): Promise<Pki> {
  return (await import('./pki.js')).buildPki(options);
}

/** A second client hierarchy for the rotation drills: see next-root.ts. */
export async function issueNextClientRoot(now: Date): Promise<NextClientRoot> {
  return (await import('./next-root.js')).issueNextClientRoot(now);
}

/** The OCSP answerer for these authorities: see ocsp.ts. */
export async function createOcspAnswer(authorities: readonly OcspAuthorityData[]): Promise<OcspAnswer> {
  return (await import('./ocsp.js')).createOcspAnswer(authorities);
}

/** A user's own client CA, checked and read: see supplied-root.ts. */
export async function readSuppliedRoot(certPem: string, keyPem: string, now: Date): Promise<SuppliedRoot> {
  return (await import('./supplied-root.js')).readSuppliedRoot(certPem, keyPem, now);
}
