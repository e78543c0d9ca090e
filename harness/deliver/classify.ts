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
  /** The TLS handshake (or TCP connect, for http) completed. */
  connected: boolean;
  /** Bytes of the request the client wrote: > 0 proves the request went out. */
  bytesWritten: number;
  response?: { status: number };
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

const ALERT_CODE = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z0-9_]+)$/;
const TIMEOUT_PHASE: Readonly<Record<string, ConnectionPhase>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'after-connect',
  UND_ERR_BODY_TIMEOUT: 'response',
  ETIMEDOUT: 'connect',
};
const HANDSHAKE_CLOSED = /before secure TLS connection was established|socket disconnected before/i;

function outcome(kind: OutcomeKind, phase: ConnectionPhase, detail: string, ms: number, extra: Partial<Outcome> = {}): Outcome {
  return { kind, phase, detail, ms, ...extra };
}

function httpOutcome(status: number, ms: number): Outcome {
  if (status >= 200 && status < 300) return outcome('accepted', 'response', `HTTP ${status}`, ms, { status });
  if (status >= 400 && status < 500) return outcome('http-rejected', 'response', `HTTP ${status}`, ms, { status });
  return outcome('http-other', 'response', `HTTP ${status}`, ms, { status });
}

/** The error that says most: a peer alert on the socket beats the client's generic wrapper. */
function mostTelling(obs: Observation): ErrorShape | undefined {
  if (obs.socketError?.code && ALERT_CODE.test(obs.socketError.code)) return obs.socketError;
  return obs.error ?? obs.socketError;
}

/** Turns what happened into an Outcome. Pure: no sockets, no clocks. */
export function classify(obs: Observation): Outcome {
  const observed = observedOutcome(obs);
  return obs.session ? { ...observed, detail: observed.detail + SESSION_NOTES[obs.session] } : observed;
}

function observedOutcome(obs: Observation): Outcome {
  const { ms } = obs;
  if (obs.response) return httpOutcome(obs.response.status, ms);
  const err = mostTelling(obs);
  if (!err) return outcome('protocol-error', 'after-connect', 'no response and no error', ms);

  const code = err.code ?? err.name ?? 'UNKNOWN';
  const afterConnect: ConnectionPhase = obs.connected ? 'after-connect' : 'connect';
  const alert = ALERT_CODE.exec(code)?.[1]?.toLowerCase();
  if (alert) return outcome('tls-alert', afterConnect, `TLS alert ${alert}`, ms, { alert, code });

  if (code === 'ECONNREFUSED') return outcome('connection-refused', 'connect', 'connection refused', ms, { code });

  const timeoutPhase = TIMEOUT_PHASE[code] ?? (err.name === 'TimeoutError' ? afterConnect : undefined);
  if (timeoutPhase) return outcome('timeout', timeoutPhase, `no answer in time (${code})`, ms, { code });

  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    if (!obs.connected || HANDSHAKE_CLOSED.test(err.message)) {
      return outcome('closed-during-handshake', 'connect', 'connection closed during the TLS handshake', ms, { code });
    }
    if (code === 'ECONNRESET') return outcome('connection-reset', afterConnect, 'connection reset after the handshake', ms, { code });
    const when = obs.bytesWritten > 0 ? ' after the request' : '';
    return outcome('connection-closed', afterConnect, `connection closed${when}, no answer`, ms, { code });
  }

  return outcome('protocol-error', afterConnect, `${code}: ${firstLine(err.message)}`, ms, { code });
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
