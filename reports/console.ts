import pc from 'picocolors';
import { VERDICTS } from '../harness/vocabulary.js';
import type { RunResult, ScenarioResult, VerdictKind } from '../harness/model.js';
import { describeBaseline, describeMark } from './baseline-text.js';
import { groupByLayer } from './group.js';
import { groupTitle } from './titles.js';
import { wrapWords } from './wrap.js';
import { fixesOf } from './fixes.js';

export interface ConsoleOptions {
  color: boolean;
  /** Terminal columns; rows stay within them (default 120). */
  width?: number;
}

type Colors = ReturnType<typeof pc.createColors>;
type Paint = (text: string) => string;

/** Rows stay readable in a terminal this wide: a reason that would pass it goes on its own lines. */
const DEFAULT_WIDTH = 120;
const GAP = '  ';
const ROW_INDENT = '  ';
const REASON_INDENT = '      ';
const NO_OUTCOME = '—';


interface Widths {
  id: number;
  expect: number;
  observed: number;
  verdict: number;
}

const COLUMN_TITLES = { id: 'scenario', expect: 'expect', observed: 'observed', verdict: 'verdict' } as const;

/** The console matrix: run header, one block per layer, summary line. */
export function renderConsole(result: RunResult, options: ConsoleOptions): string {
  const colors = pc.createColors(options.color);
  const paint = verdictPaints(colors);
  const widths = columnWidths(result.scenarios);
  const lines = [...runHeader(result, colors), '', colors.dim(columnHeader(widths))];
  for (const group of groupByLayer(result.scenarios)) {
    lines.push('', colors.bold(groupTitle(group)));
    for (const scenario of group.scenarios) {
      lines.push(...scenarioLines(scenario, widths, paint, options.width ?? DEFAULT_WIDTH), ...remediationLines(scenario, colors, options.width ?? DEFAULT_WIDTH));
    }
  }
  lines.push('', summaryLine(result, paint));
  return `${lines.join('\n')}\n`;
}

function verdictPaints(c: Colors): Record<VerdictKind, Paint> {
  return {
    pass: c.green,
    fail: c.red,
    warn: c.yellow,
    skip: c.dim,
    inconclusive: c.magenta,
    error: (text) => c.bold(c.inverse(c.red(text))),
  };
}

function runHeader(result: RunResult, c: Colors): string[] {
  const { target } = result;
  const where = target.description === target.url ? target.url : `${target.description} → ${target.url}`;
  const capabilities = result.capabilities.length > 0 ? result.capabilities.join(', ') : 'none';
  const profiles = result.profiles.length > 1 ? `profiles ${result.profiles.join(', ')}` : `profile ${result.profile ?? 'none'}`;
  return [
    `${c.bold(result.tool.name)} ${result.tool.version}  target (${target.kind}) ${where}`,
    `${profiles}  ·  mTLS ${result.mtls ? 'on' : 'off'}  ·  capabilities ${capabilities}${result.strict ? '  ·  strict' : ''}`,
    ...(result.baseline ? [describeBaseline(result.baseline)] : []),
    ...(result.shard ? [`shard ${result.shard.index} of ${result.shard.count}`] : []),
    ...(result.warnings ?? []).map((warning) => c.yellow(`warning: ${warning}`)),
  ];
}

function observed(scenario: ScenarioResult): string {
  return scenario.outcome?.detail ?? NO_OUTCOME;
}

function columnWidths(scenarios: readonly ScenarioResult[]): Widths {
  const widest = (title: string, cells: string[]): number => Math.max(title.length, ...cells.map((c) => c.length));
  return {
    id: widest(COLUMN_TITLES.id, scenarios.map((s) => s.id)),
    expect: widest(COLUMN_TITLES.expect, scenarios.map((s) => s.expect)),
    observed: widest(COLUMN_TITLES.observed, scenarios.map(observed)),
    verdict: widest(COLUMN_TITLES.verdict, scenarios.map((s) => s.verdict)),
  };
}

/** The first three columns, padded, with the gap before the verdict. Padding is done on plain text. */
function leadingCells(id: string, expect: string, seen: string, widths: Widths): string {
  return ROW_INDENT + [id.padEnd(widths.id), expect.padEnd(widths.expect), seen.padEnd(widths.observed)].join(GAP) + GAP;
}

function columnHeader(widths: Widths): string {
  const t = COLUMN_TITLES;
  return `${leadingCells(t.id, t.expect, t.observed, widths)}${t.verdict.padEnd(widths.verdict)}${GAP}reason`;
}

function scenarioLines(scenario: ScenarioResult, widths: Widths, paint: Record<VerdictKind, Paint>, width: number): string[] {
  const { verdict } = scenario;
  const reason = scenario.baseline && scenario.baseline.status !== 'not-run' ? `${scenario.reason} — ${describeMark(scenario.baseline)}` : scenario.reason;
  const lead = leadingCells(scenario.id, scenario.expect, observed(scenario), widths);
  // Color the word only, then pad, so escape codes never count toward a width (nor inverse the padding).
  const painted = paint[verdict](verdict);
  const fits = lead.length + widths.verdict + GAP.length + reason.length <= width;
  if (fits && reason !== '') {
    return [`${lead}${painted}${' '.repeat(widths.verdict - verdict.length)}${GAP}${reason}`];
  }
  const continuation = wrapWords(reason, width - REASON_INDENT.length).map((line) => REASON_INDENT + line);
  return [lead + painted, ...continuation];
}

/** Under a failed scenario: how to fix it (Node, nginx, or the signature check's code). */
function remediationLines(scenario: ScenarioResult, c: Colors, width: number): string[] {
  return fixesOf(scenario.remediation, scenario.profile).flatMap(({ label, text }) =>
    wrapWords(`${label}: ${text}`, width - REASON_INDENT.length).map((line) => REASON_INDENT + c.dim(line)),
  );
}

function summaryLine(result: RunResult, paint: Record<VerdictKind, Paint>): string {
  const total = result.scenarios.length;
  const counts = VERDICTS.filter((v) => result.summary[v] > 0).map((v) => paint[v](`${result.summary[v]} ${v}`));
  const noun = total === 1 ? 'scenario' : 'scenarios';
  const tally = counts.length > 0 ? `: ${counts.join(', ')}` : '';
  return `${total} ${noun}${tally} in ${formatDuration(result.durationMs)}`;
}

function formatDuration(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
