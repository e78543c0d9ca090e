import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { TLSSocket, type ConnectionOptions } from 'node:tls';
import type { Client, buildConnector } from 'undici';
import { CLOSED_BEFORE_REQUEST, CONNECTION_GONE, type ErrorShape, type Observation } from './classify.js';
import type { Delivery } from './request.js';
import { awaitServerWord, NO_TICKET_GRACE_MS } from './server-word.js';
import { clientTlsOffer } from './tls-offer.js';
import { grantedSession } from './tls-session.js';
import { serverTlsOptions, type ServerCheck } from '../target/index.js';
import { secureContextFor, type ClientContextOptions } from './secure-contexts.js';
import { loadUndiciCore, type UndiciCore } from './undici-core.js';

/** Where and how to reach the listener. */
export interface Endpoint {
  /** `https://127.0.0.1:PORT` or `http://…`: the address connected to. */
  origin: string;
  /** SNI and Host name, as a provider would send them: the server certificate's DNS name. */
  servername: string;
  /** How the listener's certificate is checked. */
  server: ServerCheck;
  timeoutMs: number;
}

/** The client side of the TLS handshake: a certificate chain and its key (PEM), or none. */
export interface ClientCredentials {
  cert?: string;
  key?: string;
}

/** How much of a response body is read: the status decides, the body is only drained so the
 * listener can finish, and a listener that echoes a large document is not failed for its size. */
export const MAX_BODY_BYTES = 64 * 1024;

function shape(err: unknown): ErrorShape {
  if (err instanceof Error) {
    // DOMExceptions carry a legacy numeric `code` (23 for TimeoutError): only string codes name an error.
    const code: unknown = (err as NodeJS.ErrnoException).code;
    return { message: err.message, name: err.name, ...(typeof code === 'string' && code ? { code } : {}) };
  }
  return { message: String(err) };
}

/** Reads at most MAX_BODY_BYTES of a response body. Undefined when it arrived whole; otherwise
 * what happened to it, for the outcome's detail (never the outcome itself). */
async function drainBody(body: Readable): Promise<string | undefined> {
  let read = 0;
  try {
    for await (const chunk of body) {
      read += (chunk as Buffer).length;
      // Leaving the loop destroys the body: the rest is not waited for.
      if (read > MAX_BODY_BYTES) return `body not read past ${MAX_BODY_BYTES / 1024} KiB`;
    }
    return undefined;
  } catch (err) {
    const { code, name, message } = shape(err);
    return `body cut short after ${read} bytes (${code ?? name ?? message})`;
  }
}

/** Bodies larger than this are handed to the client a chunk at a time, as the socket drains: the
 * part never handed over when the connection ends proves the listener never had the whole request
 * (a single write would queue all of it at once, and queued bytes prove nothing). */
export const STREAMED_ABOVE_BYTES = 256 * 1024;
const BODY_CHUNK_BYTES = 64 * 1024;

/** Enough bytes for a TLS server to read a record header and refuse it. */
const BLANK_LINES = '\r\n\r\n\r\n';


/** The per-connection TLS options: the listener's name and how it is checked, over a shared secure
 * context that carries the trust anchor, the client's certificate and its offer. */
function clientTlsOptions(endpoint: Endpoint, credentials: ClientCredentials, offer: ClientContextOptions): ConnectionOptions {
  const { ca, ...server } = serverTlsOptions(endpoint.servername, endpoint.server);
  return { ...server, secureContext: secureContextFor({ ca, cert: credentials.cert, key: credentials.key, ...offer }) };
}

/** Sends one delivery on a fresh connection and records everything observed. Never throws for
 * what the listener does; every wait is bounded by `timeoutMs`. */
export async function deliver(endpoint: Endpoint, credentials: ClientCredentials, delivery: Delivery): Promise<Observation> {
  const [observation] = await deliverOnOneConnection(endpoint, credentials, [delivery]);
  if (!observation) throw new Error('deliverOnOneConnection observed nothing');
  return observation;
}

// Loaded with the first delivery: the harness's main thread, which imports this stage but sends
// nothing, never loads it.
let undici: Promise<UndiciCore> | undefined;
const loadUndici = () => (undici ??= loadUndiciCore());

/** Loads the delivery client ahead of the first delivery (while the listener starts). */
export async function preloadDeliveryClient(): Promise<void> {
  await loadUndici();
}

/**
 * Sends deliveries one after another on one kept-alive connection, made with the first one's
 * connection spec and `credentials`. Stops before a delivery when the listener closed the
 * connection or left the previous one unanswered, so the result can be shorter than `deliveries`.
 * Before the first request is written, waits for the listener's word on the handshake (see
 * server-word.ts), so a refusal before the request is told from a close after it.
 */
