import { BroadcastChannel } from 'node:worker_threads';
import { preloadDeliveryClient } from '../deliver/index.js';
import type { ProvidedSuiteContext, SuiteContext } from './execute.js';

/** What crosses a target gate: the worker's hello, then the main thread's word on the target. */
export type GateMessage = { kind: 'hello' } | { kind: 'open'; origin: string } | { kind: 'abort'; reason: string };

/**
 * The suites' side of a target gate. The harness starts a phase's suite file while its listener is
 * still starting, so vitest's worker starts meanwhile; the tests wait here for the listener's
 * origin. Rejects when the harness gives up on the listener, or after `deadlineMs` (a harness bug:
 * the harness always opens or aborts the gate).
 */
export async function awaitTarget(gate: string, deadlineMs: number): Promise<string> {
  const channel = new BroadcastChannel(gate);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the harness never said whether the listener started (${deadlineMs} ms)`)), deadlineMs);
      channel.onmessage = (event) => {
        const message = (event as { data: GateMessage }).data;
        if (message.kind === 'open') resolve(message.origin);
        if (message.kind === 'abort') reject(new Error(message.reason));
      };
      // The harness may have spoken before this channel existed: a hello asks it to say it again.
      channel.postMessage({ kind: 'hello' } satisfies GateMessage);
    });
  } finally {
    clearTimeout(timer);
    channel.close();
  }
}

/** The whole context of a phase, once its listener is ready; the delivery client loads meanwhile. */
export async function awaitSuiteContext(provided: ProvidedSuiteContext): Promise<SuiteContext> {
  const { targetGate, testTimeoutMs, ...rest } = provided;
  const [origin] = await Promise.all([awaitTarget(targetGate, testTimeoutMs), preloadDeliveryClient()]);
  return { ...rest, origin };
}
