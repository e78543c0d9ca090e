import { describe, expect, it } from 'vitest';
import { CAPABILITIES, type Capability } from '../../harness/model.js';
import { makePlan, type PlanOptions } from '../../harness/plan/plan.js';
import { CATALOG } from '../../suites/catalog/index.js';

const ALL: PlanOptions = { mtls: true, profile: 'standard-webhooks', capabilities: CAPABILITIES, include: [], exclude: [] };
const ids = (options: Partial<PlanOptions>) => makePlan(CATALOG, { ...ALL, ...options }).run.map((s) => s.id);
const MTLS_IDS = CATALOG.filter((s) => s.layer === 'mtls').map((s) => s.id);
const SIG_IDS = CATALOG.filter((s) => s.layer === 'sig').map((s) => s.id);
const TRANSPORT_IDS = CATALOG.filter((s) => s.layer === 'transport').map((s) => s.id);
/** Signature scenarios that also need mTLS (a bad certificate with a good signature). */
const CROSS_IDS = CATALOG.filter((s) => s.needsMtls).map((s) => s.id);

describe('makePlan', () => {
  it('runs the whole catalog, in catalog order, when everything applies', () => {
    const plan = makePlan(CATALOG, ALL);
    expect(plan.run.map((s) => s.id)).toEqual(CATALOG.map((s) => s.id));
    expect(plan.skipped).toEqual([]);
    expect(plan.run[0]).toBe(CATALOG[0]);
  });

  it('include mtls.* selects the mtls layer only', () => {
    expect(ids({ include: ['mtls.*'] })).toEqual(MTLS_IDS);
  });

  it('include with braces selects exactly those ids, with their layer\'s control', () => {
    expect(ids({ include: ['sig.{stale,future}-*'] })).toEqual(['sig.valid', 'sig.stale-timestamp', 'sig.future-timestamp']);
  });

  it('keeps a layer\'s control even when the globs leave it out: without it a rejection proves nothing', () => {
    expect(ids({ include: ['mtls.expired'] })).toEqual(['mtls.valid-client-cert', 'mtls.expired']);
    expect(ids({ include: ['mtls.*'], exclude: ['mtls.valid-client-cert'] })).toContain('mtls.valid-client-cert');
    // cross.* scenarios live in the signature layer: excluding the layer means excluding them too.
    expect(ids({ exclude: ['sig.*', 'cross.*'] })).not.toContain('sig.valid');
  });

  it('several includes are a union, kept in catalog order', () => {
    expect(ids({ include: ['sig.valid', 'mtls.expired', 'mtls.valid-client-cert'] })).toEqual(['mtls.valid-client-cert', 'mtls.expired', 'sig.valid']);
  });

  it('exclude removes matches, also when they are included', () => {
    expect(ids({ exclude: ['mtls.*'] })).toEqual([...TRANSPORT_IDS, ...SIG_IDS]);
    expect(ids({ include: ['sig.*'], exclude: ['sig.{stale,future}-*'] })).toEqual(SIG_IDS.filter((id) => id.startsWith('sig.') && !/^sig\.(stale|future)-/.test(id)));
  });

  it('an include that matches nothing plans nothing', () => {
    expect(makePlan(CATALOG, { ...ALL, include: ['nope.*'] })).toEqual({ run: [], skipped: [] });
  });

  it('excluded scenarios are not listed as skipped', () => {
    const plan = makePlan(CATALOG, { ...ALL, mtls: false, exclude: ['mtls.{expired,self-signed}'] });
    expect(plan.skipped.map((s) => s.scenario.id)).toEqual([...MTLS_IDS.filter((id) => id !== 'mtls.expired' && id !== 'mtls.self-signed'), ...CROSS_IDS]);
  });

  it('mtls:false skips the whole mtls layer with a reason', () => {
    const plan = makePlan(CATALOG, { ...ALL, mtls: false });
    // The transport layer still runs: TLS without a client certificate.
    expect(plan.run.map((s) => s.id)).toEqual([...TRANSPORT_IDS, ...SIG_IDS.filter((id) => !CROSS_IDS.includes(id))]);
    expect(plan.skipped.map((s) => s.scenario.id)).toEqual([...MTLS_IDS, ...CROSS_IDS]);
    for (const { reason } of plan.skipped) expect(reason).toBe('mTLS is off for this listener (--no-mtls)');
  });

  it('profile null skips the sig layer with a reason', () => {
    const plan = makePlan(CATALOG, { ...ALL, profile: null });
    expect(plan.run.map((s) => s.id)).toEqual([...MTLS_IDS, ...TRANSPORT_IDS]);
    expect(plan.skipped.map((s) => s.scenario.id)).toEqual(SIG_IDS);
    for (const { reason } of plan.skipped) expect(reason).toBe('no signature profile (--profile none)');
  });

  it('without the crl capability, mtls.revoked-crl is skipped with a reason naming crl', () => {
    const plan = makePlan(CATALOG, { ...ALL, capabilities: [] });
    const needy = CATALOG.filter((s) => s.needs.length > 0).map((s) => s.id);
    expect(plan.skipped.map((s) => s.scenario.id)).toEqual(needy);
    const reason = plan.skipped.find((s) => s.scenario.id === 'mtls.revoked-crl')?.reason ?? '';
    expect(reason).toBe('needs capability crl, not declared: add it with --capabilities crl if the listener supports it');
    expect(plan.run.map((s) => s.id)).toEqual(CATALOG.map((s) => s.id).filter((id) => !needy.includes(id)));
  });

  it('other capabilities do not stand in for crl', () => {
    const capabilities: Capability[] = ['ocsp', 'subject-pinning', 'replay-protection', 'events-file'];
    expect(makePlan(CATALOG, { ...ALL, capabilities }).skipped.map((s) => s.scenario.id)).toEqual(CATALOG.filter((s) => s.needs.includes('crl')).map((s) => s.id));
  });

  it('the layer reason comes before the capability reason', () => {
    const plan = makePlan(CATALOG, { ...ALL, mtls: false, capabilities: [], include: ['mtls.revoked-crl'] });
    expect(plan.skipped.map((s) => [s.scenario.id, s.reason])).toEqual([
      ['mtls.valid-client-cert', 'mTLS is off for this listener (--no-mtls)'],
      ['mtls.revoked-crl', 'mTLS is off for this listener (--no-mtls)'],
    ]);
  });

  it('names every missing capability of a scenario that needs several', () => {
    const [first] = CATALOG;
    if (!first) throw new Error('empty catalog');
    const needy = { ...first, id: 'mtls.needy', needs: ['crl', 'ocsp'] as const };
    const plan = makePlan([needy], { ...ALL, capabilities: ['crl'] });
    expect(plan.skipped[0]?.reason).toBe('needs capability ocsp, not declared: add it with --capabilities ocsp if the listener supports it');
    const none = makePlan([needy], { ...ALL, capabilities: [] });
    expect(none.skipped[0]?.reason).toBe('needs capability crl, ocsp, not declared: add it with --capabilities crl,ocsp if the listener supports it');
  });
});
