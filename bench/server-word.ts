import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import type { RunKit } from '../harness/kit/kit.js';
import { awaitServerWord } from '../harness/deliver/server-word.js';
import { SERVER_NAME } from '../harness/target/start.js';

/** What waiting for the listener's word on the handshake costs: for `count` fresh mTLS connections
 * presenting `identity`, the milliseconds from the client's end of the handshake to the word, and
 * how many were refused in that time. */
export async function serverWordCost(origin: string, kit: RunKit, identity: string, count: number): Promise<{ medianMs: number; maxMs: number; refused: number }> {
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
  for (let i = 0; i < count; i++) {
    const socket = connect(tls);
    socket.on('error', () => undefined);
    const handshake = await new Promise<boolean>((resolve) => {
      socket.once('secureConnect', () => resolve(true));
      socket.once('close', () => resolve(false));
    });
    const started = performance.now();
    const word = handshake ? await awaitServerWord(socket) : 'closed';
    waits.push(performance.now() - started);
    if (word === 'closed') refused += 1;
    socket.destroy();
  }
  const sorted = [...waits].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, maxMs: sorted[sorted.length - 1] ?? Number.NaN, refused };
}
