// Target: starting (or reaching) the listener and knowing when it is ready or gone.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { freePort } from './free-port.js';
export { stillListening, targetWentDown } from './listening.js';
export { SERVER_NAME, startTarget } from './start.js';
export { type RunningTarget } from './target.js';
export { serverTlsOptions, type ServerCheck } from './server-tls.js';
