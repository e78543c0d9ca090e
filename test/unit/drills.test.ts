import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type RunFlags } from '../../harness/config/config.js';
import type { PlannedDrill, PlannedDrillScenario, Scenario, ScenarioResult } from '../../harness/model.js';
import { repeatPlan } from '../../harness/plan/repeat.js';
import { drillSourcePlan, planDrills } from '../../harness/plan/drill-plan.js';
import { blameTargetExit } from '../../harness/judge/target-exit.js';
import { CATALOG, DEFAULT_CATALOG, DRILL_SCENARIOS } from '../../suites/catalog/index.js';

const empty = mkdtempSync(join(tmpdir(), 'whc-drills-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));
const configWith = (flags: RunFlags) => loadConfig({ command: 'node listener.mjs', drills: true, ...flags }, empty);
const ids = (scenarios: readonly Scenario[]) => scenarios.map((s) => s.id);
const drillOf = (scenarios: readonly PlannedDrillScenario[], id: string): PlannedDrill | undefined => scenarios.find((s) => s.id === id)?.drill;

describe('the drills catalog', () => {
  it('is layer drills, each with a drill and a fix, ids apart from the matrix', () => {
    expect(DRILL_SCENARIOS.map((s) => [s.id, s.layer, s.drill?.kind, Object.keys(s.remediation ?? {})])).toEqual([
      ['drills.reject-under-load', 'drills', 'load', ['node', 'nginx']],
      ['drills.oversized-body', 'drills', 'oversized-body', ['node', 'nginx']],
      ['drills.slow-headers', 'drills', 'slow-headers', ['node', 'nginx']],
      ['drills.survives-bad-input', 'drills', 'controls-after', ['node', 'nginx']],
      ['drills.client-ca-overlap', 'drills', 'client-ca-rotation', ['node', 'nginx']],
      ['drills.client-ca-cutover', 'drills', 'client-ca-rotation', ['node', 'nginx']],
    ]);
    for (const s of DRILL_SCENARIOS) for (const fix of Object.values(s.remediation ?? {})) expect(fix.length, s.id).toBeGreaterThan(20);
    const matrix = new Set(ids(CATALOG));
    expect(ids(DRILL_SCENARIOS).filter((id) => matrix.has(id))).toEqual([]);
  });
});

describe('planDrills', () => {
  it('runs the drills as the listener runs first, then one restart per rotation step', async () => {
    const phases = planDrills(DEFAULT_CATALOG, await configWith({}));
    expect(phases.map((p) => [ids(p.plan.run), p.restart])).toEqual([
      [['drills.reject-under-load', 'drills.oversized-body', 'drills.slow-headers', 'drills.survives-bad-input'], undefined],
      [['drills.client-ca-overlap'], 'old+new'],
      [['drills.client-ca-cutover'], 'new'],
    ]);
  });

  it('loads the listener with the mTLS and signature negatives sent plainly, and checks every control after', async () => {
    const [asItRuns] = planDrills(DEFAULT_CATALOG, await configWith({ include: ['drills.*'] }));
    const load = drillOf(asItRuns?.plan.run ?? [], 'drills.reject-under-load');
    if (load?.kind !== 'load') throw new Error('no load drill');
    const sources = load.sources;
    // The globs choose drills, not what the drills send.
    expect(ids(sources)).toEqual([
      ...['no-client-cert', 'untrusted-ca', 'self-signed', 'expired', 'not-yet-valid', 'intermediate-expired', 'missing-intermediate', 'wrong-eku'].map((id) => `mtls.${id}`),
      ...['no-digital-signature', 'leaf-as-issuer', 'path-length-exceeded', 'weak-rsa-key', 'sha1-signature', 'unknown-critical-extension', 'bad-signature', 'spoofed-identity-headers'].map((id) => `mtls.${id}`),
      ...['missing-signature', 'missing-timestamp', 'missing-id', 'wrong-secret', 'empty-secret', 'tampered-body', 'truncated-signature', 'malformed-signature'].map((id) => `sig.${id}`),
      ...['wrong-scheme-label', 'multiple-signatures-none-valid', 'stale-timestamp', 'future-timestamp', 'timestamp-not-numeric'].map((id) => `sig.${id}`),
      'cross.bad-cert-good-signature',
    ]);
    for (const s of sources) {
      expect([s.id, s.layer === 'mtls' || s.layer === 'sig', s.expect, s.control, s.setup, s.send.connection, s.variants]).toEqual([s.id, true, 'reject', false, undefined, undefined, undefined]);
    }
    expect(ids(load.controls)).toEqual(['mtls.valid-client-cert', 'transport.tls1.2-supported', 'sig.valid']);
    // The plan fills in a planned drill; the catalog's specs stay data.
    for (const s of DRILL_SCENARIOS) expect(Object.keys(s.drill ?? {})).not.toContain('sources');
    for (const s of DRILL_SCENARIOS) expect(Object.keys(s.drill ?? {})).not.toContain('controls');
  });

  it('skips the rotation drills for a listener it cannot restart, and everything with globs that match no drill', async () => {
    const [asItRuns, ...rest] = planDrills(DEFAULT_CATALOG, await configWith({ command: undefined, url: 'https://127.0.0.1:8443', certs: empty }));
    expect(rest).toEqual([]);
    expect(asItRuns?.plan.skipped.map((s) => [s.scenario.id, s.reason])).toEqual([
      ['drills.client-ca-overlap', expect.stringMatching(/^needs a listener the harness starts/)],
      ['drills.client-ca-cutover', expect.stringMatching(/^needs a listener the harness starts/)],
    ]);
    const none = planDrills(DEFAULT_CATALOG, await configWith({ include: ['mtls.*'] }));
    expect(none.flatMap((p) => [...p.plan.run, ...p.plan.skipped])).toEqual([]);
  });

  it('skips the load when no negative applies, and without mTLS the rotation steps', async () => {
    const phases = planDrills(DEFAULT_CATALOG, await configWith({ mtls: false, profile: 'none' }));
    expect(phases.map((p) => ids(p.plan.run))).toEqual([['drills.oversized-body', 'drills.slow-headers', 'drills.survives-bad-input']]);
    expect(phases[0]?.plan.skipped.map((s) => s.scenario.id)).toEqual(['drills.client-ca-overlap', 'drills.client-ca-cutover', 'drills.reject-under-load']);
  });

  it('hands the kit every scenario the drills send on behalf of others', async () => {
    const phases = planDrills(DEFAULT_CATALOG, await configWith({}));
    const sent = ids(drillSourcePlan(phases).run);
    expect(sent).toContain('mtls.untrusted-ca');
    expect(sent).toContain('sig.valid');
  });
});

describe('repeatPlan', () => {
  it('adds copies under ids of their own, among the negatives', () => {
    const control = CATALOG.find((s) => s.control);
    const negative = CATALOG.find((s) => !s.control);
    if (!control || !negative) throw new Error('catalog without a control or a negative');
    const plan = repeatPlan({ run: [control, negative], skipped: [] }, 3);
    expect(plan.run.map((s) => [s.id, s.control])).toEqual([
      [control.id, true],
      [negative.id, false],
      [`${control.id}.repeat-2`, false],
      [`${control.id}.repeat-3`, false],
      [`${negative.id}.repeat-2`, false],
      [`${negative.id}.repeat-3`, false],
    ]);
    const once = { run: [control], skipped: [] };
    expect(repeatPlan(once, 1)).toBe(once);
  });
});

describe('blameTargetExit', () => {
  const result = (id: string, verdict: ScenarioResult['verdict'], reason: string) => ({ id, verdict, reason }) as ScenarioResult;

  it('names the exit as the reason of every scenario that could not be carried out', () => {
    const results = [result('a', 'pass', 'accepted'), result('b', 'error', 'connection refused: the target is not listening (did it exit?)'), result('c', 'fail', 'the listener fell over')];
    const exit = { reason: 'target exited with code 3', output: ['boom'] };
    expect(blameTargetExit(results, exit).map((r) => r.reason)).toEqual(['accepted', 'target exited with code 3: the scenario could not be judged', 'the listener fell over']);
    expect(blameTargetExit(results, undefined)).toEqual(results);
  });
});
