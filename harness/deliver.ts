import type { Socket } from 'node:net';
import { Client, buildConnector } from 'undici';
import type { ErrorShape, Observation } from './classify.js';
import type { Delivery } from './delivery.js';

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
  const url = new URL(endpoint.origin);
  const started = performance.now();
  let socket: Socket | undefined;
  let socketError: ErrorShape | undefined;

  const base = buildConnector({
    ...(url.protocol === 'https:'
      ? { servername: endpoint.servername, ca: endpoint.serverCa, cert: credentials.cert, key: credentials.key, rejectUnauthorized: true }
      : {}),
    timeout: endpoint.timeoutMs,
    maxCachedSessions: 0,
  });
  // Listen on the socket before undici does: its error carries the TLS alert undici would replace.
  const connect: buildConnector.connector = (options, callback) =>
    base(options, (err, sock) => {
      if (sock) {
        socket = sock;
        sock.on('error', (e) => (socketError ??= shape(e)));
      }
      if (err) callback(err, null);
      else if (sock) callback(null, sock);
    });

  const client = new Client(endpoint.origin, {
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
    await response.body.dump();
    return observation({ response: { status: response.statusCode } });
  } catch (err) {
    return observation({ error: shape(err) });
  } finally {
    await client.destroy().catch(() => undefined);
  }
}
