// Target: starting (or reaching) the listener and knowing when it is ready or gone.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
import type { ResolvedConfig } from '../config/index.js';
import type { RunKit } from '../kit/index.js';
import type { Teardown } from '../teardown.js';
import type { RunningTarget } from './target.js';
export { freePort } from './free-port.js';
export { stillListening, targetWentDown } from './listening.js';
export { type RunningTarget } from './target.js';
export { SERVER_NAME, serverTlsOptions, type ServerCheck } from './server-tls.js';

/** Starts (or reaches) the configured target: see start.ts. Loaded on first use, with the kit, the
 * contract and the process and container code behind it: the suites' worker, which only asks
 * whether the listener went down, never loads them. */
export async function startTarget(config: ResolvedConfig, kit: RunKit, teardown: Teardown): Promise<RunningTarget> {
  return (await import('./start.js')).startTarget(config, kit, teardown);
}
