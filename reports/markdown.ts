import { VERDICTS, runFailures } from '../harness/vocabulary.js';
import type { RunResult, ScenarioResult } from '../harness/model.js';
import { describeBaseline, describeMark } from './baseline-text.js';
import { groupByLayer } from './group.js';
import { groupTitle, scenarioLabel } from './titles.js';
import { writeReport } from './write.js';
import { fixesOf } from './fixes.js';
import { reproduceCommand } from './reproduce.js';

export const MARKDOWN_FILE = 'summary.md';

/** Text safe in a GitHub table cell: no pipes breaking columns, no HTML, one line. */
function cell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function why(s: ScenarioResult): string {
  return s.baseline && s.baseline.status !== 'not-run' ? `${s.reason} — ${describeMark(s.baseline)}` : s.reason;
}

/** A summary for people reading a CI run (GitHub's job summary): the verdict of the run, what to
 * fix, then the whole matrix folded away. Pure. */
export function renderMarkdown(result: RunResult): string {
  const failures = runFailures(result);
  const counts = VERDICTS.filter((v) => result.summary[v] > 0).map((v) => `${result.summary[v]} ${v}`);
  const headline = failures.length === 0 ? '✅ wh-conformance: as expected' : `❌ wh-conformance: ${failures.length} ${failures.length === 1 ? 'scenario fails' : 'scenarios fail'} the run`;
  const profiles = result.profiles.length > 0 ? result.profiles.join(', ') : 'none';
  const lines = [
    `## ${headline}`,
    '',
    `${result.scenarios.length} scenarios: ${counts.join(', ') || 'none'} in ${(result.durationMs / 1000).toFixed(2)} s`,
    '',
    `**target** (${result.target.kind}) ${code(result.target.description)} · **${result.profiles.length > 1 ? 'profiles' : 'profile'}** ${profiles} · **mTLS** ${result.mtls ? 'on' : 'off'} · **capabilities** ${result.capabilities.join(', ') || 'none'}${result.strict ? ' · **strict**' : ''} · ${result.tool.name} ${result.tool.version}`,
  ];
  for (const warning of result.warnings ?? []) lines.push('', `> **warning**: ${cell(warning)}`);
  if (result.baseline) lines.push('', `> ${cell(describeBaseline(result.baseline))}`);
  if (result.shard) lines.push('', `> shard ${result.shard.index} of ${result.shard.count}`);
  if (result.targetExit) lines.push('', `> ${cell(result.targetExit.reason)} while the scenarios ran; its last output:`, '', '```', ...result.targetExit.output.map((line) => line.replace(/```/g, "'''")), '```');
  if (failures.length > 0) {
    lines.push('', '### To fix', '', '| scenario | expect | observed | verdict | reason | reference |', '|---|---|---|---|---|---|');
    for (const s of failures) {
      lines.push(`| ${code(scenarioLabel(s, result))} | ${s.expect} | ${cell(s.outcome?.detail ?? '—')} | **${s.verdict}** | ${cell(why(s))} | ${cell(s.reference)} |`);
    }
    const fixes = failures.flatMap((s) => {
      const lines = fixesOf(s.remediation, s.profile).map(({ label, text }) => `${label}: ${cell(text)}`);
      return lines.length > 0 ? [`- ${code(scenarioLabel(s, result))}: ${lines.join(' · ')}`] : [];
    });
    if (fixes.length > 0) lines.push('', '**How to fix**', '', ...fixes);
    const repros = failures.flatMap((s) => {
      const command = reproduceCommand(s, result);
      return command ? [`- ${code(scenarioLabel(s, result))}: ${code(command)}`] : [];
    });
    if (repros.length > 0) lines.push('', '**Reproduce** (writes the delivery to a folder and prints the curl command that sends it)', '', ...repros);
  }
  lines.push('', `<details><summary>All ${result.scenarios.length} scenarios</summary>`, '');
  for (const group of groupByLayer(result.scenarios)) {
    lines.push(`#### ${cell(groupTitle(group))}`, '', '| scenario | expect | observed | verdict | reason |', '|---|---|---|---|---|');
    for (const s of group.scenarios) lines.push(`| ${code(s.id)} | ${s.expect} | ${cell(s.outcome?.detail ?? '—')} | ${s.verdict} | ${cell(why(s))} |`);
    lines.push('');
  }
  lines.push('</details>', '');
  return lines.join('\n');
}

/** Writes `outDir/summary.md`; returns its path. */
export function writeMarkdown(result: RunResult, outDir: string): Promise<string> {
  return writeReport(outDir, MARKDOWN_FILE, renderMarkdown(result));
}
