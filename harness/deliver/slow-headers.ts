import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ClientCredentials } from './send.js';
import type { Outcome } from '../model.js';
import { serverTlsOptions, type ServerCheck } from '../target/index.js';

export interface TrickleOptions {
  origin: string;
  servername: string;
  server: ServerCheck;
  credentials: ClientCredentials;
  path: string;
  /** One byte of the request head every this often. */
  byteIntervalMs: number;
  /** How long the listener may keep the connection open. */
  withinMs: number;
  /** Deadline of the TLS handshake. */
  connectTimeoutMs: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A request head that never ends: the request line, then a header whose value grows forever. */
function headByte(head: string, index: number): string {
  return index < head.length ? head.charAt(index) : 'a';
}

/**
 * Opens a connection the way a delivery does, then sends its request head one byte at a time and
 * never finishes it (a slowloris). Observes whether the listener closes the connection, and when,
 * within `withinMs`. Never rejects; every wait is bounded.
 */
export function trickleHeaders(options: TrickleOptions): Promise<Outcome> {
  const url = new URL(options.origin);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const head = `POST ${options.path} HTTP/1.1\r\nHost: ${options.servername}:${port}\r\nContent-Type: application/json\r\nX-Trickle: `;
  const started = performance.now();
  return new Promise((resolve) => {
    const secure = url.protocol === 'https:';
    const socket: Socket = secure
      ? tlsConnect({ host, port, ...serverTlsOptions(options.servername, options.server), ...options.credentials })
      : netConnect({ host, port });
    let connectedAt: number | undefined;
    let received = '';
    let error: NodeJS.ErrnoException | undefined;
    let sent = 0;
    let ticker: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;
    const ms = () => Math.round(performance.now() - started);
    let done = false;
    const finish = (outcome: Outcome) => {
      if (done) return;
      done = true;
      clearInterval(ticker);
      clearTimeout(deadline);
      socket.destroy();
      resolve(outcome);
    };
    const closed = () => {
      if (connectedAt === undefined) {
        const detail = error?.code === 'ECONNREFUSED' ? 'connection refused' : `connection closed before the handshake finished (${error?.code ?? 'no error'})`;
        finish({ kind: error?.code === 'ECONNREFUSED' ? 'connection-refused' : 'closed-during-handshake', phase: 'connect', detail, ms: ms(), ...(error?.code ? { code: error.code } : {}) });
        return;
      }
      const after = `after ${seconds(performance.now() - connectedAt)} of trickled headers (${sent} bytes)`;
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1];
      if (status) {
        const code = Number(status);
        finish({ kind: code >= 400 && code < 500 ? 'http-rejected' : 'http-other', phase: 'response', status: code, detail: `HTTP ${code} ${after}`, ms: ms() });
        return;
      }
      const reset = error?.code === 'ECONNRESET';
      finish({ kind: reset ? 'connection-reset' : 'connection-closed', phase: 'after-request', detail: `connection ${reset ? 'reset' : 'closed'} ${after}`, ms: ms(), ...(error?.code ? { code: error.code } : {}) });
    };
    const handshakeTimer: NodeJS.Timeout = setTimeout(
      () => finish({ kind: 'timeout', phase: 'connect', detail: `no handshake within ${options.connectTimeoutMs} ms`, ms: ms(), code: 'ETIMEDOUT' }),
      options.connectTimeoutMs,
    );
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(handshakeTimer);
      connectedAt = performance.now();
      ticker = setInterval(() => {
        if (socket.writable) socket.write(headByte(head, sent++));
      }, options.byteIntervalMs);
      deadline = setTimeout(
        () => finish({ kind: 'timeout', phase: 'after-request', detail: `still open after ${seconds(options.withinMs)} of trickled headers (${sent} bytes)`, ms: ms() }),
        options.withinMs,
      );
    });
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => (error ??= err));
    socket.once('close', () => {
      clearTimeout(handshakeTimer);
      closed();
    });
  });
}
