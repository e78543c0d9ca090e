import { HarnessError } from '../errors.js';
import { waitUntilReady, type ProbeOptions } from './probe.js';
import type { RunningTarget } from './target.js';

/** A listener someone else started: only checked for readiness, never stopped. */
export async function connectUrlTarget(url: string, probe: ProbeOptions, readyTimeoutMs: number): Promise<RunningTarget> {
  const ready = await waitUntilReady({ ...probe, deadlineMs: readyTimeoutMs });
  if (!ready.ok) {
    throw new HarnessError(`no listener ready at ${url}: ${ready.reason}; start it first, or let the harness start it with --command`);
  }
  return {
    info: { kind: 'url', description: url, url },
    origin: url,
    describeExit: () => undefined,
    output: () => [],
    stop: async () => undefined,
  };
}
