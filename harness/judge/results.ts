import type { BrokenTest, Scenario, ScenarioInfo, ScenarioRecord, ScenarioResult, Verdict, VerdictKind } from '../model.js';
import { failsTheRun, VERDICTS } from '../vocabulary.js';
import { groupBy } from './group-by.js';
import { remediationFor } from './remediation.js';
import type { Plan } from '../plan/index.js';

/** What a scenario is, without what it sends: what reports carry. */
export function scenarioInfo({ send: _send, setup: _setup, variants: _variants, remediation: _remediation, drill: _drill, followUp: _followUp, formerIds: _formerIds, ...info }: Scenario): ScenarioInfo {
  return info;
}

const CONTROL_RUNS = ['first', 'last'] as const;

/** A control runs twice; it passes only if both runs passed. A run that left no record broke. */
function controlVerdict(records: ScenarioRecord[], broken: (id: string) => string | undefined): ScenarioRecord | undefined {
  const [first] = records;
  if (!first) return undefined;
  const missing = CONTROL_RUNS.find((position) => !records.some((r) => r.position === position));
  if (missing) {
    const reason = `harness error: the ${missing} run did not complete: ${broken(first.id) ?? 'no record'}`;
    return { ...first, position: 'only', verdict: 'error', reason };
  }
  return records.find((r) => r.verdict !== 'pass') ?? first;
}

function recordVerdict(record: ScenarioRecord): Verdict {
  if (record.position === 'only' || record.verdict === 'pass') return { verdict: record.verdict, reason: record.reason };
  return { verdict: record.verdict, reason: `${record.reason} (${record.position} run)` };
}

/** Joins the plan and what the suites recorded into one result per scenario, in plan order, and
 * applies the control rule: when a layer's control did not pass, its rejections prove nothing. Pure. */
export function finalizeResults(plan: Plan, records: readonly ScenarioRecord[], broken: readonly BrokenTest[], profile: string | null): ScenarioResult[] {
  const byId = groupBy(records, (r) => r.id);
  const brokenMessage = (id: string) => broken.find((b) => b.name === id || b.name.startsWith(`${id} (`))?.message;

  const controlPassed = new Map<string, string | undefined>();
  for (const scenario of plan.run.filter((s) => s.control)) {
    const record = controlVerdict(byId.get(scenario.id) ?? [], brokenMessage);
    controlPassed.set(scenario.layer, record?.verdict === 'pass' ? undefined : scenario.id);
  }

  const ran = plan.run.map((scenario): ScenarioResult => {
    const records = byId.get(scenario.id) ?? [];
    const record = scenario.control ? controlVerdict(records, brokenMessage) : records[0];
    if (!record) {
      const message = brokenMessage(scenario.id) ?? 'the scenario did not run';
      return { ...scenarioInfo(scenario), profile, verdict: 'error', reason: `harness error: ${message}` };
    }
    let verdict = recordVerdict(record);
    const failedControl = controlPassed.get(scenario.layer);
    if (!scenario.control && failedControl && (verdict.verdict === 'pass' || verdict.verdict === 'warn')) {
      verdict = { verdict: 'inconclusive', reason: `${failedControl} did not pass, so this rejection proves nothing (${verdict.reason})` };
    }
    // A fix is shown where something failed, not beside every pass.
    const fix = verdict.verdict === 'fail' ? remediationFor(scenario, profile) : undefined;
    const remediation = fix ? { remediation: fix } : {};
    return { ...scenarioInfo(scenario), profile, outcome: record.outcome, ...(record.request ? { request: record.request } : {}), ...verdict, ...remediation };
  });
  const skipped = plan.skipped.map(({ scenario, reason }): ScenarioResult => ({ ...scenarioInfo(scenario), profile, verdict: 'skip', reason }));
  const order = new Map([...plan.run, ...plan.skipped.map((s) => s.scenario)].map((s, i) => [s.id, i]));
  return [...ran, ...skipped].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

export function summarize(results: readonly ScenarioResult[]): Record<VerdictKind, number> {
  const summary = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<VerdictKind, number>;
  for (const r of results) summary[r.verdict] += 1;
  return summary;
}

/** 2: the run could not be carried out (a scenario errored); 1: a scenario fails the run (the one
 * rule, `failsTheRun`: a failure the baseline does not expect, or an unexpected pass); 0: every
 * verdict as expected (warn allowed). */
export function exitCodeFor(scenarios: readonly Pick<ScenarioResult, 'verdict' | 'baseline'>[]): 0 | 1 | 2 {
  if (scenarios.some((s) => s.verdict === 'error')) return 2;
  return scenarios.some(failsTheRun) ? 1 : 0;
}
