import type { BaselineMark, BaselineStatus, BaselineSummary, ScenarioResult, VerdictKind } from '../model.js';

/** One accepted gap: a scenario expected to fail, and why. Without `profile` it covers the scenario
 * under every profile. */
export interface BaselineEntry {
  id: string;
  profile?: string;
  note: string;
}

/** A baseline file, read and checked. */
export interface Baseline {
  /** The file as the user named it, for reports. */
  file: string;
  entries: BaselineEntry[];
}

const STATUS_OF: Record<VerdictKind, BaselineStatus> = {
  fail: 'expected-failure',
  inconclusive: 'expected-failure',
  // A warn does not fail the run: the entry no longer earns its place.
  warn: 'unexpected-pass',
  pass: 'unexpected-pass',
  skip: 'not-run',
  error: 'not-run',
};

export function entryMatches(entry: BaselineEntry, scenario: Pick<ScenarioResult, 'id' | 'profile'>): boolean {
  return entry.id === scenario.id && (entry.profile === undefined || entry.profile === scenario.profile);
}

function entryLabel(entry: BaselineEntry): string {
  return entry.profile === undefined ? entry.id : `${entry.id} (${entry.profile})`;
}

/** Marks each scenario the baseline lists and sums up. Pure: the verdicts are not changed; the
 * exit code reads the marks (an expected failure does not fail the run, an unexpected pass does). */
export function applyBaseline(scenarios: readonly ScenarioResult[], baseline: Baseline): { scenarios: ScenarioResult[]; summary: BaselineSummary } {
  const marked = scenarios.map((scenario): ScenarioResult => {
    const { baseline: _previous, ...rest } = scenario;
    const entry = baseline.entries.find((e) => entryMatches(e, scenario));
    if (!entry) return rest;
    const mark: BaselineMark = { status: STATUS_OF[scenario.verdict], note: entry.note };
    return { ...rest, baseline: mark };
  });
  const count = (status: BaselineStatus) => marked.filter((s) => s.baseline?.status === status).length;
  return {
    scenarios: marked,
    summary: {
      file: baseline.file,
      expectedFailures: count('expected-failure'),
      unexpectedPasses: count('unexpected-pass'),
      unmatched: baseline.entries.filter((e) => !scenarios.some((s) => entryMatches(e, s))).map(entryLabel),
    },
  };
}

/** The baseline after this run: failing scenarios are listed (keeping their notes), passing ones
 * dropped; entries this run says nothing about (skipped, broken, not in it) stay. An entry for every
 * profile that now passes under some of them is narrowed to the profiles that still fail. Pure. */
export function updateBaseline(scenarios: readonly ScenarioResult[], previous: readonly BaselineEntry[], today: string): BaselineEntry[] {
  const status = (s: ScenarioResult) => STATUS_OF[s.verdict];
  const forScenario = (s: ScenarioResult, note: string): BaselineEntry => ({ id: s.id, ...(s.profile !== null ? { profile: s.profile } : {}), note });
  const entries: BaselineEntry[] = [];
  for (const entry of previous) {
    const judged = scenarios.filter((s) => entryMatches(entry, s) && status(s) !== 'not-run');
    const failing = judged.filter((s) => status(s) === 'expected-failure');
    if (failing.length === judged.length) entries.push(entry);
    else entries.push(...failing.map((s) => forScenario(s, entry.note)));
  }
  // With one profile an id says it all; with several, a new entry names its profile.
  const profiles = new Set(scenarios.filter((s) => s.layer === 'sig').map((s) => s.profile));
  for (const s of scenarios) {
    if (status(s) !== 'expected-failure' || entries.some((e) => entryMatches(e, s))) continue;
    const note = `accepted on ${today}: ${s.reason}`;
    entries.push(profiles.size > 1 && s.layer === 'sig' ? forScenario(s, note) : { id: s.id, note });
  }
  return entries;
}

/** The baseline file's text. */
export function renderBaselineFile(entries: readonly BaselineEntry[]): string {
  return `${JSON.stringify({ expectedFailures: entries }, null, 2)}\n`;
}
