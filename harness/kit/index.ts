// Kit: the test PKI and signing secrets on disk, their masking, and the revocation responder.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { removeOnExit } from './exit-cleanup.js';
export { maskKitSecrets } from './kit-secrets.js';
export { EVENTS_FILE, PROBE_IDENTITY, existingKit, generateKit, kitFor, type Kit } from './kit.js';
export { writeRotationKits, type RotationKits } from './rotation-kit.js';
export { LINE_CUT_MARK, RUN_SECRETS } from './secrets-mask.js';
export { generateSecrets, keysFor, readSecrets, type SecretsFile } from './secrets.js';
export { ownClientRoot, serverCaFileFor, withOwnSecret } from './own-kit.js';
export { makeRunDir, removeDeadRunDirs } from './run-dirs.js';
