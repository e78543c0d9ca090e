import type { RunResult } from '../harness/model.js';
import { runFailures } from '../harness/vocabulary.js';
import { describeMark } from './baseline-text.js';
import { scenarioLabel } from './titles.js';

// GitHub workflow commands: data and property values are percent-escaped so a reason cannot end
// the command early or start another.
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error` line per scenario that fails the run, one `::warning` per warn: GitHub shows them
 * on the run's page. Pure. */
export function renderAnnotations(result: RunResult): string {
  const failures = runFailures(result);
  const lines = [
    ...failures.map((s) => {
      const title = `wh-conformance ${scenarioLabel(s, result)}: ${s.title}`;
      const why = s.baseline?.status === 'unexpected-pass' ? describeMark(s.baseline) : `${s.verdict}: ${s.reason}`;
      return `::error title=${escapeProperty(title)}::${escapeData(why)}`;
    }),
    ...result.scenarios
      .filter((s) => s.verdict === 'warn' && !failures.includes(s))
      .map((s) => `::warning title=${escapeProperty(`wh-conformance ${scenarioLabel(s, result)}: ${s.title}`)}::${escapeData(`warn: ${s.reason}`)}`),
  ];
  return lines.map((line) => `${line}\n`).join('');
}
