import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ResolvedConfig } from '../../harness/config/config.js';
import { HarnessError } from '../../harness/errors.js';
import { judge, judgeSetup, worstVerdict } from '../../harness/judge/judge.js';
import type { Outcome, Verdict } from '../../harness/model.js';
import { planPhases } from '../../harness/plan/phases.js';
import { makePlan, type PlanOptions } from '../../harness/plan/plan.js';
import { GenericHmacSchema } from '../../harness/config/generic-hmac-schema.js';
import { CATALOG } from '../../suites/catalog/index.js';

const SIG = { mtls: true, capabilities: ['replay-protection'], include: ['sig.*', 'cross.*'], exclude: [] } as const;
const skips = (options: Partial<PlanOptions> & { profile: string | null }) =>
  Object.fromEntries(makePlan(CATALOG, { ...SIG, ...options }).skipped.map((s) => [s.scenario.id, s.reason]));
const runs = (options: Partial<PlanOptions> & { profile: string | null }) => makePlan(CATALOG, { ...SIG, ...options }).run.map((s) => s.id);

describe('makePlan with signature profiles', () => {
  it('runs every signature scenario with standard-webhooks', () => {
    expect(skips({ profile: 'standard-webhooks' })).toEqual({});
  });

  it('skips what a scheme cannot express, saying what it lacks', () => {
    expect(skips({ profile: 'github' })).toEqual({
      'sig.missing-timestamp': 'not applicable: github signs no timestamp',
      'sig.missing-id': 'not applicable: github signs no delivery id',
      'sig.multiple-signatures-one-valid': 'not applicable: github carries one signature per delivery',
      'sig.multiple-signatures-none-valid': 'not applicable: github carries one signature per delivery',
      'sig.stale-timestamp': 'not applicable: github signs no timestamp',
      'sig.future-timestamp': 'not applicable: github signs no timestamp',
      'sig.timestamp-not-numeric': 'not applicable: github signs no timestamp',
      'sig.timestamp-swap': 'not applicable: github signs no timestamp',
    });
    expect(skips({ profile: 'discord' })).toMatchObject({
      'sig.empty-secret': 'not applicable: discord is asymmetric: there is no shared secret',
      'sig.wrong-scheme-label': 'not applicable: discord puts no scheme label on its signatures',
    });
    expect(Object.keys(skips({ profile: 'stripe' }))).toEqual(['sig.missing-id']);
  });

  it('follows the generic-hmac settings', () => {
    expect(runs({ profile: 'generic-hmac' })).not.toContain('sig.stale-timestamp');
    const timed = GenericHmacSchema.parse({ template: '{id}.{timestamp}.{body}', timestampHeader: 'X-Ts', idHeader: 'X-Id', prefix: 'v1=' });
    expect(Object.keys(skips({ profile: 'generic-hmac', genericHmac: timed }))).toEqual(['sig.multiple-signatures-one-valid', 'sig.multiple-signatures-none-valid']);
  });

  it('skips the cross-layer scenario without mTLS, and the signature layer without a profile', () => {
    expect(skips({ profile: 'standard-webhooks', mtls: false })).toEqual({ 'cross.bad-cert-good-signature': 'mTLS is off for this listener (--no-mtls)' });
    expect(skips({ profile: null })['cross.bad-cert-good-signature']).toBe('no signature profile (--profile none)');
  });

  it('skips the replay without replay-protection, naming the capability', () => {
    expect(skips({ profile: 'standard-webhooks', capabilities: [] })).toEqual({
      'sig.replayed-delivery': 'needs capability replay-protection, not declared: add it with --capabilities replay-protection if the listener supports it',
    });
  });

  it('considers only the layers it is given', () => {
    const plan = makePlan(CATALOG, { ...SIG, include: [], profile: 'stripe', layers: ['sig'] });
    expect(new Set([...plan.run, ...plan.skipped.map((s) => s.scenario)].map((s) => s.layer))).toEqual(new Set(['sig']));
  });
});

describe('planPhases', () => {
  const config = (profiles: string[]) => ({ mtls: true, profile: profiles[0] ?? null, profiles, capabilities: [], include: [], exclude: [], target: { kind: 'process' }, own: { serverTrust: { kind: 'kit' } } }) as unknown as ResolvedConfig;

  it('one phase per profile: every layer first, then the signature layer only', () => {
    const phases = planPhases(CATALOG, config(['stripe', 'github']));
    expect(phases.map((p) => p.profile)).toEqual(['stripe', 'github']);
    expect(phases[0]?.plan.run).toEqual(makePlan(CATALOG, { ...config(['stripe']), profile: 'stripe' }).run);
    expect(new Set(phases[0]?.plan.run.map((s) => s.layer))).toEqual(new Set(['mtls', 'transport', 'sig']));
    const second = phases[1]?.plan;
    expect(new Set([...(second?.run ?? []), ...(second?.skipped ?? []).map((s) => s.scenario)].map((s) => s.layer))).toEqual(new Set(['sig']));
  });

  it('without a profile, one phase with none', () => {
    expect(planPhases(CATALOG, config([])).map((p) => p.profile)).toEqual([null]);
  });
});

