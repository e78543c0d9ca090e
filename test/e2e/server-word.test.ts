import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPki, type Pki } from '../../certs/index.js';
import { classify } from '../../harness/deliver/classify.js';
import { deliver } from '../../harness/deliver/send.js';
import { awaitServerWord } from '../../harness/deliver/server-word.js';

const LISTENER = fileURLToPath(new URL('../fixtures/slow-refusing-listener.mjs', import.meta.url));
const REFUSE_AFTER_MS = 1500;

describe("the wait for the server's word on the handshake", { timeout: 30_000 }, () => {
  let pki: Pki;
  let child: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    pki = await buildPki({ now: new Date(), identities: ['valid', 'untrusted-ca'], revocationOrigin: 'http://127.0.0.1:9' });
    child = spawn(process.execPath, [LISTENER], {
      env: { ...process.env, WHC_SERVER_CERT: pki.serverCertPem, WHC_SERVER_KEY: pki.serverKeyPem, WHC_CLIENT_CA: pki.clientCaPem, WHC_REFUSE_AFTER_MS: String(REFUSE_AFTER_MS) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(child.stdout ?? child, 'data')) as [Buffer];
    port = Number(line.toString().trim());
  });
  afterAll(() => {
    child.kill('SIGTERM');
  });

  const handshake = async (identity: 'valid' | 'untrusted-ca') => {
    const id = pki.identities.get(identity);
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pki.serverCaPem, cert: id?.certPem, key: id?.keyPem });
    socket.on('error', () => undefined);
    await once(socket, 'secureConnect');
    return socket;
  };
  const word = async (identity: 'valid' | 'untrusted-ca', listener: string, graceMs: number) => {
    const socket = await handshake(identity);
    try {
      return await awaitServerWord(socket, { listener, graceMs, patienceMs: 10_000 });
    } finally {
      socket.destroy();
    }
  };

  it('a listener never seen to send a ticket gets the short grace: a slower refusal is missed', async () => {
    expect(await word('untrusted-ca', 'never-ticketed', 200)).toBe('open');
  });

  it('once a listener sent a ticket, a handshake without one is waited for until it closes', async () => {
    expect(await word('valid', 'ticketing', 200)).toBe('open');
    const started = performance.now();
    expect(await word('untrusted-ca', 'ticketing', 200)).toBe('closed');
    expect(performance.now() - started).toBeGreaterThanOrEqual(REFUSE_AFTER_MS - 100);
  });

  it('a refusal later than the grace is before the request, once the listener is known', async () => {
    const endpoint = { origin: `https://127.0.0.1:${port}`, servername: 'localhost', server: { serverCa: pki.serverCaPem }, timeoutMs: 8000 };
    const send = async (identity: 'valid' | 'untrusted-ca') => {
      const id = pki.identities.get(identity);
      const delivery = { identity, webhookId: 'msg_1', method: 'POST' as const, path: '/webhook', headers: {}, body: Buffer.from('{}') };
      return classify(await deliver(endpoint, { cert: id?.certPem, key: id?.keyPem }, delivery));
    };
    expect(await send('valid')).toMatchObject({ kind: 'accepted' });
    expect(await send('untrusted-ca')).toMatchObject({ kind: 'connection-closed', phase: 'before-request', detail: 'connection closed before the request was sent' });
  });
});
