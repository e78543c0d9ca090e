import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/errors.js';
import { catalogOrder, mergeReports, type ReportInput } from '../../harness/cli/merge.js';
import type { RunResult, Scenario, ScenarioResult } from '../../harness/model.js';
import { scenarioInfo } from '../../harness/judge/results.js';
import { makePlan, type Plan } from '../../harness/plan/plan.js';
import { parseShard } from '../../harness/config/shard-flag.js';
import { shardPlans } from '../../harness/plan/shard.js';
import { CATALOG } from '../../suites/catalog/index.js';
import { runResult } from '../fixtures/run-result.js';

const options = { mtls: true, profile: 'standard-webhooks', capabilities: [], include: [], exclude: [] };
const phases = [{ profile: 'standard-webhooks', plan: makePlan(CATALOG, options) }, { profile: 'stripe', plan: makePlan(CATALOG, { ...options, profile: 'stripe', layers: ['sig'] }) }];

const idsOf = (plan: Plan): string[] => [...plan.run.map((s) => s.id), ...plan.skipped.map((s) => s.scenario.id)];
const negatives = (plan: Plan): string[] => idsOf(plan).filter((id) => !CATALOG.find((s) => s.id === id)?.control);

describe('parseShard', () => {
  it('reads INDEX/COUNT', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });

  it('refuses anything else with one line naming the flag and the form', () => {
    for (const text of ['0/2', '3/2', '1/0', 'a/b', '1', '1/2/3', '-1/2']) {
      expect(() => parseShard(text)).toThrow(HarnessError);
      expect(() => parseShard(text)).toThrow(`--shard: expected INDEX/COUNT with 1 ≤ INDEX ≤ COUNT, such as 1/3, got "${text}"`);
    }
  });
});

describe('shardPlans', () => {
  for (const count of [1, 2, 3, 5, 40]) {
    it(`${count} shard(s) together hold every negative of every phase exactly once`, () => {
      const shards = Array.from({ length: count }, (_, i) => shardPlans(phases, { index: i + 1, count }));
      phases.forEach((phase, p) => {
        const all = shards.flatMap((s) => negatives(s[p]?.plan ?? { run: [], skipped: [] }));
        expect(all.sort()).toEqual(negatives(phase.plan).sort());
      });
    });
  }

  it('gives each shard the control of every layer it holds negatives of, and only those', () => {
    for (let index = 1; index <= 3; index++) {
      for (const { plan } of shardPlans(phases, { index, count: 3 })) {
        const layers = new Set([...plan.run, ...plan.skipped.map((s) => s.scenario)].filter((s) => !s.control).map((s) => s.layer));
        const controls = [...plan.run, ...plan.skipped.map((s) => s.scenario)].filter((s) => s.control).map((s) => s.layer);
        expect(new Set(controls)).toEqual(layers);
      }
    }
  });

  it('is deterministic and keeps catalog order', () => {
    const a = shardPlans(phases, { index: 2, count: 3 });
    const b = shardPlans(phases, { index: 2, count: 3 });
    expect(a.map((p) => idsOf(p.plan))).toEqual(b.map((p) => idsOf(p.plan)));
    for (const { plan } of a) {
      const order = plan.run.map((s) => CATALOG.indexOf(s));
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });

  it('puts a control without negatives in the first shard only', () => {
    const onlyControls = [{ profile: null, plan: { run: CATALOG.filter((s) => s.control), skipped: [] } }];
    expect(shardPlans(onlyControls, { index: 1, count: 2 })[0]?.plan.run).toHaveLength(CATALOG.filter((s) => s.control).length);
    expect(shardPlans(onlyControls, { index: 2, count: 2 })[0]?.plan.run).toEqual([]);
  });
});

function resultOf(scenarios: readonly Scenario[], extra: Partial<RunResult> = {}, verdictOf: (s: Scenario) => ScenarioResult['verdict'] = () => 'pass'): RunResult {
  return runResult(
    scenarios.map((s) => ({ ...scenarioInfo(s), profile: 'standard-webhooks', verdict: verdictOf(s), reason: 'r' })),
    extra,
  );
}

const order = catalogOrder(CATALOG.map((s) => s.id), ['standard-webhooks']);
const input = (file: string, report: RunResult): ReportInput => ({ file, report });

describe('mergeReports', () => {
  const plan = makePlan(CATALOG, options);
  const [one, two] = [1, 2].map((index) => shardPlans([{ plan }], { index, count: 2 })[0]?.plan.run ?? []);

  it('gives back the unsharded scenarios, in catalog order, each once', () => {
    const merged = mergeReports(
      [input('b.json', resultOf(two ?? [], { shard: { index: 2, count: 2 } })), input('a.json', resultOf(one ?? [], { shard: { index: 1, count: 2 } }))],
      order,
    );
    expect(merged.scenarios.map((s) => s.id)).toEqual(plan.run.map((s) => s.id));
    expect(merged.shard).toBeUndefined();
    expect(merged.summary.pass).toBe(plan.run.length);
  });

  it('keeps the worst run of a control that ran in several shards', () => {
    const failingControl = (s: Scenario) => (s.control && s.layer === 'mtls' ? 'fail' : 'pass');
    const a = resultOf(plan.run, { shard: { index: 1, count: 2 } });
    const b = resultOf(plan.run.filter((s) => s.control), { shard: { index: 2, count: 2 } }, failingControl);
    const merged = mergeReports([input('a.json', a), input('b.json', b)], order);
    expect(merged.scenarios.find((s) => s.control && s.layer === 'mtls')?.verdict).toBe('fail');
  });

  it('spans the shards in time', () => {
    const a = resultOf(one ?? [], { shard: { index: 1, count: 2 }, startedAt: '2025-01-01T00:00:10.000Z', durationMs: 1000 });
    const b = resultOf(two ?? [], { shard: { index: 2, count: 2 }, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 3000 });
    const merged = mergeReports([input('a.json', a), input('b.json', b)], order);
    expect(merged.startedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(merged.durationMs).toBe(11_000);
  });

  it('refuses reports that do not make one run, naming the files and the fix', () => {
    const a = resultOf(one ?? [], { shard: { index: 1, count: 2 } });
    const b = resultOf(two ?? [], { shard: { index: 2, count: 2 } });
    const problem = (inputs: ReportInput[]) => {
      try {
        mergeReports(inputs, order);
      } catch (error) {
        expect(error).toBeInstanceOf(HarnessError);
        return (error as Error).message;
      }
      throw new Error('merged');
    };
    expect(problem([input('a.json', a)])).toBe('shard 2/2 missing: pass the report of every shard');
    expect(problem([input('a.json', a), input('a2.json', a)])).toBe('a2.json: shard 1/2 is also a.json: pass each shard once');
    expect(problem([input('a.json', a), input('b.json', { ...b, capabilities: ['crl'] })])).toBe(
      'b.json: ran with capabilities crl, a.json with crl, replay-protection: merge only the reports of one run configuration',
    );
    expect(problem([input('a.json', a), input('b.json', { ...b, shard: { index: 2, count: 3 } })])).toBe('b.json: shard 2/3, but a.json is one of 2: merge the shards of one run');
    const { shard: _s, ...plain } = b;
    expect(problem([input('a.json', a), input('b.json', plain)])).toBe('b.json: not a shard, unlike a.json: merge the reports of the shards of one run');
    const overlap = resultOf(plan.run);
    expect(problem([input('x.json', overlap), input('y.json', overlap)])).toMatch(/^y\.json: mtls\.\S+ is also in x\.json: the reports overlap/);
  });
});
