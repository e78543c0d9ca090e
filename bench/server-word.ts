import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import type { RunKit } from '../harness/kit/kit.js';
import { awaitServerWord } from '../harness/deliver/server-word.js';
import { SERVER_NAME } from '../harness/target/index.js';

/** What waiting for the listener's word on the handshake costs: for `count` fresh mTLS connections
 * presenting `identity`, `concurrency` at a time, the milliseconds from the client's end of the
 * handshake to the word, and how many were refused in that time. Connections to the same origin
 * share what the wait learns (whether the listener sends session tickets), as in a run; with
 * `remember` false they learn nothing and keep the short grace, as before the wait learned. */
export async function serverWordCost(origin: string, kit: RunKit, identity: string, count: number, concurrency = 1, remember = true): Promise<{ medianMs: number; maxMs: number; refused: number }> {
  const { hostname, port } = new URL(origin);
  const tls = {
    host: hostname,
    port: Number(port),
    servername: SERVER_NAME,
    ca: readFileSync(kit.paths.serverCa),
    cert: readFileSync(kit.paths.clientCert(identity)),
    key: readFileSync(kit.paths.clientKey(identity)),
  };
  const waits: number[] = [];
  let refused = 0;
  let started = 0;
  const one = async () => {
    const socket = connect(tls);
    socket.on('error', () => undefined);
    const handshake = await new Promise<boolean>((resolve) => {
      socket.once('secureConnect', () => resolve(true));
      socket.once('close', () => resolve(false));
    });
    const from = performance.now();
    const word = handshake ? await awaitServerWord(socket, { ...(remember ? { listener: origin } : {}), patienceMs: 10_000 }) : 'closed';
    waits.push(performance.now() - from);
    if (word === 'closed') refused += 1;
    socket.destroy();
  };
  const worker = async () => {
    while (started < count) {
      started += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const sorted = [...waits].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, maxMs: sorted[sorted.length - 1] ?? Number.NaN, refused };
}
