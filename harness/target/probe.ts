import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { sleep } from './sleep.js';
import { HarnessError } from '../errors.js';
import { serverTlsOptions, type ServerCheck } from './server-tls.js';

export interface ProbeOptions {
  host: string;
  port: number;
  /** Absent: plain TCP (an http:// listener). */
  tls?: { servername: string; server: ServerCheck; cert?: string; key?: string };
  timeoutMs: number;
}

/** One readiness attempt: does a handshake with the valid identity complete? Never rejects. */
export function probeOnce(options: ProbeOptions): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    const { host, port, tls } = options;
    const socket = tls
      ? tlsConnect({ host, port, ...serverTlsOptions(tls.servername, tls.server), cert: tls.cert, key: tls.key })
      : netConnect({ host, port });
    const done = (result: { ok: boolean; error?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, error: `no handshake within ${options.timeoutMs} ms` }), options.timeoutMs);
    socket.once(tls ? 'secureConnect' : 'connect', () => done({ ok: true }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, error: err.code ?? err.message }));
  });
}

/** Polls until a probe succeeds, `stop` says to give up, or the deadline passes. */
export async function waitUntilReady(
  options: ProbeOptions & { deadlineMs: number; stop?: () => string | undefined },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const end = Date.now() + options.deadlineMs;
  let last = 'no attempt';
  while (Date.now() < end) {
    const stopped = options.stop?.();
    if (stopped) return { ok: false, reason: stopped };
    const attempt = await probeOnce({ ...options, timeoutMs: Math.min(options.timeoutMs, Math.max(1, end - Date.now())) });
    if (attempt.ok) return { ok: true };
    last = attempt.error ?? 'failed';
    // A refused connect costs microseconds: polling often gets the run going sooner.
    await sleep(15);
  }
  return { ok: false, reason: `not ready within ${options.deadlineMs} ms (last attempt: ${last})` };
}

export interface Readiness {
  deadlineMs: number;
  /** Why the target can no longer become ready (it exited), or undefined while it may. */
  exited: () => string | undefined;
  /** The error for a target still running that never became ready, given the last attempt. */
  neverReady: (reason: string) => string;
  stop: () => Promise<void>;
  output: () => string[];
}

/** Waits until a started target is ready; otherwise stops it and throws with its last output. */
export async function awaitReadiness(probe: ProbeOptions, r: Readiness): Promise<void> {
  const ready = await waitUntilReady({ ...probe, deadlineMs: r.deadlineMs, stop: r.exited });
  if (ready.ok) return;
  // Decided before stopping: stopping makes the target exit.
  const reason = r.exited() ? ready.reason : r.neverReady(ready.reason);
  await r.stop();
  throw new HarnessError(reason, r.output());
}
