import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../harness/model.js';
import { STOPPED_LISTENING, stillListening, targetWentDown } from '../../harness/target/listening.js';

async function listening(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer((socket) => socket.destroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { origin: `https://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const outcome = (kind: Outcome['kind']): Outcome => ({ kind, phase: 'after-request', detail: kind, ms: 1 });

describe('stillListening', () => {
  it('is true while something listens, false once the port is closed', async () => {
    const server = await listening();
    expect(await stillListening(server.origin)).toBe(true);
    await server.close();
    expect(await stillListening(server.origin)).toBe(false);
  });
});

describe('targetWentDown', () => {
  it('for an outcome a crash could explain, names it when nothing listens any more', async () => {
    const server = await listening();
    expect(await targetWentDown(outcome('connection-reset'), server.origin)).toBeUndefined();
    await server.close();
    for (const kind of ['closed-during-handshake', 'connection-closed', 'connection-reset', 'timeout', 'protocol-error'] as const) {
      expect([kind, await targetWentDown(outcome(kind), server.origin)]).toEqual([kind, STOPPED_LISTENING]);
    }
  });

  it('never second-guesses an answer: HTTP statuses and TLS alerts come from a live listener', async () => {
    const server = await listening();
    await server.close();
    for (const kind of ['accepted', 'http-rejected', 'http-other', 'tls-alert', 'connection-refused'] as const) {
      expect([kind, await targetWentDown(outcome(kind), server.origin)]).toEqual([kind, undefined]);
    }
  });
});
