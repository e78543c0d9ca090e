import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, type Observation } from '../../harness/deliver/classify.js';
import type { Outcome } from '../../harness/model.js';

// Shapes `deliver` recorded against real loopback servers (test/fixtures/record-observations.mjs;
// each entry's `note` says how). `ms` was dropped when recording: it is set here.
interface Recorded {
  note: string;
  observation: Omit<Observation, 'ms'>;
}
const recorded = JSON.parse(readFileSync(new URL('../fixtures/observations.json', import.meta.url), 'utf8')) as Record<string, Recorded>;

const MS = 42;
function observed(name: string): Observation {
  const entry = recorded[name];
  if (!entry) throw new Error(`no recorded observation "${name}" in test/fixtures/observations.json`);
  return { ...entry.observation, ms: MS };
}

// With a timeoutMs under a second, undici's coarse headers timer fires after deliver's own
// AbortSignal.timeout(3 × timeoutMs): the error is a DOMException TimeoutError.
const ABORT_TIMEOUTS = ['http-tcp-silent', 'tls-handshake-then-silent'] as const;

type Expected = Omit<Outcome, 'detail' | 'ms'> & { detail: string | RegExp };

const CASES: ReadonlyArray<[name: string, expected: Expected]> = [
  // TLS 1.3: the client finished its handshake first; waiting for the listener's word on it, it sees
  // the alert before it writes the request.
  ['tls13-no-client-cert', { kind: 'tls-alert', phase: 'before-request', alert: 'certificate_required', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', detail: 'TLS alert certificate_required' }],
  ['tls12-no-client-cert', { kind: 'tls-alert', phase: 'connect', alert: 'handshake_failure', code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', detail: 'TLS alert handshake_failure' }],
  // Node rejects a bad certificate by closing, without an alert (and without a session ticket): the
  // close comes while the client waits for the listener's word, before the request.
  ['tls13-untrusted-client-cert', { kind: 'connection-closed', phase: 'before-request', code: 'WHC_CLOSED_BEFORE_REQUEST', detail: 'connection closed before the request was sent' }],
  ['tls12-untrusted-client-cert', { kind: 'closed-during-handshake', phase: 'connect', code: 'ECONNRESET', detail: 'connection closed during the TLS handshake' }],
  ['connection-refused', { kind: 'connection-refused', phase: 'connect', code: 'ECONNREFUSED', detail: 'connection refused' }],
  ['http-tcp-silent-1500', { kind: 'timeout', phase: 'after-request', code: 'UND_ERR_HEADERS_TIMEOUT', detail: 'no answer in time (UND_ERR_HEADERS_TIMEOUT)' }],
  ['https-tcp-silent', { kind: 'timeout', phase: 'connect', code: 'UND_ERR_CONNECT_TIMEOUT', detail: 'no answer in time (UND_ERR_CONNECT_TIMEOUT)' }],
  ['garbage-http', { kind: 'protocol-error', phase: 'after-request', code: 'HTTPParserError', detail: 'HTTPParserError: Response does not match the HTTP/1.1 protocol (Expected HTTP/, RTSP/ or ICE/)' }],
  ['https-to-plain-http', { kind: 'protocol-error', phase: 'connect', code: 'ERR_SSL_WRONG_VERSION_NUMBER', detail: /^ERR_SSL_WRONG_VERSION_NUMBER: .*wrong version number/ }],
  ['tls-destroy-after-request', { kind: 'connection-closed', phase: 'after-request', code: 'UND_ERR_SOCKET', detail: 'connection closed after the request was sent, with no answer' }],
  // A TCP reset (RST) rather than a close: undici reports the socket's own ECONNRESET.
  ['tls-reset-after-request', { kind: 'connection-reset', phase: 'after-request', code: 'ECONNRESET', detail: 'connection reset after the request was sent, with no answer' }],
  ['mtls-valid-204', { kind: 'accepted', phase: 'response', status: 204, detail: 'HTTP 204' }],
  ['http-204', { kind: 'accepted', phase: 'response', status: 204, detail: 'HTTP 204' }],
  ['http-401', { kind: 'http-rejected', phase: 'response', status: 401, detail: 'HTTP 401' }],
  ['http-410', { kind: 'http-rejected', phase: 'response', status: 410, detail: 'HTTP 410' }],
  ['http-500', { kind: 'http-other', phase: 'response', status: 500, detail: 'HTTP 500' }],
  ['http-302', { kind: 'http-other', phase: 'response', status: 302, detail: 'HTTP 302' }],
];

function expectOneLine(detail: string): void {
  expect(detail.length).toBeGreaterThan(0);
  expect(detail).not.toMatch(/[\r\n]/);
  expect(detail.trim()).toBe(detail);
}

describe('classify: recorded observations', () => {
  it.each(CASES)('%s', (name, expected) => {
    const { detail, ...rest } = expected;
    const outcome = classify(observed(name));
    const { detail: actualDetail, ...actual } = outcome;
    expect(actual).toEqual({ ...rest, ms: MS });
    if (typeof detail === 'string') expect(actualDetail).toBe(detail);
    else expect(actualDetail).toMatch(detail);
    expectOneLine(actualDetail);
  });

  it('covers every recorded observation', () => {
    const covered = new Set([...CASES.map(([name]) => name), ...ABORT_TIMEOUTS]);
    expect(Object.keys(recorded).filter((name) => !covered.has(name))).toEqual([]);
  });
});

describe('classify: AbortSignal timeouts as recorded', () => {
  it.each(ABORT_TIMEOUTS)('%s is a timeout after connect, on one line', (name) => {
    const outcome = classify(observed(name));
    expect(outcome.kind).toBe('timeout');
    expect(outcome.phase).toBe('after-request');
    expectOneLine(outcome.detail);
  });

  // A DOMException carries a legacy numeric `code` (23, TIMEOUT_ERR) that must not name the error.
  it.each(ABORT_TIMEOUTS)('%s names the timeout, not DOMException code 23', (name) => {
    const outcome = classify(observed(name));
    expect(outcome.code).toBe('TimeoutError');
    expect(outcome.detail).toBe('no answer in time (TimeoutError)');
  });
});

// Shapes the new deliver produced against hostile listeners of test/fixtures/hostile (recorded by
// hand: the recorded file above holds the shapes of the client before it waited for the server's word).
describe('classify: where the exchange ended', () => {
  it('a close while the client waited for the server\'s word is a refusal before the request', () => {
    // Node https server, rejectUnauthorized: true, untrusted-ca, TLS 1.3.
    const outcome = classify({ ms: 27, connected: true, bytesWritten: 0, closedBeforeRequest: true, error: { name: 'Error', code: 'WHC_CLOSED_BEFORE_REQUEST', message: 'the listener closed the connection before the request was written' } });
    expect(outcome).toEqual({ kind: 'connection-closed', phase: 'before-request', code: 'WHC_CLOSED_BEFORE_REQUEST', detail: 'connection closed before the request was sent', ms: 27 });
  });

  it('a reset while the client waited keeps its code and is still before the request', () => {
    const outcome = classify({ ms: 3, connected: true, bytesWritten: 0, closedBeforeRequest: true, socketError: { code: 'ECONNRESET', message: 'read ECONNRESET' }, error: { code: 'ECONNRESET', message: 'read ECONNRESET' } });
    expect(outcome).toMatchObject({ kind: 'connection-reset', phase: 'before-request' });
  });

  it('a request the listener left no connection for is a close, where it happened', () => {
    const outcome = classify({ ms: 4, connected: true, bytesWritten: 0, error: { name: 'Error', code: 'WHC_CONNECTION_GONE', message: 'the listener closed the connection' } });
    expect(outcome).toMatchObject({ kind: 'connection-closed', phase: 'before-request' });
  });

  it('a close after the request went out is after-request, whatever the TLS version', () => {
    // Accepts any certificate, reads the request, destroys the socket without answering.
    const outcome = classify({ ms: 60, connected: true, bytesWritten: 333, socketError: { name: 'SocketError', code: 'UND_ERR_SOCKET', message: 'other side closed' }, error: { name: 'SocketError', code: 'UND_ERR_SOCKET', message: 'other side closed' } });
    expect(outcome).toMatchObject({ kind: 'connection-closed', phase: 'after-request', detail: 'connection closed after the request was sent, with no answer' });
  });

  it('a close while part of a large body was never handed to the socket is before the (whole) request', () => {
    // Answers 413 to a 20 MiB body and closes; the reset discarded the 413 before it was read.
    const outcome = classify({ ms: 900, connected: true, bytesWritten: 4_194_304, unsentBodyBytes: 15_000_000, error: { code: 'ECONNRESET', message: 'read ECONNRESET' } });
    expect(outcome).toMatchObject({ kind: 'connection-reset', phase: 'before-request', detail: 'connection reset before the whole request was sent (15000000 bytes of the body never left the client)' });
  });

  it('a large body refused before any of it was written is simply before the request', () => {
    const outcome = classify({ ms: 30, connected: true, bytesWritten: 0, closedBeforeRequest: true, unsentBodyBytes: 20_971_520, error: { code: 'WHC_CLOSED_BEFORE_REQUEST', message: 'closed' } });
    expect(outcome).toMatchObject({ phase: 'before-request', detail: 'connection closed before the request was sent' });
  });

  it('a close after the whole of a large body was handed over is after-request, however much was queued', () => {
    const outcome = classify({ ms: 900, connected: true, bytesWritten: 20_971_800, error: { code: 'UND_ERR_SOCKET', message: 'other side closed' } });
    expect(outcome).toMatchObject({ kind: 'connection-closed', phase: 'after-request' });
  });

  it('a 2xx whose body was cut short is accepted, with the cut in the detail', () => {
    const outcome = classify({ ms: 8, connected: true, bytesWritten: 333, response: { status: 200, bodyNote: 'body cut short after 5 bytes (UND_ERR_SOCKET)' } });
    expect(outcome).toEqual({ kind: 'accepted', phase: 'response', status: 200, detail: 'HTTP 200 (body cut short after 5 bytes (UND_ERR_SOCKET))', ms: 8 });
  });

  it('a 2xx with a body too large to read is accepted', () => {
    const outcome = classify({ ms: 8, connected: true, bytesWritten: 333, response: { status: 200, bodyNote: 'body not read past 64 KiB' } });
    expect(outcome).toMatchObject({ kind: 'accepted', status: 200, detail: 'HTTP 200 (body not read past 64 KiB)' });
  });

  it('a 4xx whose body stalled is still the 4xx', () => {
    const outcome = classify({ ms: 8, connected: true, bytesWritten: 333, response: { status: 403, bodyNote: 'body cut short after 2 bytes (UND_ERR_BODY_TIMEOUT)' } });
    expect(outcome).toMatchObject({ kind: 'http-rejected', phase: 'response', status: 403 });
  });
});

describe('classify: hand-made edge shapes', () => {
  it('prefers the socket alert over undici UND_ERR_SOCKET', () => {
    const outcome = classify({
      ms: 5,
      connected: true,
      bytesWritten: 300,
      error: { name: 'SocketError', code: 'UND_ERR_SOCKET', message: 'other side closed' },
      socketError: { name: 'Error', code: 'ERR_SSL_TLSV13_ALERT_UNKNOWN_CA', message: 'tlsv13 alert unknown ca' },
    });
    expect(outcome).toEqual({ kind: 'tls-alert', phase: 'after-request', alert: 'unknown_ca', code: 'ERR_SSL_TLSV13_ALERT_UNKNOWN_CA', detail: 'TLS alert unknown_ca', ms: 5 });
  });

  it('keeps undici error when the socket error is no alert', () => {
    const outcome = classify({
      ms: 5,
      connected: true,
      bytesWritten: 300,
      error: { name: 'HeadersTimeoutError', code: 'UND_ERR_HEADERS_TIMEOUT', message: 'Headers Timeout Error' },
      socketError: { name: 'Error', code: 'ECONNRESET', message: 'read ECONNRESET' },
    });
    expect(outcome.kind).toBe('timeout');
    expect(outcome.code).toBe('UND_ERR_HEADERS_TIMEOUT');
  });

  it('uses the socket error when undici raised none', () => {
    const outcome = classify({ ms: 1, connected: true, bytesWritten: 10, socketError: { name: 'Error', code: 'ECONNRESET', message: 'read ECONNRESET' } });
    expect(outcome).toEqual({ kind: 'connection-reset', phase: 'after-request', code: 'ECONNRESET', detail: 'connection reset after the request was sent, with no answer', ms: 1 });
  });

  it('classifies a TimeoutError from AbortSignal by its name', () => {
    const timeout = { name: 'TimeoutError', message: 'The operation was aborted due to timeout' };
    expect(classify({ ms: 9, connected: true, bytesWritten: 10, error: timeout })).toEqual({
      kind: 'timeout',
      phase: 'after-request',
      code: 'TimeoutError',
      detail: 'no answer in time (TimeoutError)',
      ms: 9,
    });
    expect(classify({ ms: 9, connected: false, bytesWritten: 0, error: timeout }).phase).toBe('connect');
  });

  it('maps each undici timeout code to its phase', () => {
    const phaseOf = (code: string, connected: boolean) => classify({ ms: 0, connected, bytesWritten: 0, error: { code, message: 'x' } });
    expect(phaseOf('UND_ERR_CONNECT_TIMEOUT', false)).toMatchObject({ kind: 'timeout', phase: 'connect' });
    expect(phaseOf('UND_ERR_HEADERS_TIMEOUT', true)).toMatchObject({ kind: 'timeout', phase: 'after-request' });
    expect(phaseOf('UND_ERR_BODY_TIMEOUT', true)).toMatchObject({ kind: 'timeout', phase: 'response' });
    expect(phaseOf('ETIMEDOUT', false)).toMatchObject({ kind: 'timeout', phase: 'connect' });
  });

  it('reads each alert prefix (SSLV3, TLSV1, TLSV13) and lower-cases the name', () => {
    const alertOf = (code: string) => classify({ ms: 0, connected: false, bytesWritten: 0, error: { code, message: 'x' } }).alert;
    expect(alertOf('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE')).toBe('bad_certificate');
    expect(alertOf('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA')).toBe('unknown_ca');
    expect(alertOf('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED')).toBe('certificate_required');
  });

  it('ECONNRESET with the handshake message is closed-during-handshake even if a socket existed', () => {
    const outcome = classify({
      ms: 0,
      connected: true,
      bytesWritten: 0,
      error: { code: 'ECONNRESET', message: 'Client network socket disconnected before secure TLS connection was established' },
    });
    expect(outcome).toMatchObject({ kind: 'closed-during-handshake', phase: 'connect', code: 'ECONNRESET' });
  });

  it('UND_ERR_SOCKET before any byte was written is a close before the request', () => {
    const outcome = classify({ ms: 0, connected: true, bytesWritten: 0, error: { code: 'UND_ERR_SOCKET', message: 'other side closed' } });
    expect(outcome).toMatchObject({ kind: 'connection-closed', phase: 'before-request', detail: 'connection closed before the request was sent' });
  });

  it('EPIPE after connect is connection-closed', () => {
    const outcome = classify({ ms: 0, connected: true, bytesWritten: 12, error: { code: 'EPIPE', message: 'write EPIPE' } });
    expect(outcome).toMatchObject({ kind: 'connection-closed', phase: 'after-request', code: 'EPIPE' });
  });

  it('no response and no error is a protocol error', () => {
    expect(classify({ ms: 3, connected: true, bytesWritten: 1 })).toEqual({ kind: 'protocol-error', phase: 'after-request', detail: 'no response and no error', ms: 3 });
  });

  it('an unknown error keeps only the first line of its message', () => {
    const outcome = classify({ ms: 0, connected: false, bytesWritten: 0, error: { message: 'first line\nsecond line' } });
    expect(outcome).toEqual({ kind: 'protocol-error', phase: 'connect', code: 'UNKNOWN', detail: 'UNKNOWN: first line', ms: 0 });
  });

  it('a status wins over any error', () => {
    const outcome = classify({ ms: 0, connected: true, bytesWritten: 1, response: { status: 403 }, socketError: { code: 'ERR_SSL_TLSV13_ALERT_UNKNOWN_CA', message: 'x' } });
    expect(outcome).toEqual({ kind: 'http-rejected', phase: 'response', status: 403, detail: 'HTTP 403', ms: 0 });
  });

  it('draws the status class boundaries exactly', () => {
    const kindOf = (status: number) => classify({ ms: 0, connected: true, bytesWritten: 1, response: { status } }).kind;
    expect([199, 200, 299, 300, 399, 400, 499, 500, 599].map(kindOf)).toEqual([
      'http-other',
      'accepted',
      'accepted',
      'http-other',
      'http-other',
      'http-rejected',
      'http-rejected',
      'http-other',
      'http-other',
    ]);
  });
});