describe('judging sequences', () => {
  const accepted: Outcome = { kind: 'accepted', phase: 'response', status: 204, detail: 'HTTP 204', ms: 1 };
  const refused: Outcome = { kind: 'http-rejected', phase: 'response', status: 401, detail: 'HTTP 401', ms: 1 };
  const replay = CATALOG.find((s) => s.id === 'sig.replayed-delivery');
  if (!replay) throw new Error('no replay scenario');

  it('an acknowledged replay is a warning until the side-effect probe has spoken; a 4xx passes; a 5xx fails', () => {
    expect(judge(replay, accepted)).toEqual({ verdict: 'warn', reason: expect.stringMatching(/^answered HTTP 204 to the replay: declare the events-file capability/) });
    expect(judge(replay, refused).verdict).toBe('pass');
    expect(judge(replay, { ...refused, kind: 'http-other', status: 500, detail: 'HTTP 500' }).verdict).toBe('fail');
  });

  it('worstVerdict takes the worst, the first on a tie', () => {
    const v = (verdict: Verdict['verdict'], reason: string = verdict): Verdict => ({ verdict, reason });
    expect(worstVerdict([v('pass'), v('warn'), v('pass')])).toEqual(v('warn'));
    expect(worstVerdict([v('fail', 'first'), v('fail', 'second'), v('warn')])).toEqual(v('fail', 'first'));
    expect(worstVerdict([v('inconclusive'), v('fail')]).verdict).toBe('fail');
    expect(worstVerdict([v('error'), v('fail')]).verdict).toBe('error');
  });

  it('a refused setup delivery makes the scenario inconclusive; a refused connection is an error', () => {
    expect(judgeSetup(accepted)).toBeUndefined();
    expect(judgeSetup(refused)).toEqual({ verdict: 'inconclusive', reason: 'the original delivery was refused (HTTP 401), so refusing what followed proves nothing' });
    expect(judgeSetup({ kind: 'connection-refused', phase: 'connect', detail: 'connection refused', ms: 1 })?.verdict).toBe('error');
  });
});

describe('loadConfig: profiles', () => {
  let root: string;
  let n = 0;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'whc-profile-config-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));
  const withFile = async (config: unknown) => {
    const dir = join(root, `c${++n}`);
    await mkdir(dir);
    await writeFile(join(dir, 'wh-conformance.config.json'), JSON.stringify(config));
    return dir;
  };
  const errorOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    return error instanceof HarnessError ? error.message : '';
  };

  it('a comma list given as --profile runs each, in order; the first signs the mTLS deliveries', async () => {
    const config = await loadConfig({ command: 'x', profile: 'stripe,github' }, await withFile({}));
    expect([config.profile, config.profiles]).toEqual(['stripe', ['stripe', 'github']]);
  });

  it('profiles in the file, overridden by --profile', async () => {
    const dir = await withFile({ target: { command: 'x' }, profiles: ['slack', 'discord'] });
    expect((await loadConfig({}, dir)).profiles).toEqual(['slack', 'discord']);
    expect((await loadConfig({ profile: 'github' }, dir)).profiles).toEqual(['github']);
  });

  it('none alone means no profile', async () => {
    expect(await loadConfig({ command: 'x', profile: 'none' }, await withFile({}))).toMatchObject({ profile: null, profiles: [] });
  });

  it.each([
    [{ target: { command: 'x' }, profile: 'stripe', profiles: ['github'] }, 'wh-conformance.config.json: profiles: expected `profile` or `profiles`, not both'],
    [{ target: { command: 'x' }, profiles: ['stripe', 'none'] }, 'wh-conformance.config.json: profiles: expected profile names: "none" cannot be combined with others'],
    [{ target: { command: 'x' }, profiles: ['stripe', 'stripe'] }, 'wh-conformance.config.json: profiles: expected each profile once'],
    [{ target: { command: 'x' }, profiles: [] }, 'wh-conformance.config.json: profiles: expected at least one profile, got []'],
    [{ target: { url: 'https://127.0.0.1:8443', certs: 'kit' }, profiles: ['stripe', 'github'] }, 'wh-conformance.config.json: profiles: a `url` target serves the one profile it was started with: run once per profile, or let the harness start it with `command`'],
    [{ target: { command: 'x' }, genericHmac: { template: '{timestamp}.{body}' } }, 'wh-conformance.config.json: genericHmac.timestampHeader: the template signs {timestamp}: name the header that carries it'],
  ])('refuses %j', async (config, message) => {
    expect(await errorOf(loadConfig({}, await withFile(config)))).toBe(message);
  });

  it('names the flag for an unknown profile in a list', async () => {
    expect(await errorOf(loadConfig({ command: 'x', profile: 'stripe,bogus' }, await withFile({})))).toMatch(/^--profile: expected one of standard-webhooks, .*generic-hmac, none, got "bogus"$/);
  });

  it('gives generic-hmac its settings, or the defaults', async () => {
    const dir = await withFile({ target: { command: 'x' }, profile: 'generic-hmac', genericHmac: { header: 'X-Sig', prefix: 'sha256=' } });
    expect((await loadConfig({}, dir)).genericHmac).toEqual({ header: 'X-Sig', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', template: '{body}' });
    expect((await loadConfig({ command: 'x', profile: 'generic-hmac' }, await withFile({}))).genericHmac).toEqual(GenericHmacSchema.parse({}));
    expect((await loadConfig({ command: 'x' }, await withFile({}))).genericHmac).toBeUndefined();
  });
});
