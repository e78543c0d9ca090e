import type { Outcome, ScenarioInfo, Verdict } from './model.js';

const pass = (reason: string): Verdict => ({ verdict: 'pass', reason });
const fail = (reason: string): Verdict => ({ verdict: 'fail', reason });
const warn = (reason: string): Verdict => ({ verdict: 'warn', reason });
const error = (reason: string): Verdict => ({ verdict: 'error', reason });

const REFUSED = 'connection refused: the target is not listening (did it exit?)';

function judgeAccept(outcome: Outcome): Verdict {
  if (outcome.kind === 'accepted') return pass('accepted');
  if (outcome.kind === 'connection-refused') return error(REFUSED);
  return fail(`a good delivery was refused: ${outcome.detail}`);
}

/** A rejection at the HTTP layer: 4xx is right, except 410, which tells Standard Webhooks senders
 * to disable the endpoint. */
function judgeHttpRejection(status: number): Verdict {
  if (status === 410) return warn('rejected with HTTP 410, which makes senders disable the endpoint; answer 400, 401 or 403');
  return pass('rejected with a 4xx');
}

function judgeReject(info: ScenarioInfo, outcome: Outcome): Verdict {
  const needs4xx = info.rejection === 'http-4xx';
  switch (outcome.kind) {
    case 'accepted':
      return fail(`accepted (${outcome.detail}): the listener let this delivery through`);
    case 'http-rejected':
      return judgeHttpRejection(outcome.status ?? 0);
    case 'http-other':
      if (needs4xx && (outcome.status ?? 0) >= 500) {
        return fail(`answered ${outcome.detail}: verification failed on bad input instead of answering 400, 401 or 403`);
      }
      return warn(`rejected, but with ${outcome.detail}; answer 400, 401 or 403`);
    case 'tls-alert':
    case 'closed-during-handshake':
    case 'connection-closed':
    case 'connection-reset':
      if (needs4xx) return warn(`${outcome.detail}; a listener that read the request should answer 400, 401 or 403`);
      return pass(outcome.kind === 'tls-alert' ? 'rejected with a TLS alert' : 'rejected at the TLS layer');
    case 'timeout':
      return warn(`${outcome.detail}: no rejection seen before the deadline`);
    case 'protocol-error':
      return warn(`answered with something that is not HTTP: ${outcome.detail}`);
    case 'connection-refused':
      return error(REFUSED);
  }
}

/** Turns an Outcome and the scenario's expectation into a Verdict, following DESIGN.md's grading
 * rules. Pure. */
export function judge(info: ScenarioInfo, outcome: Outcome): Verdict {
  return info.expect === 'accept' ? judgeAccept(outcome) : judgeReject(info, outcome);
}
