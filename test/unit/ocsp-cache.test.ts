import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPki, createOcspAnswer, type IdentityName, type Pki } from '../../certs/index.js';
import { ocspCheck } from '../../examples/listeners/revocation.mjs';

// The reference listener's OCSP client believes an answer until its nextUpdate, as OCSP clients
// cache (RFC 5019 §6.1): one round trip per certificate, not per connection. Real TLS on loopback,
// and a responder that counts what it is asked, answering with the harness's own answerer.

describe("the reference listener's OCSP client", () => {
  let pki: Pki;
  let responder: HttpServer;
  let server: TlsServer;
  let asked = 0;
  const accepted: TLSSocket[] = [];

  beforeAll(async () => {
    responder = createHttpServer((req, res) => {
      asked += 1;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(answer(Buffer.concat(chunks), new Date())));
    });
    responder.listen(0, '127.0.0.1');
    await once(responder, 'listening');
    pki = await buildPki({ now: new Date(), identities: ['valid', 'revoked-ocsp'], revocationOrigin: `http://127.0.0.1:${(responder.address() as AddressInfo).port}` });
    const answer = await createOcspAnswer(pki.revocation.ocsp);
    server = createTlsServer({ cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.clientCaPem, requestCert: true, rejectUnauthorized: false }, (socket) => accepted.push(socket));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterAll(() => {
    for (const socket of accepted) socket.destroy();
    server.close();
    responder.close();
  });

  /** The server's side of a fresh mTLS connection made with `identity`. */
  async function serverSocket(identity: IdentityName): Promise<TLSSocket> {
    const id = pki.identities.get(identity);
    const before = accepted.length;
    const client = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, servername: 'localhost', ca: pki.serverCaPem, cert: id?.certPem, key: id?.keyPem });
    client.on('error', () => undefined);
    await once(client, 'secureConnect');
    while (accepted.length === before) await new Promise((resolve) => setImmediate(resolve));
    client.end();
    const socket = accepted[before];
    if (!socket) throw new Error('the server accepted no connection');
    return socket;
  }

  it('asks once per certificate, whatever the number of connections, and still refuses a revoked one', async () => {
    const check = ocspCheck({ WHC_OCSP_URL: 'on', WHC_CLIENT_CA_FILE: 'on' });
    expect(await check(await serverSocket('valid'))).toEqual({ ok: true });
    expect(await check(await serverSocket('valid'))).toEqual({ ok: true });
    expect(asked).toBe(1);
    expect(await check(await serverSocket('revoked-ocsp'))).toMatchObject({ ok: false, status: 403, reason: 'client certificate revoked according to OCSP' });
    expect(await check(await serverSocket('revoked-ocsp'))).toMatchObject({ ok: false, status: 403 });
    expect(asked).toBe(2);
  });
});
