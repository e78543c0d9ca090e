import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { BASELINE_STATUSES, CAPABILITIES, LAYERS, OUTCOME_KINDS, PROFILE_FEATURES, SEVERITIES, VERDICTS } from '../../harness/model.js';
import { checkReport, REPORT_SCHEMA_FILE } from '../../harness/cli/report-schema.js';
import { applyBaseline } from '../../harness/judge/baseline.js';
import { renderJson } from '../../reports/json.js';
import { runResult, SCENARIOS } from '../fixtures/run-result.js';

interface EnumNode {
  enum?: string[];
}
interface SchemaShape {
  properties: { schemaVersion: { const: number }; summary: { required: string[] } };
  $defs: Record<string, EnumNode & { properties?: Record<string, EnumNode & { properties?: Record<string, EnumNode> }> }>;
}

const schema = JSON.parse(readFileSync(REPORT_SCHEMA_FILE, 'utf8')) as SchemaShape;

describe('reports/schema.json', () => {
  it('compiles under strict JSON Schema 2020-12 rules', () => {
    expect(() => new Ajv2020({ strict: true }).compile(schema)).not.toThrow();
  });

  it("keeps its enums equal to the model's lists", () => {
    expect(schema.$defs.layer?.enum).toEqual([...LAYERS]);
    expect(schema.$defs.verdict?.enum).toEqual([...VERDICTS]);
    expect(schema.$defs.capability?.enum).toEqual([...CAPABILITIES]);
    expect(schema.$defs.outcome?.properties?.kind?.enum).toEqual([...OUTCOME_KINDS]);
    expect(schema.$defs.scenario?.properties?.severity?.enum).toEqual([...SEVERITIES]);
    expect(schema.$defs.scenario?.properties?.baseline?.properties?.status?.enum).toEqual([...BASELINE_STATUSES]);
    expect((schema.$defs.scenario?.properties?.requires as { items: EnumNode } | undefined)?.items.enum).toEqual([...PROFILE_FEATURES]);
    expect(schema.properties.summary.required).toEqual([...VERDICTS]);
    expect(schema.properties.schemaVersion.const).toBe(runResult().schemaVersion);
  });

  it('accepts a report with every optional field, as the JSON writer renders it', () => {
    const { scenarios, summary } = applyBaseline(SCENARIOS, { file: 'baseline.json', entries: [{ id: 'mtls.expired', note: 'CRL work in Q3' }, { id: 'gone.id', note: 'renamed' }] });
    const report = runResult(scenarios, { baseline: summary, shard: { index: 1, count: 2 }, strict: true });
    expect(checkReport(JSON.parse(renderJson(report)))).toEqual({ ok: true, report });
  });

  it('names the first problem on one line', () => {
    const report = JSON.parse(renderJson(runResult())) as { scenarios: Array<Record<string, unknown>> };
    const [first] = report.scenarios;
    if (first) first.verdict = 'maybe';
    expect(checkReport(report)).toEqual({ ok: false, problem: 'scenarios.0.verdict: must be equal to one of the allowed values: pass, fail, warn, skip, inconclusive, error' });
    expect(checkReport({ ...runResult(), extra: 1 })).toEqual({ ok: false, problem: 'the report: must NOT have additional properties (extra)' });
    expect(checkReport([])).toMatchObject({ ok: false, problem: 'the report: must be object' });
  });
});
