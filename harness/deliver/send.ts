import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { Client, buildConnector } from 'undici';
import type { ErrorShape, Observation } from './classify.js';
import type { Delivery } from './request.js';
import { clientTlsOffer } from './tls-offer.js';
import { grantedSession } from './tls-session.js';

/** Where and how to reach the listener. */
export interface Endpoint {
  /** `https://127.0.0.1:PORT` or `http://…`: the address connected to. */
  origin: string;
  /** SNI and Host name, as a provider would send them: the server certificate's DNS name. */
  servername: string;
  /** Trust anchor for the listener's certificate (PEM). */
  serverCa?: string;
  timeoutMs: number;
}

/** The client side of the TLS handshake: a certificate chain and its key (PEM), or none. */
export interface ClientCredentials {
  cert?: string;
  key?: string;
}

function shape(err: unknown): ErrorShape {
  if (err instanceof Error) {
    // DOMExceptions carry a legacy numeric `code` (23 for TimeoutError): only string codes name an error.
    const code: unknown = (err as NodeJS.ErrnoException).code;
    return { message: err.message, name: err.name, ...(typeof code === 'string' && code ? { code } : {}) };
  }
  return { message: String(err) };
}

/** Sends one delivery on a fresh connection and records everything observed. Never throws for
 * what the listener does; every wait is bounded by `timeoutMs`. */
export async function deliver(endpoint: Endpoint, credentials: ClientCredentials, delivery: Delivery): Promise<Observation> {
  const connection = delivery.connection ?? {};
  // Plain HTTP goes to the same address, the listener's TLS port.
  const origin = connection.scheme === 'http' ? endpoint.origin.replace(/^https:/, 'http:') : endpoint.origin;
  const url = new URL(origin);
  const offer = clientTlsOffer(connection, credentials.cert ? delivery.identity : null);
  const tls =
    url.protocol === 'https:'
      ? { servername: endpoint.servername, ca: endpoint.serverCa, cert: credentials.cert, key: credentials.key, rejectUnauthorized: true, ...offer }
      : undefined;
  const resuming = tls !== undefined && connection.session === 'resumed';
  const session = resuming ? await grantedSession({ ...tls, host: url.hostname, port: Number(url.port || 443) }, endpoint.timeoutMs) : undefined;
  const started = performance.now();
  let socket: Socket | undefined;
  let socketError: ErrorShape | undefined;
  let resumed = false;

  const base = buildConnector({
    ...tls,
    ...(session ? { session } : {}),
    timeout: endpoint.timeoutMs,
    maxCachedSessions: 0,
  });
  // Listen on the socket before undici does: its error carries the TLS alert undici would replace.
  const connect: buildConnector.connector = (options, callback) =>
    base(options, (err, sock) => {
      if (sock) {
        socket = sock;
        // Asked now: once the socket closes, it can no longer tell.
        resumed = sock instanceof TLSSocket && sock.isSessionReused();
        sock.on('error', (e) => (socketError ??= shape(e)));
      }
      if (err) callback(err, null);
      else if (sock) callback(null, sock);
    });

  const client = new Client(origin, {
    connect,
    headersTimeout: endpoint.timeoutMs,
    bodyTimeout: endpoint.timeoutMs,
    pipelining: 1,
  });
  const observation = (extra: Partial<Observation>): Observation => ({
    ms: Math.round(performance.now() - started),
    connected: socket !== undefined,
    bytesWritten: socket?.bytesWritten ?? 0,
    ...(socketError ? { socketError } : {}),
    ...(resuming ? { session: session === undefined ? 'none-granted' : resumed ? 'resumed' : 'not-resumed' } : {}),
    ...extra,
  });

  try {
    const response = await client.request({
      method: delivery.method,
      path: delivery.path,
      headers: { ...delivery.headers, host: `${endpoint.servername}:${url.port}` },
      body: delivery.body,
      signal: AbortSignal.timeout(endpoint.timeoutMs * 3),
    });
    // dump() bounds what is read, but settles quietly when the body stalls: its error says so.
    let bodyError: unknown;
    response.body.once('error', (err) => (bodyError = err));
    await response.body.dump();
    if (bodyError !== undefined) return observation({ error: shape(bodyError) });
    return observation({ response: { status: response.statusCode } });
  } catch (err) {
    return observation({ error: shape(err) });
  } finally {
    await client.destroy().catch(() => undefined);
  }
}
