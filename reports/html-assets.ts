// The HTML report's style and script, inlined into the page: the report is one file that works
// offline and as a CI artifact, so nothing is loaded from anywhere.

export const STYLE = `
:root {
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --skip: #6e7781; --inconclusive: #8250df; --error: #a40e26;
  --line: #d0d7de; --muted: #57606a; --bg-soft: #f6f8fa;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2328;
}
body { margin: 0; padding: 24px 32px 48px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.meta { color: var(--muted); margin: 2px 0; }
.meta b { color: #1f2328; font-weight: 600; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; margin: 14px 0 4px; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 10px; font-weight: 600; color: #fff; background: var(--skip); }
.v-pass { background: var(--pass); } .v-fail { background: var(--fail); } .v-warn { background: var(--warn); }
.v-skip { background: var(--skip); } .v-inconclusive { background: var(--inconclusive); } .v-error { background: var(--error); }
.status { font-size: 15px; font-weight: 600; margin: 10px 0 0; }
.status.ok { color: var(--pass); } .status.bad { color: var(--fail); }
.note { border-left: 3px solid var(--line); padding: 2px 10px; color: var(--muted); margin: 8px 0; }
.overview { margin: 16px 0 0; display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; align-items: center; color: var(--muted); }
.strip { display: contents; }
.cells { display: flex; flex-wrap: wrap; gap: 3px; }
.cell { width: 18px; height: 18px; border-radius: 3px; display: inline-block; }
.filters { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; margin: 18px 0 6px; padding: 10px 12px; background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; }
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
.filters legend { float: left; font-weight: 600; margin-right: 8px; }
.filters label { cursor: pointer; white-space: nowrap; }
.shown { color: var(--muted); margin-left: auto; }
.row, .head { display: grid; grid-template-columns: minmax(220px, 2.2fr) 70px minmax(160px, 2fr) 110px minmax(220px, 3fr); gap: 12px; align-items: baseline; padding: 6px 10px; }
.head { color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); }
details.scenario { border-bottom: 1px solid var(--line); }
details.scenario > summary { list-style: none; cursor: pointer; }
details.scenario > summary::-webkit-details-marker { display: none; }
details.scenario > summary:hover { background: var(--bg-soft); }
details.scenario[open] > summary { background: var(--bg-soft); }
.id { font-weight: 600; }
.id small { display: block; font-weight: 400; color: var(--muted); }
.verdict { text-align: center; border-radius: 4px; padding: 1px 0; color: #fff; font-weight: 600; }
.control { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; margin-left: 4px; }
.mark { font-size: 12px; color: var(--muted); display: block; }
.mark.unexpected-pass { color: var(--fail); font-weight: 600; }
.more { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 28px; padding: 8px 10px 16px 22px; }
.more h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 6px 0 2px; }
.more dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
.more dt { color: var(--muted); } .more dd { margin: 0; overflow-wrap: anywhere; }
.more .wide { grid-column: 1 / -1; }
.hidden { display: none !important; }
.empty { color: var(--muted); padding: 16px 10px; }
`;

/** Hides scenarios whose verdict or layer is unticked, hides groups left empty, counts what shows.
 * Without script every scenario shows. */
export const SCRIPT = `
(() => {
  const boxes = [...document.querySelectorAll('.filters input[type=checkbox]')];
  const scenarios = [...document.querySelectorAll('details.scenario')];
  const groups = [...document.querySelectorAll('section.group')];
  const shown = document.getElementById('shown');
  const empty = document.getElementById('empty');
  const ticked = (name) => new Set(boxes.filter((b) => b.name === name && b.checked).map((b) => b.value));
  const apply = () => {
    const verdicts = ticked('verdict');
    const layers = ticked('layer');
    let count = 0;
    for (const s of scenarios) {
      const show = verdicts.has(s.dataset.verdict) && layers.has(s.dataset.layer);
      s.classList.toggle('hidden', !show);
      if (show) count += 1;
    }
    for (const g of groups) g.classList.toggle('hidden', !g.querySelector('details.scenario:not(.hidden)'));
    shown.textContent = count + ' of ' + scenarios.length + ' shown';
    empty.classList.toggle('hidden', count > 0);
  };
  for (const b of boxes) b.addEventListener('change', apply);
  apply();
})();
`;
