import { createHash, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_CLIENT_SUBJECT, buildPki, type Pki } from '../../certs/index.js';
import { classify, type Observation } from '../../harness/deliver/classify.js';
import { deliver } from '../../harness/deliver/send.js';
import { buildDelivery } from '../../harness/deliver/request.js';
import type { ConnectionSpec, DeliverySpec } from '../../harness/model.js';
import { clientCertProxyHeaders } from '../../harness/deliver/proxy-headers.js';
import { clientTlsOffer } from '../../harness/deliver/tls-offer.js';
import { grantedSession } from '../../harness/deliver/tls-session.js';

describe('clientTlsOffer', () => {
  it("offers Node's defaults for a default connection", () => {
    expect(clientTlsOffer()).toEqual({});
    expect(clientTlsOffer({ session: 'resumed', scheme: 'https' }, 'valid')).toEqual({});
  });

  it.each([
    ['TLSv1.2', {}],
    ['TLSv1.3', {}],
    // OpenSSL 3 offers TLS 1.0/1.1 only at security level 0.
    ['TLSv1', { ciphers: 'DEFAULT@SECLEVEL=0' }],
    ['TLSv1.1', { ciphers: 'DEFAULT@SECLEVEL=0' }],
  ] as const)('pins %s', (version, extra) => {
    expect(clientTlsOffer({ tlsVersion: version })).toEqual({ minVersion: version, maxVersion: version, ...extra });
  });

  it('offers only CBC suites with SHA-1 MACs, for every key type, and no TLS 1.3 to escape to', () => {
    expect(clientTlsOffer({ tlsVersion: 'TLSv1.2', ciphers: 'legacy-cbc' })).toEqual({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: 'AES128-SHA:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA',
    });
  });

  it('lowers the security level only to present a certificate signed with SHA-1', () => {
    expect(clientTlsOffer({}, 'sha1-signature')).toMatchObject({ ciphers: expect.stringMatching(/:@SECLEVEL=0$/), sigalgs: expect.stringMatching(/^ecdsa_secp256r1_sha256:/) });
    expect(clientTlsOffer({}, 'weak-rsa-key')).toEqual({});
    expect(clientTlsOffer({}, null)).toEqual({});
  });
});

describe('clientCertProxyHeaders', () => {
  let pki: Pki;
  beforeAll(async () => {
    pki = await buildPki({ now: new Date(), identities: ['valid'], revocationOrigin: 'http://127.0.0.1:9' });
  });

  it('claims, as nginx, Envoy and RFC 9440 proxies would, that the valid certificate was verified', () => {
    const chain = pki.identities.get('valid')?.certPem ?? '';
    const headers = clientCertProxyHeaders(chain, ALLOWED_CLIENT_SUBJECT);
    const leafPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/.exec(chain)?.[0] ?? '';
    const leafDer = new X509Certificate(leafPem).raw;
    expect(headers).toEqual({
      'x-ssl-client-verify': 'SUCCESS',
      'x-ssl-client-s-dn': 'CN=webhooks.example.test',
      'x-client-cert': encodeURIComponent(leafPem),
      'x-forwarded-client-cert': `Hash=${createHash('sha256').update(leafDer).digest('hex')};Cert="${encodeURIComponent(leafPem)}";Subject="CN=webhooks.example.test"`,
      'client-cert': `:${leafDer.toString('base64')}:`,
    });
    expect(decodeURIComponent(headers['x-client-cert'] ?? '')).toBe(leafPem);
  });

  it('is what buildDelivery adds for `headers: client-cert-proxy`, and only then', () => {
    const chain = pki.identities.get('valid')?.certPem ?? '';
    const ctx = { profile: null, signingKey: '', wrongKeys: ['', ''] as const, toleranceSeconds: 300, path: '/webhook', now: 1, webhookId: 'msg_1', proxiedCertPem: chain };
    const plain: DeliverySpec = { identity: null, signature: {} };
    expect(buildDelivery({ ...plain, headers: 'client-cert-proxy' }, ctx).headers).toEqual({
      'content-type': 'application/json',
      ...clientCertProxyHeaders(chain, ALLOWED_CLIENT_SUBJECT),
    });
    expect(buildDelivery(plain, ctx).headers).toEqual({ 'content-type': 'application/json' });
  });

  it('carries the connection spec into the delivery', () => {
    const connection: ConnectionSpec = { tlsVersion: 'TLSv1', session: 'resumed' };
    const ctx = { profile: null, signingKey: '', wrongKeys: ['', ''] as const, toleranceSeconds: 300, path: '/webhook', now: 1, webhookId: 'msg_1' };
    expect(buildDelivery({ identity: 'valid', signature: {}, connection }, ctx).connection).toEqual(connection);
    expect(buildDelivery({ identity: 'valid', signature: {} }, ctx)).not.toHaveProperty('connection');
  });
});

