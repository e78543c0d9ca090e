import { describe, expect, it } from 'vitest';
import { CAPABILITIES, VERDICTS, type Outcome, type RunPosition, type ScenarioRecord, type ScenarioResult, type VerdictKind, type BrokenTest } from '../../harness/model.js';
import { makePlan, type Plan } from '../../harness/plan/plan.js';
import { exitCodeFor, finalizeResults, summarize } from '../../harness/judge/results.js';
import { CATALOG } from '../../suites/catalog/index.js';

const PROFILE = 'standard-webhooks';
const OUTCOME: Outcome = { kind: 'http-rejected', phase: 'response', status: 401, detail: 'HTTP 401', ms: 3 };

function rec(id: string, verdict: VerdictKind, position: RunPosition = 'only', reason = `${verdict} reason`): ScenarioRecord {
  const webhookId = `msg_${id}_${position}`;
  return { id, position, verdict, reason, outcome: OUTCOME, webhookId, sent: [{ webhookId, outcome: OUTCOME, judged: true }] };
}

/** The full catalog planned with everything applicable. */
function fullPlan(): Plan {
  return makePlan(CATALOG, { mtls: true, profile: PROFILE, capabilities: CAPABILITIES, include: [], exclude: [] });
}

/** Records where every scenario got `verdict` (controls twice), except those in `overrides`. */
function records(plan: Plan, overrides: Record<string, ScenarioRecord[]> = {}): ScenarioRecord[] {
  return plan.run.flatMap((s) => overrides[s.id] ?? (s.control ? [rec(s.id, 'pass', 'first'), rec(s.id, 'pass', 'last')] : [rec(s.id, 'pass')]));
}

const byId = (results: readonly ScenarioResult[]) => new Map(results.map((r) => [r.id, r]));
function get(results: readonly ScenarioResult[], id: string): ScenarioResult {
  const result = byId(results).get(id);
  if (!result) throw new Error(`no result for ${id}`);
  return result;
}

