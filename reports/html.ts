import { VERDICTS, runFailures } from '../harness/vocabulary.js';
import type { RunResult, ScenarioResult } from '../harness/model.js';
import { describeBaseline, describeMark } from './baseline-text.js';
import { groupByLayer } from './group.js';
import { reproduceCommand } from './reproduce.js';
import { SCRIPT, STYLE } from './html-assets.js';
import { groupTitle } from './titles.js';
import { writeReport } from './write.js';
import { fixesOf } from './fixes.js';

export const HTML_FILE = 'index.html';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The report as one self-contained HTML page: header, verdict and layer filters, the matrix grouped
 * by layer, and for each scenario what was sent, what was observed and why it was judged so.
 * Failures are open. Pure. */
export function renderHtml(result: RunResult): string {
  const title = `${result.tool.name} report: ${result.target.description}`;
  // Opened from the start: whatever fails the run.
  const attention = new Set(runFailures(result));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${header(result)}
${overview(result)}
${filters(result)}
<main>
<div class="head" aria-hidden="true"><span>scenario</span><span>expect</span><span>observed</span><span>verdict</span><span>reason</span></div>
${groupByLayer(result.scenarios)
  .map((group) => `<section class="group" data-layer="${esc(group.layer)}">\n<h2>${esc(groupTitle(group))}</h2>\n${group.scenarios.map((s) => scenario(s, attention, result)).join('\n')}\n</section>`)
  .join('\n')}
<p id="empty" class="empty hidden">No scenario matches the filters.</p>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** Writes `outDir/index.html`; returns its path. */
export function writeHtml(result: RunResult, outDir: string): Promise<string> {
  return writeReport(outDir, HTML_FILE, renderHtml(result));
}

function header(result: RunResult): string {
  const { target } = result;
  const profiles = result.profiles.length > 0 ? result.profiles.join(', ') : 'none';
  const capabilities = result.capabilities.length > 0 ? result.capabilities.join(', ') : 'none';
  const totals = VERDICTS.filter((v) => result.summary[v] > 0)
    .map((v) => `<span class="badge v-${v}" data-total="${v}">${result.summary[v]} ${v}</span>`)
    .join('');
  const bad = runFailures(result).length;
  const status = bad === 0 ? '<p class="status ok">As expected: no scenario fails the run.</p>' : `<p class="status bad">${bad} ${bad === 1 ? 'scenario fails' : 'scenarios fail'} the run.</p>`;
  const notes = [
    ...(result.warnings ?? []).map((warning) => `<p class="note warning"><b>warning</b>: ${esc(warning)}</p>`),
    result.baseline ? `<p class="note" id="baseline">${esc(describeBaseline(result.baseline))}${result.baseline.unmatched.length > 0 ? ` (${esc(result.baseline.unmatched.join(', '))})` : ''}</p>` : '',
    result.shard ? `<p class="note">shard ${result.shard.index} of ${result.shard.count}: merge the shards' reports with <code>wh-conformance merge</code> for the whole run</p>` : '',
    result.targetExit ? `<div class="note" id="target-exit"><p>${esc(result.targetExit.reason)} while the scenarios ran; its last output:</p><pre>${esc(result.targetExit.output.join('\n'))}</pre></div>` : '',
  ].join('');
  return `<header>
<h1>${esc(result.tool.name)} report</h1>
<p class="meta"><b>target</b> (${esc(target.kind)}) <code>${esc(target.description)}</code>${target.url !== target.description ? ` → <code>${esc(target.url)}</code>` : ''}</p>
<p class="meta"><b>${result.profiles.length > 1 ? 'profiles' : 'profile'}</b> ${esc(profiles)} · <b>mTLS</b> ${result.mtls ? 'on' : 'off'} · <b>capabilities</b> ${esc(capabilities)}${result.strict ? ' · <b>strict</b>: precise rejections asked for' : ''}</p>
<p class="meta"><b>run</b> <time datetime="${esc(result.startedAt)}">${esc(result.startedAt.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC'))}</time> · ${(result.durationMs / 1000).toFixed(2)} s · ${esc(result.tool.name)} ${esc(result.tool.version)}</p>
<div class="totals"><span class="badge" data-total="all">${result.scenarios.length} scenarios</span>${totals}</div>
${status}${notes}
</header>`;
}

/** The matrix at a glance: a colored cell per scenario, by layer, each a link to its row. */
function overview(result: RunResult): string {
  const rows = groupByLayer(result.scenarios).map((group) => {
    const cells = group.scenarios
      .map((s) => `<a class="cell v-${s.verdict}" href="#${esc(anchor(s))}" title="${esc(`${s.id}: ${s.verdict}`)}"></a>`)
      .join('');
    return `<div class="strip"><span>${esc(groupTitle(group))}</span><span class="cells">${cells}</span></div>`;
  });
  return `<nav class="overview" aria-label="matrix overview">
${rows.join('\n')}
</nav>`;
}

function anchor(s: ScenarioResult): string {
  return s.profile !== null && s.layer === 'sig' ? `${s.id}.${s.profile}` : s.id;
}

function filters(result: RunResult): string {
  const verdicts = VERDICTS.map((v) => {
    const n = result.scenarios.filter((s) => s.verdict === v).length;
    return `<label><input type="checkbox" name="verdict" value="${v}" checked> ${v} (${n})</label>`;
  }).join('\n');
  const layers = [...new Set(result.scenarios.map((s) => s.layer))]
    .map((layer) => `<label><input type="checkbox" name="layer" value="${esc(layer)}" checked> ${esc(layer)}</label>`)
    .join('\n');
  return `<form class="filters" aria-label="filters">
<fieldset><legend>verdict</legend>
${verdicts}
</fieldset>
<fieldset><legend>layer</legend>
${layers}
</fieldset>
<span class="shown" id="shown">${result.scenarios.length} of ${result.scenarios.length} shown</span>
</form>`;
}

function scenario(s: ScenarioResult, attention: ReadonlySet<ScenarioResult>, result: RunResult): string {
  const mark = s.baseline ? `<span class="mark ${s.baseline.status}">${esc(describeMark(s.baseline))}</span>` : '';
  return `<details class="scenario" id="${esc(anchor(s))}" data-id="${esc(s.id)}" data-verdict="${s.verdict}" data-layer="${esc(s.layer)}"${attention.has(s) ? ' open' : ''}>
<summary class="row">
<span class="id">${esc(s.id)}${s.control ? '<span class="control">control</span>' : ''}<small>${esc(s.title)}</small></span>
<span>${esc(s.expect)}</span>
<span class="mono">${esc(s.outcome?.detail ?? '—')}</span>
<span class="verdict v-${s.verdict}">${s.verdict}</span>
<span class="reason">${esc(s.reason)}${mark}</span>
</summary>
<div class="more">
${sentSection(s)}
${observedSection(s)}
${judgementSection(s)}
${attention.has(s) ? reproduceSection(s, result) : ''}
</div>
</details>`;
}

function definitions(rows: ReadonlyArray<readonly [string, string]>): string {
  return `<dl>${rows.map(([term, value]) => `<dt>${esc(term)}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

function sentSection(s: ScenarioResult): string {
  const r = s.request;
  if (!r) return `<div><h3>sent</h3><p class="meta">${s.verdict === 'skip' ? 'nothing: the scenario was skipped' : 'not recorded'}</p></div>`;
  const headers = Object.entries(r.headers).map(([name, value]) => [name, `<code>${esc(value)}</code>`] as const);
  return `<div><h3>sent</h3>${definitions([
    ['client certificate', r.identity === null ? 'none' : `<code>${esc(r.identity)}</code>`],
    ['request', `<code>${esc(r.method)} ${esc(r.path)}</code>`],
    ...headers,
    ['body', `${r.bodyBytes} bytes`],
  ])}</div>`;
}

function observedSection(s: ScenarioResult): string {
  const o = s.outcome;
  if (!o) return `<div><h3>observed</h3><p class="meta">nothing</p></div>`;
  const rows: Array<readonly [string, string]> = [
    ['outcome', `<code>${esc(o.kind)}</code>`],
    ['detail', esc(o.detail)],
    ['phase', esc(o.phase)],
  ];
  if (o.status !== undefined) rows.push(['HTTP status', String(o.status)]);
  if (o.alert !== undefined) rows.push(['TLS alert', `<code>${esc(o.alert)}</code>`]);
  if (o.code !== undefined) rows.push(['error code', `<code>${esc(o.code)}</code>`]);
  rows.push(['time', `${o.ms.toFixed(1)} ms`]);
  return `<div><h3>observed</h3>${definitions(rows)}</div>`;
}

function reference(text: string): string {
  return /^https?:\/\/\S+$/.test(text) ? `<a href="${esc(text)}">${esc(text)}</a>` : esc(text);
}

/** For a failing scenario: the command that replays it by hand. */
function reproduceSection(s: ScenarioResult, result: RunResult): string {
  const command = reproduceCommand(s, result);
  return command ? `<div class="wide reproduce"><h3>reproduce</h3><p class="meta">writes the delivery to a folder and prints the curl command that sends it</p><pre>${esc(command)}</pre></div>` : '';
}

function judgementSection(s: ScenarioResult): string {
  const rows: Array<readonly [string, string]> = [
    ['verdict', `${s.verdict}: ${esc(s.reason)}`],
    ['expected', s.control ? `${esc(s.expect)} (the layer's positive control)` : esc(s.expect)],
    ['severity', esc(s.severity)],
    ['reference', reference(s.reference)],
  ];
  if (s.needs.length > 0) rows.push(['needs', esc(s.needs.join(', '))]);
  if (s.profile !== null) rows.push(['profile', esc(s.profile)]);
  if (s.baseline) rows.push(['baseline', `${esc(s.baseline.status)}: ${esc(s.baseline.note)}`]);
  for (const { label, text } of fixesOf(s.remediation, s.profile)) rows.push([label, `<code>${esc(text)}</code>`]);
  return `<div class="wide"><h3>judgement</h3>${definitions(rows)}</div>`;
}
