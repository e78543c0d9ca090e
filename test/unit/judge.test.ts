import { describe, expect, it } from 'vitest';
import { judge, judgeFollowUp } from '../../harness/judge/judge.js';
import { OUTCOME_KINDS, type Expectation, type Outcome, type OutcomeKind, type RejectionRule, type ScenarioInfo, type VerdictKind } from '../../harness/model.js';

function info(expect: Expectation, rejection: RejectionRule): ScenarioInfo {
  return { id: 'x.test', layer: 'sig', title: 't', severity: 'high', reference: 'r', needs: [], expect, rejection, control: expect === 'accept' };
}

// One observed outcome per kind (and per status class that judges differently).
const OUTCOMES = {
  accepted: { kind: 'accepted', phase: 'response', status: 204, detail: 'HTTP 204', ms: 1 },
  'http-rejected 401': { kind: 'http-rejected', phase: 'response', status: 401, detail: 'HTTP 401', ms: 1 },
  'http-rejected 410': { kind: 'http-rejected', phase: 'response', status: 410, detail: 'HTTP 410', ms: 1 },
  'http-other 500': { kind: 'http-other', phase: 'response', status: 500, detail: 'HTTP 500', ms: 1 },
  'http-other 302': { kind: 'http-other', phase: 'response', status: 302, detail: 'HTTP 302', ms: 1 },
  'tls-alert': { kind: 'tls-alert', phase: 'after-request', alert: 'certificate_required', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', detail: 'TLS alert certificate_required', ms: 1 },
  'closed-during-handshake': { kind: 'closed-during-handshake', phase: 'connect', code: 'ECONNRESET', detail: 'connection closed during the TLS handshake', ms: 1 },
  'connection-closed': { kind: 'connection-closed', phase: 'before-request', code: 'UND_ERR_SOCKET', detail: 'connection closed before the request was sent', ms: 1 },
  'connection-reset': { kind: 'connection-reset', phase: 'before-request', code: 'ECONNRESET', detail: 'connection reset before the request was sent', ms: 1 },
  'connection-closed after the request': { kind: 'connection-closed', phase: 'after-request', code: 'UND_ERR_SOCKET', detail: 'connection closed after the request was sent, with no answer', ms: 1 },
  'connection-reset after the request': { kind: 'connection-reset', phase: 'after-request', code: 'ECONNRESET', detail: 'connection reset after the request was sent, with no answer', ms: 1 },
  'connection-refused': { kind: 'connection-refused', phase: 'connect', code: 'ECONNREFUSED', detail: 'connection refused', ms: 1 },
  timeout: { kind: 'timeout', phase: 'after-request', code: 'UND_ERR_HEADERS_TIMEOUT', detail: 'no answer in time (UND_ERR_HEADERS_TIMEOUT)', ms: 1 },
  'protocol-error': { kind: 'protocol-error', phase: 'after-request', code: 'HTTPParserError', detail: 'HTTPParserError: Response does not match', ms: 1 },
} as const satisfies Record<string, Outcome>;
type Observed = keyof typeof OUTCOMES;

const PASS_REASONS: Partial<Record<OutcomeKind, string>> = {
  accepted: 'accepted',
  'http-rejected': 'rejected with a 4xx',
  'tls-alert': 'rejected with a TLS alert',
  'closed-during-handshake': 'rejected at the TLS layer, during the handshake',
  'connection-closed': 'rejected at the TLS layer, before the request was sent',
  'connection-reset': 'rejected at the TLS layer, before the request was sent',
};

// [observed, accept, reject under `any`, reject under `http-4xx`] — docs/ARCHITECTURE.md's grading rules.
const MATRIX: ReadonlyArray<[Observed, VerdictKind, VerdictKind, VerdictKind]> = [
  ['accepted', 'pass', 'fail', 'fail'],
  ['http-rejected 401', 'fail', 'pass', 'pass'],
  ['http-rejected 410', 'fail', 'warn', 'warn'],
  ['http-other 500', 'fail', 'warn', 'fail'],
  ['http-other 302', 'fail', 'warn', 'warn'],
  ['tls-alert', 'fail', 'pass', 'warn'],
  ['closed-during-handshake', 'fail', 'pass', 'warn'],
  ['connection-closed', 'fail', 'pass', 'warn'],
  ['connection-reset', 'fail', 'pass', 'warn'],
  // The listener may have read the request: no proven rejection (the events file can settle it).
  ['connection-closed after the request', 'fail', 'warn', 'warn'],
  ['connection-reset after the request', 'fail', 'warn', 'warn'],
  ['connection-refused', 'error', 'error', 'error'],
  ['timeout', 'fail', 'warn', 'warn'],
  ['protocol-error', 'fail', 'warn', 'warn'],
];

describe('judge: every outcome × expectation × rejection rule', () => {
  it('the matrix covers every OutcomeKind', () => {
    const kinds = new Set<OutcomeKind>(MATRIX.map(([observed]) => OUTCOMES[observed].kind));
    expect([...kinds].sort()).toEqual([...OUTCOME_KINDS].sort());
  });

  describe.each(MATRIX)('%s', (observed, accept, rejectAny, reject4xx) => {
    const outcome: Outcome = OUTCOMES[observed];
    const cases: Array<[string, ScenarioInfo, VerdictKind]> = [
      ['accept/any', info('accept', 'any'), accept],
      ['accept/http-4xx', info('accept', 'http-4xx'), accept],
      ['reject/any', info('reject', 'any'), rejectAny],
      ['reject/http-4xx', info('reject', 'http-4xx'), reject4xx],
    ];
    it.each(cases)('%s', (_label, scenario, verdict) => {
      const result = judge(scenario, outcome);
      expect(result.verdict).toBe(verdict);
      // Anything but a pass names what was observed (a pass is short: the outcome is reported beside it).
      if (verdict === 'pass') expect(result.reason).toBe(PASS_REASONS[outcome.kind]);
      else expect(result.reason).toContain(outcome.detail);
      expect(result.reason).not.toMatch(/\n/);
    });
  });
});

describe('judge: reasons', () => {
  const reject = info('reject', 'any');
  const reject4xx = info('reject', 'http-4xx');
  const accept = info('accept', 'any');

  it('a 2xx on a bad delivery says it was let through', () => {
    expect(judge(reject, OUTCOMES.accepted)).toEqual({ verdict: 'fail', reason: 'accepted (HTTP 204): the listener let this delivery through' });
  });

  it('any 4xx but 410 passes, under either rule', () => {
    for (const status of [400, 401, 403, 404, 422, 499]) {
      const outcome: Outcome = { ...OUTCOMES['http-rejected 401'], status, detail: `HTTP ${status}` };
      expect(judge(reject4xx, outcome)).toEqual({ verdict: 'pass', reason: 'rejected with a 4xx' });
      expect(judge(reject, outcome)).toEqual({ verdict: 'pass', reason: 'rejected with a 4xx' });
    }
  });

  it('410 warns that senders disable the endpoint', () => {
    const { verdict, reason } = judge(reject, OUTCOMES['http-rejected 410']);
    expect(verdict).toBe('warn');
    expect(reason).toMatch(/^rejected with HTTP 410, .*disable the endpoint/);
  });

  it('5xx under http-4xx says verification failed on bad input', () => {
    expect(judge(reject4xx, OUTCOMES['http-other 500'])).toEqual({
      verdict: 'fail',
      reason: 'answered HTTP 500: verification failed on bad input instead of answering 400, 401 or 403',
    });
    expect(judge(reject4xx, { ...OUTCOMES['http-other 500'], status: 503, detail: 'HTTP 503' }).verdict).toBe('fail');
  });

  it('5xx under any warns', () => {
    expect(judge(reject, OUTCOMES['http-other 500'])).toEqual({ verdict: 'warn', reason: 'rejected, but with HTTP 500; answer 400, 401 or 403' });
  });

  it('a TLS rejection passes under any and warns under http-4xx', () => {
    expect(judge(reject, OUTCOMES['tls-alert'])).toEqual({ verdict: 'pass', reason: 'rejected with a TLS alert' });
    expect(judge(reject, OUTCOMES['closed-during-handshake'])).toEqual({ verdict: 'pass', reason: 'rejected at the TLS layer, during the handshake' });
    expect(judge(reject4xx, OUTCOMES['tls-alert'])).toEqual({
      verdict: 'warn',
      reason: 'TLS alert certificate_required; a listener that read the request should answer 400, 401 or 403',
    });
  });

  it('a close after the request went out is no proven rejection, and says how to make it one', () => {
    expect(judge(reject, OUTCOMES['connection-closed after the request'])).toEqual({
      verdict: 'warn',
      reason:
        'connection closed after the request was sent, with no answer: the listener may have read and processed it, so this is no proven rejection; answer 400, 401 or 403, or declare the events-file capability so the harness can check',
    });
  });

  it('a timeout warns: no rejection seen before the deadline', () => {
    expect(judge(reject, OUTCOMES.timeout)).toEqual({ verdict: 'warn', reason: 'no answer in time (UND_ERR_HEADERS_TIMEOUT): no rejection seen before the deadline' });
  });

  it('connection refused is an error that says the target is down, whatever is expected', () => {
    const expected = { verdict: 'error', reason: 'connection refused: the target is not listening (did it exit?)' };
    expect(judge(reject, OUTCOMES['connection-refused'])).toEqual(expected);
    expect(judge(accept, OUTCOMES['connection-refused'])).toEqual(expected);
  });

  it('a good delivery that is refused fails with what happened', () => {
    expect(judge(accept, OUTCOMES['http-rejected 401'])).toEqual({ verdict: 'fail', reason: 'a good delivery was refused: HTTP 401' });
    expect(judge(accept, OUTCOMES['tls-alert'])).toEqual({ verdict: 'fail', reason: 'a good delivery was refused: TLS alert certificate_required' });
  });

  it('a good delivery answered 404, or refused 3 s late, is named as verified but not handled', () => {
    const notFound = { kind: 'http-rejected', phase: 'response', status: 404, detail: 'HTTP 404', ms: 12 } as const;
    expect(judge(accept, notFound)).toEqual({ verdict: 'fail', reason: expect.stringMatching(/^verified but not handled: HTTP 404; the listener has no handler/) });
    expect(judge(accept, { ...notFound, ms: 3004 }).reason).toMatch(/^verified but not handled: HTTP 404 after 3\.0 s;/);
    expect(judge(accept, { ...notFound, status: 400, detail: 'HTTP 400', ms: 3500 }).reason).toMatch(/^verified but not handled: HTTP 400 after 3\.5 s;/);
    expect(judge(accept, { ...notFound, status: 400, detail: 'HTTP 400' }).reason).toBe('a good delivery was refused: HTTP 400');
    // 401 and 403 say the delivery was not found authentic, however late.
    expect(judge(accept, { ...OUTCOMES['http-rejected 401'], ms: 5000 }).reason).toBe('a good delivery was refused: HTTP 401');
    // A negative answered 404 is still a rejection.
    expect(judge(info('reject', 'http-4xx'), notFound)).toEqual({ verdict: 'pass', reason: 'rejected with a 4xx' });
  });

  it('a good delivery accepted passes', () => {
    expect(judge(accept, OUTCOMES.accepted)).toEqual({ verdict: 'pass', reason: 'accepted' });
  });
});

describe('judgeFollowUp: a valid request on the connection whose certificate was refused with a 4xx', () => {
  const keepalive = info('reject', 'any');
  const forbidden: Outcome = { kind: 'http-rejected', phase: 'response', status: 403, detail: 'HTTP 403', ms: 1 };
  const accepted: Outcome = OUTCOMES.accepted;

  it('fails when the second request is accepted', () => {
    expect(judgeFollowUp(keepalive, forbidden, accepted)).toEqual({
      verdict: 'fail',
      reason: 'answered HTTP 403, then HTTP 204 to a valid request on the same connection: it must refuse every request on a connection whose certificate it refused',
    });
  });

  it('passes when the second request is refused too', () => {
    expect(judgeFollowUp(keepalive, forbidden, forbidden)).toEqual({ verdict: 'pass', reason: 'rejected with a 4xx' });
  });

  it('skips, saying why, when the listener closed the connection after its 4xx', () => {
    expect(judgeFollowUp(keepalive, forbidden, undefined)).toEqual({ verdict: 'skip', reason: 'the listener closed the connection after HTTP 403: nothing more can be sent on it' });
  });

  it('skips when the certificate was refused at the TLS layer: there is no connection', () => {
    expect(judgeFollowUp(keepalive, OUTCOMES['connection-closed'], undefined).verdict).toBe('skip');
    expect(judgeFollowUp(keepalive, OUTCOMES['tls-alert'], undefined).reason).toMatch(/^the listener refused the connection itself \(TLS alert certificate_required\)/);
  });

  it('judges a first request closed after it went out as any rejection scenario would: no proven rejection', () => {
    expect(judgeFollowUp(keepalive, OUTCOMES['connection-closed after the request'], undefined).verdict).toBe('warn');
  });

  it('judges an accepted first request as the rejection scenario it is', () => {
    expect(judgeFollowUp(keepalive, accepted, undefined).verdict).toBe('fail');
    expect(judgeFollowUp(keepalive, OUTCOMES['connection-refused'], undefined).verdict).toBe('error');
  });
});