describe('finalizeResults', () => {
  it('joins every planned scenario with its record, in catalog order, without `send`', () => {
    const plan = fullPlan();
    const results = finalizeResults(plan, records(plan), [], PROFILE);
    expect(results.map((r) => r.id)).toEqual(CATALOG.map((s) => s.id));
    expect(results.every((r) => r.verdict === 'pass' && r.profile === PROFILE)).toBe(true);
    const expired = get(results, 'mtls.expired');
    expect(expired).toEqual({
      id: 'mtls.expired',
      layer: 'mtls',
      title: 'An expired client certificate is rejected',
      severity: 'high',
      reference: 'RFC 5280 §6.1.3 (a)(2)',
      needs: [],
      expect: 'reject',
      rejection: 'any',
      control: false,
      precise: { alerts: ['certificate_expired'] },
      profile: PROFILE,
      outcome: OUTCOME,
      verdict: 'pass',
      reason: 'pass reason',
    });
    expect('send' in expired).toBe(false);
  });

  it('carries the remediation of a failed scenario only', () => {
    const plan = fullPlan();
    const results = finalizeResults(plan, records(plan, { 'mtls.expired': [rec('mtls.expired', 'fail', 'only', 'accepted (HTTP 204): the listener let this delivery through')] }), [], PROFILE);
    expect(get(results, 'mtls.expired').remediation).toEqual(CATALOG.find((s) => s.id === 'mtls.expired')?.remediation);
    expect(get(results, 'mtls.expired').remediation?.nginx).toMatch(/ssl_verify_client on/);
    expect(results.filter((r) => r.id !== 'mtls.expired' && r.remediation)).toEqual([]);
  });

  it('a failed signature scenario\'s fix names the profile\'s verifier, or the check its SDK is known to miss', () => {
    const failing = (id: string) => ({ [id]: [rec(id, 'fail', 'only', 'accepted (HTTP 200): the listener let this delivery through')] });
    const plan = makePlan(CATALOG, { mtls: true, profile: 'stripe', capabilities: CAPABILITIES, include: [], exclude: [] });
    const results = finalizeResults(plan, records(plan, { ...failing('sig.wrong-secret'), ...failing('sig.future-timestamp'), ...failing('cross.bad-cert-good-signature') }), [], 'stripe');
    expect(get(results, 'sig.wrong-secret').remediation).toEqual({ code: expect.stringMatching(/^Compute the MAC with this endpoint's own secret.*; with stripe-node: `stripe\.webhooks\.constructEvent\(/) });
    expect(get(results, 'sig.future-timestamp').remediation?.code).toMatch(/^stripe-node's `constructEvent` rejects only stale timestamps/);
    expect(get(results, 'cross.bad-cert-good-signature').remediation).toMatchObject({ nginx: expect.stringMatching(/ssl_verify_client on/), code: expect.stringMatching(/^Check the client certificate before the signature/) });
    // Every signature scenario has a fix to give.
    expect(CATALOG.filter((s) => s.layer === 'sig' && s.remediation?.code === undefined).map((s) => s.id)).toEqual([]);
  });

  it('a control passes only if both its runs passed: last run failed', () => {
    const plan = fullPlan();
    const results = finalizeResults(
      plan,
      records(plan, { 'mtls.valid-client-cert': [rec('mtls.valid-client-cert', 'pass', 'first'), rec('mtls.valid-client-cert', 'fail', 'last', 'a good delivery was refused: HTTP 401')] }),
      [],
      PROFILE,
    );
    expect(get(results, 'mtls.valid-client-cert')).toMatchObject({ verdict: 'fail', reason: 'a good delivery was refused: HTTP 401 (last run)' });
  });

  it('a control passes only if both its runs passed: first run failed', () => {
    const plan = fullPlan();
    const results = finalizeResults(
      plan,
      records(plan, { 'sig.valid': [rec('sig.valid', 'fail', 'first', 'refused'), rec('sig.valid', 'pass', 'last')] }),
      [],
      PROFILE,
    );
    expect(get(results, 'sig.valid')).toMatchObject({ verdict: 'fail', reason: 'refused (first run)' });
  });

  it('a passing control keeps its reason without a position', () => {
    const plan = fullPlan();
    expect(get(finalizeResults(plan, records(plan), [], PROFILE), 'sig.valid').reason).toBe('pass reason');
  });

  it("a failed control makes its layer's pass and warn negatives inconclusive; fails stay fail; the other layer is untouched", () => {
    const plan = fullPlan();
    const results = finalizeResults(
      plan,
      records(plan, {
        'mtls.valid-client-cert': [rec('mtls.valid-client-cert', 'fail', 'first', 'a good delivery was refused: TLS alert unknown_ca'), rec('mtls.valid-client-cert', 'pass', 'last')],
        'mtls.expired': [rec('mtls.expired', 'warn', 'only', 'rejected, but with HTTP 500')],
        'mtls.self-signed': [rec('mtls.self-signed', 'fail', 'only', 'accepted (HTTP 204)')],
        'mtls.no-client-cert': [rec('mtls.no-client-cert', 'pass', 'only', 'rejected: TLS alert certificate_required')],
        'mtls.not-yet-valid': [rec('mtls.not-yet-valid', 'error', 'only', 'connection refused')],
      }),
      [],
      PROFILE,
    );
    const verdicts = Object.fromEntries(results.map((r) => [r.id, r.verdict]));
    const given: Record<string, string> = { 'mtls.valid-client-cert': 'fail', 'mtls.self-signed': 'fail', 'mtls.not-yet-valid': 'error' };
    expect(verdicts).toEqual(Object.fromEntries(plan.run.map((s) => [s.id, given[s.id] ?? (s.layer === 'mtls' ? 'inconclusive' : 'pass')])));
    expect(get(results, 'mtls.no-client-cert').reason).toBe(
      'mtls.valid-client-cert did not pass, so this rejection proves nothing (rejected: TLS alert certificate_required)',
    );
    expect(get(results, 'mtls.expired').reason).toBe('mtls.valid-client-cert did not pass, so this rejection proves nothing (rejected, but with HTTP 500)');
    expect(get(results, 'mtls.self-signed').reason).toBe('accepted (HTTP 204)');
  });

  it('a missing record becomes error with the broken test’s message', () => {
    const plan = fullPlan();
    const all = records(plan).filter((r) => r.id !== 'sig.wrong-secret' && r.id !== 'mtls.expired');
    const broken: BrokenTest[] = [{ name: 'sig.wrong-secret', message: 'ENOENT: no such file clients/valid.pem' }];
    const results = finalizeResults(plan, all, broken, PROFILE);
    expect(get(results, 'sig.wrong-secret')).toMatchObject({ verdict: 'error', reason: 'harness error: ENOENT: no such file clients/valid.pem' });
    expect(get(results, 'sig.wrong-secret').outcome).toBeUndefined();
    expect(get(results, 'mtls.expired')).toMatchObject({ verdict: 'error', reason: 'harness error: the scenario did not run' });
  });

  it('a control with no record at all takes the message of its broken "(first)" test and errors', () => {
    const plan = fullPlan();
    const all = records(plan).filter((r) => r.id !== 'sig.valid');
    const broken: BrokenTest[] = [{ name: 'sig.valid (first)', message: 'boom' }];
    const results = finalizeResults(plan, all, broken, PROFILE);
    expect(get(results, 'sig.valid')).toMatchObject({ verdict: 'error', reason: 'harness error: boom' });
    // No passing control: the layer's rejections prove nothing.
    expect(get(results, 'sig.stale-timestamp').verdict).toBe('inconclusive');
    expect(get(results, 'mtls.expired').verdict).toBe('pass');
  });

  it('a broken test whose name only starts with the id does not lend its message', () => {
    const plan = fullPlan();
    const all = records(plan).filter((r) => r.id !== 'mtls.expired');
    const results = finalizeResults(plan, all, [{ name: 'mtls.expired-later', message: 'not mine' }], PROFILE);
    expect(get(results, 'mtls.expired').reason).toBe('harness error: the scenario did not run');
  });

  // The last run shows the listener still accepts the good delivery after the negatives.
  it('a control whose last run left no record does not pass', () => {
    const plan = fullPlan();
    const all = records(plan).filter((r) => !(r.id === 'mtls.valid-client-cert' && r.position === 'last'));
    const broken: BrokenTest[] = [{ name: 'mtls.valid-client-cert (last)', message: 'worker crashed' }];
    const results = finalizeResults(plan, all, broken, PROFILE);
    expect(get(results, 'mtls.valid-client-cert')).toMatchObject({ verdict: 'error', reason: 'harness error: the last run did not complete: worker crashed' });
    // Without a broken test to name it, still an error (exit 2), not a failure of the listener.
    const silent = finalizeResults(plan, all, [], PROFILE);
    expect(get(silent, 'mtls.valid-client-cert')).toMatchObject({ verdict: 'error', reason: 'harness error: the last run did not complete: no record' });
  });

  it('skipped scenarios appear as skip with their reason, after those that ran, each in catalog order', () => {
    const plan = makePlan(CATALOG, { mtls: true, profile: null, capabilities: [], include: [], exclude: [] });
    const results = finalizeResults(plan, records(plan), [], null);
    const skipped = new Set(plan.skipped.map((s) => s.scenario.id));
    const ran = CATALOG.filter((s) => !skipped.has(s.id)).map((s) => [s.id, 'pass']);
    expect(results.map((r) => [r.id, r.verdict])).toEqual([...ran, ...CATALOG.filter((s) => skipped.has(s.id)).map((s) => [s.id, 'skip'])]);
    expect(skipped.has('mtls.revoked-crl') && CATALOG.filter((s) => s.layer === 'sig').every((s) => skipped.has(s.id))).toBe(true);
    expect(get(results, 'mtls.revoked-crl')).toMatchObject({ profile: null, reason: expect.stringContaining('needs capability crl') });
    expect(get(results, 'mtls.revoked-crl').outcome).toBeUndefined();
    expect(get(results, 'sig.valid').reason).toBe('no signature profile (--profile none)');
  });
});

describe('summarize', () => {
  it('counts every verdict, zeros included', () => {
    const plan = fullPlan();
    const results = finalizeResults(
      plan,
      records(plan, {
        'mtls.expired': [rec('mtls.expired', 'warn')],
        'sig.tampered-body': [rec('sig.tampered-body', 'fail')],
      }),
      [],
      PROFILE,
    );
    expect(summarize(results)).toEqual({ pass: CATALOG.length - 2, fail: 1, warn: 1, skip: 0, inconclusive: 0, error: 0 });
    expect(Object.keys(summarize([]))).toEqual([...VERDICTS]);
  });
});

describe('exitCodeFor', () => {
  const zero = { pass: 0, fail: 0, warn: 0, skip: 0, inconclusive: 0, error: 0 };
  it.each([
    [{}, 0],
    [{ pass: 5, warn: 3, skip: 2 }, 0],
    [{ pass: 5, fail: 1 }, 1],
    [{ pass: 5, inconclusive: 1 }, 1],
    [{ pass: 5, error: 1 }, 2],
    [{ fail: 3, inconclusive: 2, error: 1 }, 2],
  ] as const)('%o → %i', (counts, code) => {
    const scenarios = Object.entries({ ...zero, ...counts }).flatMap(([verdict, n]) => Array.from({ length: n }, () => ({ verdict: verdict as VerdictKind })));
    expect(exitCodeFor(scenarios)).toBe(code);
  });
});
