export {
  ALLOWED_CLIENT_SUBJECT,
  IDENTITY_CATALOG,
  type IdentityIssuer,
  type IdentityName,
  type IdentitySpec,
  type IdentitySpecFields,
  type ValidityDays,
} from './catalog.js';
export { buildPki, type BuildPkiOptions, type IdentityPem, type Pki } from './pki.js';
export { kitPaths, writeKit, writeKitFile, type KitPaths } from './kit.js';
export { issueNextClientRoot, NEXT_ROOT_IDENTITY, type NextClientRoot } from './next-root.js';
export { createOcspAnswer, type OcspAnswer } from './ocsp.js';
export type { OcspAuthorityData, RevocationData } from './revocation.js';
export { CRL_BUNDLE_PATH, CRL_DIR, OCSP_PATH, revocationUrls, type RevocationUrls } from './revocation-urls.js';
export { readSuppliedRoot, type SuppliedRoot } from './supplied-root.js';
