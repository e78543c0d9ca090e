import { describe, expect, it } from 'vitest';
import { currentIdGlobs, formerIds, withCurrentIds } from '../../harness/plan/former-ids.js';
import { makePlan } from '../../harness/plan/plan.js';
import { CAPABILITIES } from '../../harness/model.js';
import { DEFAULT_CATALOG, DRILL_SCENARIOS } from '../../suites/catalog/index.js';

describe('former scenario ids', () => {
  it('maps every former drill id to its drills.* id, and no id of the default layers was renamed', () => {
    expect(Object.fromEntries(formerIds(DEFAULT_CATALOG))).toEqual({
      'robust.reject-under-load': 'drills.reject-under-load',
      'robust.oversized-body': 'drills.oversized-body',
      'robust.slow-headers': 'drills.slow-headers',
      'robust.survives-bad-input': 'drills.survives-bad-input',
      'rotation.client-ca-overlap': 'drills.client-ca-overlap',
      'rotation.client-ca-cutover': 'drills.client-ca-cutover',
    });
    expect(DEFAULT_CATALOG.scenarios.filter((s) => s.formerIds)).toEqual([]);
  });

  it('a glob naming former ids also selects the new ones, with one notice per glob', () => {
    const renamed = formerIds(DEFAULT_CATALOG);
    const { globs, notices } = currentIdGlobs(['rotation.*', 'mtls.*'], '--include', renamed);
    expect(globs).toEqual(['rotation.*', 'drills.client-ca-overlap', 'drills.client-ca-cutover', 'mtls.*']);
    expect(notices).toEqual(['deprecated: --include rotation.* names rotation.client-ca-overlap (now drills.client-ca-overlap), rotation.client-ca-cutover (now drills.client-ca-cutover): write the new ids']);
    expect(currentIdGlobs(['drills.*', '*'], '--include', renamed)).toEqual({ globs: ['drills.*', '*'], notices: [] });
  });

  it('an old --exclude still excludes the drill it named', () => {
    const { options, notices } = withCurrentIds({ include: ['robust.*'], exclude: ['robust.slow-headers'] }, DEFAULT_CATALOG);
    const plan = makePlan(DRILL_SCENARIOS, { ...options, mtls: true, profile: 'standard-webhooks', capabilities: CAPABILITIES });
    expect(plan.run.map((s) => s.id)).toEqual(['drills.reject-under-load', 'drills.oversized-body', 'drills.survives-bad-input']);
    expect(notices).toHaveLength(2);
  });
});
