import type { Outcome, PreciseRejection, ScenarioInfo, Verdict, VerdictKind } from '../model.js';

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
      return pass(outcome.kind === 'tls-alert' ? 'rejected with a TLS alert' : 'rejected at the TLS layer');
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
