import pc from 'picocolors';
import type { ScenarioInfo } from '../harness/model.js';
import { groupByLayer } from './group.js';

const COLUMNS = ['id', 'expect', 'severity', 'needs', 'title', 'reference'] as const;
type Column = (typeof COLUMNS)[number];

function cells(s: ScenarioInfo): Record<Column, string> {
  return {
    id: s.id,
    expect: s.control ? `${s.expect} (control)` : s.expect,
    severity: s.severity,
    needs: s.needs.length > 0 ? s.needs.join(',') : '—',
    title: s.title,
    reference: s.reference,
  };
}

/** The catalog as a table grouped by layer (and signature profile), for `wh-conformance list`. */
export interface CatalogOptions {
  color: boolean;
  /** A line under a signature group's heading: the profile's headers and what it signs. */
  describeProfile?: (profile: string) => string | undefined;
}

export function renderCatalog(scenarios: ReadonlyArray<ScenarioInfo & { profile?: string }>, options: CatalogOptions): string {
  const c = pc.createColors(options.color);
  const rows = scenarios.map(cells);
  const width = Object.fromEntries(COLUMNS.map((k) => [k, Math.max(k.length, ...rows.map((r) => r[k].length))])) as Record<Column, number>;
  const line = (r: Record<Column, string>) =>
    COLUMNS.map((k, i) => (i === COLUMNS.length - 1 ? r[k] : r[k].padEnd(width[k]))).join('  ').trimEnd();
  const out = [c.dim(line(Object.fromEntries(COLUMNS.map((k) => [k, k])) as Record<Column, string>))];
  for (const group of groupByLayer(scenarios)) {
    out.push('', c.bold(group.layer === 'sig' && group.profile ? `${group.layer} (${group.profile})` : group.layer));
    const about = group.profile ? options.describeProfile?.(group.profile) : undefined;
    if (about) out.push(c.dim(about));
    for (const s of group.scenarios) out.push(line(cells(s)));
  }
  out.push('', `${scenarios.length} scenarios`);
  return `${out.join('\n')}\n`;
}
