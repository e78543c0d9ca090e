import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CRL_BUNDLE_PATH, CRL_DIR, createOcspAnswer, OCSP_PATH, type OcspAnswer, type RevocationData } from '../../certs/index.js';

/** The loopback HTTP server that serves a run's CRLs and answers OCSP for its client certificates. */
export interface RevocationResponder {
  /** `http://127.0.0.1:PORT`: what the certificates point at. */
  readonly origin: string;
  /** Starts answering from `data`; until then every request gets 503. */
  serve(data: RevocationData): void;
  stop(): Promise<void>;
}

/** RFC 6960 requests are a few hundred bytes; anything larger is not one. */
const MAX_REQUEST_BYTES = 16 * 1024;
const REQUEST_TIMEOUT_MS = 5000;

interface Served {
  readonly data: RevocationData;
  readonly answer: Promise<OcspAnswer>;
}

interface Reply {
  readonly status: number;
  readonly type?: string;
  readonly body: string | Uint8Array;
}

const notFound: Reply = { status: 404, type: 'text/plain', body: 'not found\n' };

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function ocspReply(served: Served, der: Uint8Array): Promise<Reply> {
  return { status: 200, type: 'application/ocsp-response', body: (await served.answer)(der, new Date()) };
}

/** What to answer, by method and path (RFC 5280 §4.2.1.13 CRLs, RFC 6960 appendix A OCSP over HTTP). */
async function route(req: IncomingMessage, served: Served): Promise<Reply> {
  const path = new URL(req.url ?? '/', 'http://responder').pathname;
  if (req.method === 'GET' && path === CRL_BUNDLE_PATH) return { status: 200, type: 'application/x-pem-file', body: served.data.crlPem };
  if (req.method === 'GET' && path.startsWith(CRL_DIR) && path.endsWith('.crl')) {
    const name = path.slice(CRL_DIR.length, -'.crl'.length);
    const crl = Object.hasOwn(served.data.crls, name) ? served.data.crls[name] : undefined;
    return crl === undefined ? notFound : { status: 200, type: 'application/pkix-crl', body: Buffer.from(crl, 'base64') };
  }
  if (req.method === 'POST' && path === OCSP_PATH) {
    const body = await readBody(req);
    return body === undefined ? { status: 413, type: 'text/plain', body: 'request too large\n' } : ocspReply(served, body);
  }
  if (req.method === 'GET' && path.startsWith(`${OCSP_PATH}/`)) {
    // The request is base64 DER, URL-encoded, as the last path segment.
    return ocspReply(served, Buffer.from(decodeURIComponent(path.slice(OCSP_PATH.length + 1)), 'base64'));
  }
  return notFound;
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { 'content-type': reply.type ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(reply.body);
}

/** Listens on `host:port` (port 0: any free one) before the PKI exists, because the certificates embed its address. */
export async function startResponder(host = '127.0.0.1', port = 0): Promise<RevocationResponder> {
  let served: Served | undefined;
  const server = createServer((req, res) => {
    if (!served) return send(res, { status: 503, type: 'text/plain', body: 'not ready\n' });
    route(req, served).then(
      (reply) => send(res, reply),
      () => send(res, { status: 500, type: 'text/plain', body: 'responder error\n' }),
    );
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.listen(port, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err as Error))]);
  const address = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${address.port}`,
    serve: (data) => {
      served = { data, answer: createOcspAnswer(data.ocsp) };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
