import type { Outcome, PreciseRejection, ScenarioInfo, Verdict, VerdictKind } from '../model.js';

const pass = (reason: string): Verdict => ({ verdict: 'pass', reason });
const fail = (reason: string): Verdict => ({ verdict: 'fail', reason });
const warn = (reason: string): Verdict => ({ verdict: 'warn', reason });
const error = (reason: string): Verdict => ({ verdict: 'error', reason });

const REFUSED = 'connection refused: the target is not listening (did it exit?)';

/** Providers give up on an answer this late (Slack after 3 s); SDKs such as Slack Bolt answer a
 * verified delivery that no handler took with 404 once it has passed. */
export const UNHANDLED_AFTER_MS = 3000;

/** A valid delivery answered 404, or refused late with anything but 401/403 ("not authentic"): the
 * listener verified it and then had nothing to handle it with. */
function unhandled(outcome: Outcome): string | undefined {
  const status = outcome.status;
  if (status === undefined || status === 401 || status === 403 || outcome.kind === 'accepted') return undefined;
  const late = outcome.ms >= UNHANDLED_AFTER_MS ? ` after ${(outcome.ms / 1000).toFixed(1)} s` : '';
  if (status !== 404 && late === '') return undefined;
  return `verified but not handled: ${outcome.detail}${late}; the listener has no handler for this provider's event (register one, or answer 2xx to events it ignores)`;
}
/** A close after the request went out: the listener may have read and processed it. */
export const unprovenClose = (outcome: Outcome): string =>
  `${outcome.detail}: the listener may have read and processed it, so this is no proven rejection; answer 400, 401 or 403, or declare the events-file capability so the harness can check`;

function judgeAccept(outcome: Outcome): Verdict {
  if (outcome.kind === 'accepted') return pass('accepted');
  if (outcome.kind === 'connection-refused') return error(REFUSED);
  return fail(unhandled(outcome) ?? `a good delivery was refused: ${outcome.detail}`);
}

/** A rejection at the HTTP layer: 4xx is right, except 410, which tells Standard Webhooks senders
 * to disable the endpoint. */
function judgeHttpRejection(status: number): Verdict {
  if (status === 410) return warn('rejected with HTTP 410, which makes senders disable the endpoint; answer 400, 401 or 403');
  return pass('rejected with a 4xx');
}

function judgeReject(info: ScenarioInfo, outcome: Outcome): Verdict {
  const needs4xx = info.rejection !== 'any';
  switch (outcome.kind) {
    case 'accepted':
      if (info.rejection === 'not-processed') {
        return warn(`answered ${outcome.detail} to the replay: declare the events-file capability so the harness can check it was not processed again`);
      }
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
      if (outcome.kind === 'tls-alert') return pass('rejected with a TLS alert');
      if (outcome.phase === 'after-request') return warn(unprovenClose(outcome));
      return pass(outcome.phase === 'connect' ? 'rejected at the TLS layer, during the handshake' : 'rejected at the TLS layer, before the request was sent');
    case 'timeout':
      return warn(`${outcome.detail}: no rejection seen before the deadline`);
    case 'protocol-error':
      return warn(`answered with something that is not HTTP: ${outcome.detail}`);
    case 'connection-refused':
      return error(REFUSED);
  }
}

export interface JudgeOptions {
  /** A rejection other than the scenario's precise one is a warn. */
  strict?: boolean;
}

function describePrecise(precise: PreciseRejection): string {
  const alerts = (precise.alerts ?? []).map((alert) => `TLS alert ${alert}`);
  const statuses = (precise.statuses ?? []).map((status) => `HTTP ${status}`);
  return [...alerts, ...statuses].join(' or ');
}

/** Under --strict, a rejection that is not one of the precise ones is a warn that names both. */
function judgePrecision(precise: PreciseRejection, outcome: Outcome, passed: Verdict): Verdict {
  const alertMatches = outcome.kind === 'tls-alert' && outcome.alert !== undefined && (precise.alerts ?? []).includes(outcome.alert);
  const statusMatches = outcome.status !== undefined && (precise.statuses ?? []).includes(outcome.status);
  if (alertMatches || statusMatches) return passed;
  return warn(`rejected, but not precisely: ${outcome.detail}; --strict expects ${describePrecise(precise)}`);
}

/** Turns an Outcome and the scenario's expectation into a Verdict, following the grading rules
 * of docs/ARCHITECTURE.md; `strict` asks rejections to be the scenario's precise one. Pure. */
export function judge(info: ScenarioInfo, outcome: Outcome, options: JudgeOptions = {}): Verdict {
  if (info.expect === 'accept') return judgeAccept(outcome);
  const verdict = judgeReject(info, outcome);
  return options.strict && info.precise && verdict.verdict === 'pass' ? judgePrecision(info.precise, outcome, verdict) : verdict;
}

/** From best to worst: a scenario that sends several judged deliveries gets the worst verdict. */
const RANK: Readonly<Record<VerdictKind, number>> = { pass: 0, skip: 1, warn: 2, inconclusive: 3, fail: 4, error: 5 };

/** The worst of several verdicts, the first one on a tie. Pure. */
export function worstVerdict<T extends Verdict>(verdicts: readonly [T, ...T[]]): T {
  return verdicts.reduce((worst, v) => (RANK[v.verdict] > RANK[worst.verdict] ? v : worst));
}

/** A setup delivery (the genuine one a replay repeats) must have been accepted, or refusing what
 * follows proves nothing. Undefined when it was. Pure. */
export function judgeSetup(outcome: Outcome): Verdict | undefined {
  if (outcome.kind === 'accepted') return undefined;
  if (outcome.kind === 'connection-refused') return error(REFUSED);
  return { verdict: 'inconclusive', reason: `the original delivery was refused (${outcome.detail}), so refusing what followed proves nothing` };
}

/** A 4xx, then a request on the same connection: `second` is undefined when the listener left no
 * connection to send it on. Judged as the scenario's rejection, with the first answer as the
 * precondition: only after a 4xx is there a kept-alive connection to test. Pure. */
export function judgeFollowUp(info: ScenarioInfo, first: Outcome, second: Outcome | undefined, options: JudgeOptions = {}): Verdict {
  if (first.kind !== 'http-rejected') {
    const refusedConnection = first.kind !== 'connection-refused' && (first.kind === 'tls-alert' || first.phase === 'connect' || first.phase === 'before-request');
    if (!refusedConnection) return judge(info, first, options);
    return { verdict: 'skip', reason: `the listener refused the connection itself (${first.detail}): there is no connection to send a second request on` };
  }
  if (!second) return { verdict: 'skip', reason: `the listener closed the connection after ${first.detail}: nothing more can be sent on it` };
  if (second.kind === 'accepted') {
    return fail(`answered ${first.detail}, then ${second.detail} to a valid request on the same connection: it must refuse every request on a connection whose certificate it refused`);
  }
  return judge(info, second, options);
}
