// The value lists of the model's words, and the one rule over them: which scenarios fail a run.
// Values only, importing nothing but types: reports/ may import values from here and nothing else
// of the harness (docs/ARCHITECTURE.md).
import type { ScenarioResult, VerdictKind } from './model.js';

export const LAYERS = ['mtls', 'transport', 'sig', 'drills'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const CAPABILITIES = ['crl', 'ocsp', 'subject-pinning', 'replay-protection', 'events-file'] as const;
export const PROFILE_FEATURES = ['timestamp', 'signed-id', 'multiple-signatures', 'scheme-label', 'shared-secret'] as const;
export const OUTCOME_KINDS = [
  'accepted',
  'http-rejected',
  'http-other',
  'tls-alert',
  'closed-during-handshake',
  'connection-closed',
  'connection-reset',
  'connection-refused',
  'timeout',
  'protocol-error',
] as const;
export const CONNECTION_PHASES = ['connect', 'before-request', 'after-request', 'response'] as const;
export const VERDICTS = ['pass', 'fail', 'warn', 'skip', 'inconclusive', 'error'] as const;
/** The verdicts that fail a run (unless a baseline expects them). */
export const FAILING_VERDICTS: readonly VerdictKind[] = ['fail', 'inconclusive', 'error'];
export const BASELINE_STATUSES = ['expected-failure', 'unexpected-pass', 'not-run'] as const;

/** The one rule of a failing run: a scenario fails it when its verdict fails and the baseline does
 * not expect that, or when the baseline expects a failure that did not happen. The exit code and
 * every report's list of failures read it. */
export function failsTheRun(scenario: Pick<ScenarioResult, 'verdict' | 'baseline'>): boolean {
  return (FAILING_VERDICTS.includes(scenario.verdict) && scenario.baseline?.status !== 'expected-failure') || scenario.baseline?.status === 'unexpected-pass';
}

/** The scenarios that fail the run, in report order. */
export function runFailures<S extends Pick<ScenarioResult, 'verdict' | 'baseline'>>(result: { scenarios: readonly S[] }): S[] {
  return result.scenarios.filter(failsTheRun);
}
