import { connect } from 'node:net';
import type { Outcome } from '../model.js';
import { sleep } from './sleep.js';

/** How long a TCP connect to a live loopback listener may take: the kernel answers it from the
 * accept queue, even when the listener itself is busy. */
const CONNECT_MS = 1000;

/** A process on its way out closes its sockets one by one: a connection it resets may come before
 * its listening socket is gone, so a connect that succeeds is tried again this much later. */
const SETTLE_MS = 25;

/** Does anything still listen at `origin`? A refused TCP connect says no: a process that died
 * closed its listening socket on the way out. Any other answer (accepted, slow) counts as yes. */
export async function stillListening(origin: string, timeoutMs = CONNECT_MS): Promise<boolean> {
  if (!(await connects(origin, timeoutMs))) return false;
  await sleep(SETTLE_MS);
  return connects(origin, timeoutMs);
}

function connects(origin: string, timeoutMs: number): Promise<boolean> {
  const url = new URL(origin);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (listening: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(listening);
    };
    const timer = setTimeout(() => done(true), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code !== 'ECONNREFUSED'));
  });
}

/** Outcomes a dying listener also produces: a crash closes connections just as a rejection does. */
const AMBIGUOUS: ReadonlySet<Outcome['kind']> = new Set(['closed-during-handshake', 'connection-closed', 'connection-reset', 'timeout', 'protocol-error']);

export const STOPPED_LISTENING = 'the target stopped listening during this delivery: it did not reject it, it went down';

/** For an outcome that a crash could explain, whether the target went down; the reason if it did. */
export async function targetWentDown(outcome: Outcome, origin: string): Promise<string | undefined> {
  if (!AMBIGUOUS.has(outcome.kind)) return undefined;
  return (await stillListening(origin)) ? undefined : STOPPED_LISTENING;
}
