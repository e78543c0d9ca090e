// Kit: the kit directory (test PKI and signing keys) a run uses, their masking, the revocation responder, the rotation drills' trust files.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { removeOnExit } from './exit-cleanup.js';
export { maskKitSecrets } from './mask-kit-secrets.js';
export { EVENTS_FILE, PROBE_IDENTITY, existingKit, generateKit, kitFor, type RunKit } from './kit.js';
export { writeRotationTrust, type KitByRotationStep } from './rotation-trust.js';
export { LINE_CUT_MARK, RUN_SECRETS } from './secrets-mask.js';
export { generateSecrets, keysFor, readSecrets, type SecretsFile } from './secrets.js';
export { ownClientRoot, serverCaFileFor, withOwnSigningKey } from './own-trust-files.js';
export { makeRunDir, removeDeadRunDirs } from './run-dirs.js';