describe('classify: what became of a session meant to be resumed', () => {
  const answered: Observation = { ms: 3, connected: true, bytesWritten: 100, response: { status: 204 } };
  it.each([
    ['resumed', 'HTTP 204 on the resumed TLS session'],
    ['not-resumed', 'HTTP 204 (the listener did not resume the session)'],
    ['none-granted', 'HTTP 204 (no session was granted to resume)'],
  ] as const)('%s', (session, detail) => {
    expect(classify({ ...answered, session })).toEqual({ kind: 'accepted', phase: 'response', status: 204, detail, ms: 3 });
  });

  it('says nothing of sessions for an ordinary delivery', () => {
    expect(classify(answered).detail).toBe('HTTP 204');
  });
});

describe('session resumption against real TLS servers', () => {
  let pki: Pki;
  const servers: Server[] = [];
  const listen = async (server: Server): Promise<number> => {
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  };
  const tlsServer = (options: TlsOptions) =>
    listen(
      createTlsServer({ cert: pki.serverCertPem, key: pki.serverKeyPem, ...options }, (socket) => {
        socket.on('error', () => undefined);
        // Answers once asked, as an HTTP server does.
        socket.once('data', () => socket.end('HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n'));
      }),
    );
  const client = (port: number) => ({ host: '127.0.0.1', port, servername: 'localhost', ca: pki.serverCaPem });

  beforeAll(async () => {
    pki = await buildPki({ now: new Date(), identities: ['valid'], revocationOrigin: 'http://127.0.0.1:9' });
  });
  afterAll(() => {
    for (const server of servers) server.close();
  });

  it('a server that completes a certificate-less handshake grants a session, and the delivery resumes it', async () => {
    const port = await tlsServer({ requestCert: true, rejectUnauthorized: false, ca: pki.clientCaPem });
    expect(await grantedSession(client(port), 5000)).toBeInstanceOf(Buffer);
    const observed = await deliver(
      { origin: `https://127.0.0.1:${port}`, servername: 'localhost', server: { serverCa: pki.serverCaPem }, timeoutMs: 5000 },
      {},
      { identity: null, webhookId: 'msg_1', method: 'POST', path: '/webhook', headers: {}, body: Buffer.from('{}'), connection: { session: 'resumed' } },
    );
    expect(observed.session).toBe('resumed');
    expect(classify(observed).detail).toBe('HTTP 204 on the resumed TLS session');
  });

  it('a server that refuses the certificate-less handshake grants nothing to resume', async () => {
    const port = await tlsServer({ requestCert: true, rejectUnauthorized: true, ca: pki.clientCaPem });
    expect(await grantedSession(client(port), 5000)).toBeUndefined();
  });

  it('a server that never answers grants nothing within the deadline', async () => {
    const port = await listen(createTcpServer(() => undefined));
    expect(await grantedSession(client(port), 300)).toBeUndefined();
  });
});
