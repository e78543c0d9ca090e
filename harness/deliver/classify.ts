import type { Outcome, OutcomeKind, ConnectionPhase } from '../model.js';

/** The shape of an error as the delivery client saw it, kept as plain data so recorded shapes can
 * be replayed in unit tests. */
export interface ErrorShape {
  code?: string;
  name?: string;
  message: string;
}

/** Everything `deliver` observed about one request, before any interpretation. */
export interface Observation {
  ms: number;
  /** When the connection was set up (TCP and TLS handshake), from the start; absent when it never was. */
  connectMs?: number;
  /** The TLS handshake (or TCP connect, for http) completed. */
  connected: boolean;
  /** Bytes of the request the client wrote: > 0 proves the request went out. */
  bytesWritten: number;
  /** The listener ended the connection after the handshake, before any request byte was written
   * (the client waits for its word on the handshake first). */
  closedBeforeRequest?: boolean;
  /** Bytes of the request body never handed to the socket when the exchange ended (large bodies
   * are handed over as the socket drains): the listener cannot have had the whole request. */
  unsentBodyBytes?: number;
  /** A status line arrived. `bodyNote`: the body did not arrive whole, or was not read to its end. */
  response?: { status: number; bodyNote?: string };
  /** The error the HTTP client raised. */
  error?: ErrorShape;
  /** The socket's own error, kept by the connector: under TLS 1.3 it carries the alert that the
   * HTTP client replaces with a generic "other side closed". */
  socketError?: ErrorShape;
  /** For a delivery meant to resume a TLS session: whether it did, or why not. */
  session?: 'resumed' | 'not-resumed' | 'none-granted';
}

const SESSION_NOTES: Readonly<Record<NonNullable<Observation['session']>, string>> = {
  resumed: ' on the resumed TLS session',
  'not-resumed': ' (the listener did not resume the session)',
  'none-granted': ' (no session was granted to resume)',
};

/** The code deliver gives a close it saw while waiting for the listener's word on the handshake. */
export const CLOSED_BEFORE_REQUEST = 'WHC_CLOSED_BEFORE_REQUEST';
/** The code deliver gives a request the listener left no connection for (deliver never opens a second one). */
export const CONNECTION_GONE = 'WHC_CONNECTION_GONE';
const CLOSE_CODES = ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', CLOSED_BEFORE_REQUEST, CONNECTION_GONE];

const ALERT_CODE = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z0-9_]+)$/;
const TIMEOUT_PHASE: Readonly<Record<string, ConnectionPhase>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'after-request',
  UND_ERR_BODY_TIMEOUT: 'response',
  ETIMEDOUT: 'connect',
};
const HANDSHAKE_CLOSED = /before secure TLS connection was established|socket disconnected before/i;

function outcome(kind: OutcomeKind, phase: ConnectionPhase, detail: string, ms: number, extra: Partial<Outcome> = {}): Outcome {
  return { kind, phase, detail, ms, ...extra };
}

/** Once a status line arrived, the status decides; a body that did not arrive whole is a note. */
function httpOutcome(response: NonNullable<Observation['response']>, ms: number): Outcome {
  const { status } = response;
  const detail = response.bodyNote ? `HTTP ${status} (${response.bodyNote})` : `HTTP ${status}`;
  if (status >= 200 && status < 300) return outcome('accepted', 'response', detail, ms, { status });
  if (status >= 400 && status < 500) return outcome('http-rejected', 'response', detail, ms, { status });
  return outcome('http-other', 'response', detail, ms, { status });
}

/** Where the exchange ended when no status line came: during the handshake, before the request
 * went out (the listener cannot have read it), or after (it may have). */
function endedPhase(obs: Observation): ConnectionPhase {
  if (!obs.connected) return 'connect';
  return obs.closedBeforeRequest || obs.bytesWritten === 0 || obs.unsentBodyBytes !== undefined ? 'before-request' : 'after-request';
}

/** When a close came, in words; a listener that closed mid-body never had the whole request. */
function closedWhen(obs: Observation, phase: ConnectionPhase): string {
  const midBody = obs.unsentBodyBytes !== undefined && !obs.closedBeforeRequest && obs.bytesWritten > 0;
  if (midBody) return `before the whole request was sent (${obs.unsentBodyBytes} bytes of the body never left the client)`;
  return phase === 'before-request' ? 'before the request was sent' : 'after the request was sent, with no answer';
}

/** The error that says most: a peer alert on the socket beats the client's generic wrapper. */
function mostTelling(obs: Observation): ErrorShape | undefined {
  if (obs.socketError?.code && ALERT_CODE.test(obs.socketError.code)) return obs.socketError;
  return obs.error ?? obs.socketError;
}

/** Turns what happened into an Outcome. Pure: no sockets, no clocks. */
export function classify(obs: Observation): Outcome {
  const observed = { ...observedOutcome(obs), ...(obs.connectMs !== undefined ? { connectMs: obs.connectMs } : {}) };
  return obs.session ? { ...observed, detail: observed.detail + SESSION_NOTES[obs.session] } : observed;
}

function observedOutcome(obs: Observation): Outcome {
  const { ms } = obs;
  if (obs.response) return httpOutcome(obs.response, ms);
  const phase = endedPhase(obs);
  const err = mostTelling(obs);
  if (!err) return outcome('protocol-error', phase, 'no response and no error', ms);

  const code = err.code ?? err.name ?? 'UNKNOWN';
  const alert = ALERT_CODE.exec(code)?.[1]?.toLowerCase();
  if (alert) return outcome('tls-alert', phase, `TLS alert ${alert}`, ms, { alert, code });

  if (code === 'ECONNREFUSED') return outcome('connection-refused', 'connect', 'connection refused', ms, { code });

  const timeoutPhase = TIMEOUT_PHASE[code] ?? (err.name === 'TimeoutError' ? phase : undefined);
  if (timeoutPhase) return outcome('timeout', timeoutPhase, `no answer in time (${code})`, ms, { code });

  if (CLOSE_CODES.includes(code)) {
    if (!obs.connected || HANDSHAKE_CLOSED.test(err.message)) {
      return outcome('closed-during-handshake', 'connect', 'connection closed during the TLS handshake', ms, { code });
    }
    const how = code === 'ECONNRESET' ? 'reset' : 'closed';
    const kind = code === 'ECONNRESET' ? 'connection-reset' : 'connection-closed';
    return outcome(kind, phase, `connection ${how} ${closedWhen(obs, phase)}`, ms, { code });
  }

  return outcome('protocol-error', phase, `${code}: ${firstLine(err.message)}`, ms, { code });
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
