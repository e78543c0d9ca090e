import type { BaselineMark, BaselineSummary } from '../harness/model.js';

/** One line on the baseline for the top of a report. */
export function describeBaseline(summary: BaselineSummary): string {
  const parts = [
    `${summary.expectedFailures} expected ${summary.expectedFailures === 1 ? 'failure' : 'failures'}`,
    `${summary.unexpectedPasses} unexpected ${summary.unexpectedPasses === 1 ? 'pass' : 'passes'}`,
  ];
  if (summary.unmatched.length > 0) parts.push(`${summary.unmatched.length} not in this run`);
  return `baseline ${summary.file}: ${parts.join(', ')}`;
}

/** What a baselined scenario's mark means, for the reason column of a report. */
export function describeMark(mark: BaselineMark): string {
  switch (mark.status) {
    case 'expected-failure':
      return `expected failure (baseline: ${mark.note})`;
    case 'unexpected-pass':
      return 'unexpected pass: the baseline expects it to fail; remove its entry (or run with --update-baseline)';
    case 'not-run':
      return `in the baseline (${mark.note}), not judged this run`;
  }
}
