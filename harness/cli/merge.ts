import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyBaseline, type Baseline, worstVerdict, summarize } from '../judge/index.js';
import { JSON_FILE } from '../../reports/index.js';
import { HarnessError } from '../errors.js';
import { REPORT_SCHEMA_VERSION, type BaselineSummary, type RunResult, type ScenarioResult } from '../model.js';
import { checkReport } from './report-schema.js';

/** One JSON report to merge, and where it came from (for errors). */
export interface ReportInput {
  file: string;
  report: RunResult;
}

/** Reads `DIR/wh-conformance.json` (or the file given) and checks it against the report schema. */
export async function readReportInput(path: string): Promise<ReportInput> {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, JSON_FILE) : path;
  if (!existsSync(file)) throw new HarnessError(`${path}: no ${JSON_FILE} there: run each shard with --reporter json --out DIR and pass the DIRs`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new HarnessError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)}): pass the ${JSON_FILE} a run wrote`);
  }
  const version = typeof value === 'object' && value !== null && 'schemaVersion' in value ? value.schemaVersion : undefined;
  if (typeof version === 'number' && version !== REPORT_SCHEMA_VERSION) {
    throw new HarnessError(`${file}: a report of schema ${version}; this wh-conformance writes and merges schema ${REPORT_SCHEMA_VERSION}: run every shard with the wh-conformance that merges them`);
  }
  const checked = checkReport(value);
  if (!checked.ok) throw new HarnessError(`${file}: not a wh-conformance report: ${checked.problem}`);
  return { file, report: checked.report };
}

const keyOf = (s: Pick<ScenarioResult, 'id' | 'profile'>) => `${s.id}\u0000${s.profile ?? ''}`;

/** What must be the same in every report of one run (the URL's port is not: each shard starts its
 * own listener). */
function runShape(r: RunResult): Array<readonly [string, string]> {
  return [
    ['wh-conformance version', r.tool.version],
    ['target', `${r.target.kind} ${r.target.description}`],
    ['profiles', r.profiles.join(', ') || 'none'],
    ['mTLS', r.mtls ? 'on' : 'off'],
    ['capabilities', [...r.capabilities].sort().join(', ') || 'none'],
    ['baseline', r.baseline?.file ?? 'none'],
  ];
}

function checkSameRun(inputs: readonly ReportInput[]): void {
  const [first, ...others] = inputs;
  if (!first) throw new HarnessError('merge: no report given: pass the output directories of the shards');
  const expected = runShape(first.report);
  for (const other of others) {
    runShape(other.report).forEach(([what, value], i) => {
      const wanted = expected[i]?.[1];
      if (value !== wanted) {
        throw new HarnessError(`${other.file}: ran with ${what} ${value}, ${first.file} with ${wanted}: merge only the reports of one run configuration`);
      }
    });
  }
}

function checkShards(inputs: readonly ReportInput[]): void {
  const sharded = inputs.filter((i) => i.report.shard);
  if (sharded.length === 0) return;
  const plain = inputs.find((i) => !i.report.shard);
  if (plain) throw new HarnessError(`${plain.file}: not a shard, unlike ${sharded[0]?.file}: merge the reports of the shards of one run`);
  const count = sharded[0]?.report.shard?.count ?? 0;
  const seen = new Map<number, string>();
  for (const { file, report } of sharded) {
    const shard = report.shard;
    if (!shard) continue;
    if (shard.count !== count) throw new HarnessError(`${file}: shard ${shard.index}/${shard.count}, but ${sharded[0]?.file} is one of ${count}: merge the shards of one run`);
    const twin = seen.get(shard.index);
    if (twin) throw new HarnessError(`${file}: shard ${shard.index}/${count} is also ${twin}: pass each shard once`);
    seen.set(shard.index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new HarnessError(`shard ${missing.map((i) => `${i}/${count}`).join(', ')} missing: pass the report of every shard`);
}

/** The scenarios of all reports, each once. A control runs in every shard that holds negatives of
 * its layer: the worst of its runs counts, as one run would judge it. Any other scenario in two
 * reports means they overlap. */
function mergeScenarios(inputs: readonly ReportInput[], order: (s: ScenarioResult) => number): ScenarioResult[] {
  const merged = new Map<string, { scenario: ScenarioResult; file: string }>();
  for (const { file, report } of inputs) {
    for (const scenario of report.scenarios) {
      const key = keyOf(scenario);
      const before = merged.get(key);
      if (!before) merged.set(key, { scenario, file });
      else if (scenario.control) merged.set(key, { scenario: worstVerdict([before.scenario, scenario]), file });
      else throw new HarnessError(`${file}: ${scenario.id} is also in ${before.file}: the reports overlap; merge the shards of one run, each once`);
    }
  }
  return [...merged.values()].map((m) => m.scenario).sort((a, b) => order(a) - order(b));
}

/** The baseline summary of the merged run: entries unmatched in every shard are unmatched in all. */
function mergeBaseline(inputs: readonly ReportInput[], scenarios: readonly ScenarioResult[]): BaselineSummary | undefined {
  const summaries = inputs.map((i) => i.report.baseline);
  const [first] = summaries;
  if (!first) return undefined;
  const everywhere = first.unmatched.filter((entry) => summaries.every((s) => s?.unmatched.includes(entry)));
  return {
    file: first.file,
    expectedFailures: scenarios.filter((s) => s.baseline?.status === 'expected-failure').length,
    unexpectedPasses: scenarios.filter((s) => s.baseline?.status === 'unexpected-pass').length,
    unmatched: everywhere,
  };
}

/** Combines the JSON reports of one run split across jobs (`--shard`, or `--include` sets) into the
 * result one unsharded run would have given; `baseline` re-judges it against a baseline file.
 * `order` places a scenario as the catalog does. Pure. */
export function mergeReports(inputs: readonly ReportInput[], order: (s: ScenarioResult) => number, baseline?: Baseline): RunResult {
  checkSameRun(inputs);
  checkShards(inputs);
  const reports = inputs.map((i) => i.report);
  const [first] = reports;
  if (!first) throw new HarnessError('merge: no report given');
  const scenarios = mergeScenarios(inputs, order);
  const start = Math.min(...reports.map((r) => Date.parse(r.startedAt)));
  const end = Math.max(...reports.map((r) => Date.parse(r.startedAt) + r.durationMs));
  const { shard: _shard, baseline: _baseline, ...shape } = first;
  const judged = baseline ? applyBaseline(scenarios, baseline) : undefined;
  const final = judged?.scenarios ?? scenarios;
  const baselineSummary = judged?.summary ?? mergeBaseline(inputs, final);
  return {
    ...shape,
    startedAt: new Date(start).toISOString(),
    durationMs: end - start,
    summary: summarize(final),
    scenarios: final,
    ...(baselineSummary ? { baseline: baselineSummary } : {}),
  };
}

/** Where a scenario goes in a merged report, as a run lists it: by phase (its profile among the
 * run's profiles), the skipped after those that ran, then in catalog order. */
export function catalogOrder(catalogIds: readonly string[], profiles: readonly string[]): (s: ScenarioResult) => number {
  const idIndex = new Map(catalogIds.map((id, i) => [id, i]));
  const span = catalogIds.length + 1;
  return (s) => {
    const phase = s.layer === 'sig' && s.profile !== null ? Math.max(0, profiles.indexOf(s.profile)) : 0;
    const skipped = s.verdict === 'skip' ? 1 : 0;
    return (phase * 2 + skipped) * span + (idIndex.get(s.id) ?? catalogIds.length);
  };
}