export async function deliverOnOneConnection(endpoint: Endpoint, credentials: ClientCredentials, deliveries: readonly Delivery[]): Promise<Observation[]> {
  const [first] = deliveries;
  if (!first) return [];
  const { Client, buildConnector, request } = await loadUndici();
  const connection = first.connection ?? {};
  // Plain HTTP goes to the same address, the listener's TLS port.
  const origin = connection.scheme === 'http' ? endpoint.origin.replace(/^https:/, 'http:') : endpoint.origin;
  const url = new URL(origin);
  const offer = clientTlsOffer(connection, credentials.cert ? first.identity : null);
  const tls = url.protocol === 'https:' ? clientTlsOptions(endpoint, credentials, offer) : undefined;
  const resuming = tls !== undefined && connection.session === 'resumed';
  const session = resuming ? await grantedSession({ ...tls, host: url.hostname, port: Number(url.port || 443) }, endpoint.timeoutMs) : undefined;
  let started = performance.now();
  let socket: Socket | undefined;
  let socketError: ErrorShape | undefined;
  let resumed = false;
  let closedBeforeRequest = false;
  let connectMs: number | undefined;

  const base = buildConnector({
    ...tls,
    ...(session ? { session } : {}),
    timeout: endpoint.timeoutMs,
    maxCachedSessions: 0,
  });
  // Listen on the socket before undici does: its error carries the TLS alert undici would replace.
  // The refusal seen while waiting for the listener's word; undici asks to connect again after it.
  let refusal: Error | undefined;
  const connect: buildConnector.connector = (options, callback) => {
    // One connection only: a follow-up must not go out on a fresh one, which would be another test.
    if (socket) return callback(refusal ?? Object.assign(new Error('the listener closed the connection'), { code: CONNECTION_GONE }), null);
    base(options, (err, sock) => {
      if (err || !sock) return callback(err ?? new Error('no socket'), null);
      socket = sock;
      connectMs = Math.round(performance.now() - started);
      // Asked now: once the socket closes, it can no longer tell.
      resumed = sock instanceof TLSSocket && sock.isSessionReused();
      sock.on('error', (e) => (socketError ??= shape(e)));
      const plaintextProbe = !(sock instanceof TLSSocket) && connection.scheme === 'http';
      if (!(sock instanceof TLSSocket) && !plaintextProbe) return callback(null, sock);
      // Plain HTTP to a TLS port: empty lines first, which an HTTP server skips (RFC 9112 §2.2) and a
      // TLS server refuses at once, so its close is seen before the request could be read.
      if (plaintextProbe) sock.write(BLANK_LINES);
      awaitServerWord(sock, { listener: origin, graceMs: Math.min(NO_TICKET_GRACE_MS, endpoint.timeoutMs), patienceMs: endpoint.timeoutMs }).then((word) => {
        if (word === 'open') return callback(null, sock);
        closedBeforeRequest = true;
        const message = socketError?.message ?? 'the listener closed the connection before the request was written';
        // Not UND_ERR_SOCKET: undici takes that for a recoverable close and reconnects for ever.
        const code = socketError?.code && socketError.code !== 'UND_ERR_SOCKET' ? socketError.code : CLOSED_BEFORE_REQUEST;
        refusal = Object.assign(new Error(message), { code });
        callback(refusal, null);
      });
    });
  };

  const client = new Client(origin, {
    connect,
    headersTimeout: endpoint.timeoutMs,
    bodyTimeout: endpoint.timeoutMs,
    pipelining: 1,
  });
  const observation = (extra: Partial<Observation>): Observation => ({
    ms: Math.round(performance.now() - started),
    connected: socket !== undefined,
    ...(connectMs !== undefined ? { connectMs } : {}),
    bytesWritten: socket?.bytesWritten ?? 0,
    ...(closedBeforeRequest ? { closedBeforeRequest } : {}),
    ...(socketError ? { socketError } : {}),
    ...(resuming ? { session: session === undefined ? 'none-granted' : resumed ? 'resumed' : 'not-resumed' } : {}),
    ...extra,
  });

  const observations: Observation[] = [];
  try {
    for (const delivery of deliveries) {
      if (observations.length > 0) {
        const previous = observations[observations.length - 1];
        // Let undici act on a close that came with or right after the last response.
        await new Promise((resolve) => setImmediate(resolve));
        if (!previous?.response || !socket || socket.destroyed || socket.readableEnded) break;
        started = performance.now();
      }
      const sent = await send(request, client, endpoint, url, delivery);
      if (observations.length > 0 && sent.error?.code === CONNECTION_GONE) break;
      observations.push(observation(sent));
    }
    return observations;
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

/** The body as undici should write it, and how much of it was never handed over. */
function streamedBody(body: Buffer): { body: Buffer | Readable; headers: Record<string, string>; unsent: () => number } {
  if (body.length <= STREAMED_ABOVE_BYTES) return { body, headers: {}, unsent: () => 0 };
  let handed = 0;
  async function* chunks() {
    for (let at = 0; at < body.length; at += BODY_CHUNK_BYTES) {
      const chunk = body.subarray(at, at + BODY_CHUNK_BYTES);
      handed += chunk.length;
      yield chunk;
    }
  }
  // An explicit length, or undici sends a streamed body chunked. One chunk read ahead at most.
  return { body: Readable.from(chunks(), { highWaterMark: 1 }), headers: { 'content-length': String(body.length) }, unsent: () => body.length - handed };
}

async function send(request: UndiciCore['request'], client: Client, endpoint: Endpoint, url: URL, delivery: Delivery): Promise<Partial<Observation>> {
  const streamed = streamedBody(delivery.body);
  try {
    const response = await request(client, {
      method: delivery.method,
      path: delivery.path,
      headers: { ...delivery.headers, ...streamed.headers, host: `${endpoint.servername}:${url.port}` },
      body: streamed.body,
      signal: AbortSignal.timeout(endpoint.timeoutMs * 3),
    });
    // Once a status line has arrived, the status decides: what happens to the body is a note.
    const bodyNote = await drainBody(response.body);
    return { response: { status: response.statusCode, ...(bodyNote ? { bodyNote } : {}) } };
  } catch (err) {
    const unsentBodyBytes = streamed.unsent();
    return { error: shape(err), ...(unsentBodyBytes > 0 ? { unsentBodyBytes } : {}) };
  }
}
