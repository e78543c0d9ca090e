import { describe, expect, it } from 'vitest';
import { judge } from '../../harness/judge/judge.js';
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
  'tls-alert': { kind: 'tls-alert', phase: 'after-connect', alert: 'certificate_required', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', detail: 'TLS alert certificate_required', ms: 1 },
  'closed-during-handshake': { kind: 'closed-during-handshake', phase: 'connect', code: 'ECONNRESET', detail: 'connection closed during the TLS handshake', ms: 1 },
  'connection-closed': { kind: 'connection-closed', phase: 'after-connect', code: 'UND_ERR_SOCKET', detail: 'connection closed after the request, no answer', ms: 1 },
  'connection-reset': { kind: 'connection-reset', phase: 'after-connect', code: 'ECONNRESET', detail: 'connection reset after the handshake', ms: 1 },
  'connection-refused': { kind: 'connection-refused', phase: 'connect', code: 'ECONNREFUSED', detail: 'connection refused', ms: 1 },
  timeout: { kind: 'timeout', phase: 'after-connect', code: 'UND_ERR_HEADERS_TIMEOUT', detail: 'no answer in time (UND_ERR_HEADERS_TIMEOUT)', ms: 1 },
  'protocol-error': { kind: 'protocol-error', phase: 'after-connect', code: 'HTTPParserError', detail: 'HTTPParserError: Response does not match', ms: 1 },
} as const satisfies Record<string, Outcome>;
type Observed = keyof typeof OUTCOMES;

const PASS_REASONS: Partial<Record<OutcomeKind, string>> = {
  accepted: 'accepted',
  'http-rejected': 'rejected with a 4xx',
  'tls-alert': 'rejected with a TLS alert',
  'closed-during-handshake': 'rejected at the TLS layer',
  'connection-closed': 'rejected at the TLS layer',
  'connection-reset': 'rejected at the TLS layer',
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
    expect(judge(reject, OUTCOMES['closed-during-handshake'])).toEqual({ verdict: 'pass', reason: 'rejected at the TLS layer' });
    expect(judge(reject4xx, OUTCOMES['tls-alert'])).toEqual({
      verdict: 'warn',
      reason: 'TLS alert certificate_required; a listener that read the request should answer 400, 401 or 403',
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

  it('a good delivery accepted passes', () => {
    expect(judge(accept, OUTCOMES.accepted)).toEqual({ verdict: 'pass', reason: 'accepted' });
  });
});
