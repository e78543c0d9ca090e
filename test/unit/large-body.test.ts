import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPki, type Pki } from '../../certs/index.js';
import { classify } from '../../harness/deliver/classify.js';
import { deliver } from '../../harness/deliver/send.js';

const BODY_BYTES = 20 * 1024 * 1024;

describe('a large body against real TLS listeners that hang up without answering', { timeout: 30_000 }, () => {
  let pki: Pki;
  const servers: Server[] = [];
  const send = async (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, handler);
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const endpoint = { origin: `https://127.0.0.1:${port}`, servername: 'localhost', server: { serverCa: pki.serverCaPem }, timeoutMs: 8000 };
    const delivery = { identity: null, webhookId: 'msg_1', method: 'POST' as const, path: '/webhook', headers: {}, body: Buffer.alloc(BODY_BYTES, 'a') };
    return deliver(endpoint, {}, delivery);
  };

  beforeAll(async () => {
    pki = await buildPki({ now: new Date(), identities: ['valid'], revocationOrigin: 'http://127.0.0.1:9' });
  });
  afterAll(() => {
    for (const server of servers) server.close();
  });

  it('hung up on the headers: most of the body never left the client, so the listener never had the request', async () => {
    const observed = await send((req) => req.socket.destroy());
    expect(observed.unsentBodyBytes).toBeGreaterThan(BODY_BYTES / 2);
    const outcome = classify(observed);
    expect(outcome.phase).toBe('before-request');
    expect(outcome.detail).toMatch(/^connection (closed|reset) before the whole request was sent \(\d+ bytes of the body never left the client\)$/);
  });

  it('hung up after reading the whole body: after the request, however the body was written', async () => {
    const observed = await send((req) => {
      req.resume();
      req.on('end', () => req.socket.destroy());
    });
    expect(observed.unsentBodyBytes).toBeUndefined();
    expect(classify(observed)).toMatchObject({ phase: 'after-request', detail: 'connection closed after the request was sent, with no answer' });
  });
});
