import { describe, expect, it } from 'vitest';
import { flawedVerify, type Flaw } from '../../examples/listeners/flawed.mjs';
import { genericScheme, SCHEMES, verificationKey, verifyDelivery, type CheckResult, type DeliveryInput } from '../../examples/listeners/signatures.mjs';
import { buildDelivery } from '../../harness/deliver/request.js';
import type { DeliverySpec, Scenario } from '../../harness/model.js';
import { makePlan } from '../../harness/plan/plan.js';
import { DEFAULT_GENERIC_HMAC, findProfile, PROFILE_NAMES } from '../../harness/profiles/index.js';
import { CATALOG } from '../../suites/catalog/index.js';

// Every profile × every signature scenario that needs no network state, in process: the harness
// builds the delivery, the reference listener's verifier (written separately, from the providers'
// docs) judges it. The end-to-end tests do the same over TLS for fewer combinations.

const NOW = 1_700_000_000;
const TOLERANCE = 300;

interface Case {
  profile: string;
  scenario: Scenario;
  inputs: DeliveryInput[];
}

function casesFor(profile: string): Case[] {
  const p = findProfile(profile);
  if (!p) throw new Error(profile);
  const keys = p.generateKeys();
  const env = { WHC_SIGNING_SECRET: keys.signingKey, WHC_SIGNING_PUBLIC_KEY: keys.publicKey };
  const scheme = profile === 'generic-hmac' ? genericScheme(JSON.stringify(DEFAULT_GENERIC_HMAC)) : SCHEMES[profile];
  if (!scheme) throw new Error(`the listener has no scheme ${profile}`);
  const key = verificationKey(scheme, env);
  const plan = makePlan(CATALOG, { mtls: true, profile, capabilities: [], include: ['sig.*'], exclude: [] });
  const input = (spec: DeliverySpec, n: number): DeliveryInput => {
    const delivery = buildDelivery(spec, {
      profile: p,
      signingKey: keys.signingKey,
      wrongKeys: [p.generateKeys().signingKey, p.generateKeys().signingKey],
      toleranceSeconds: TOLERANCE,
      path: '/webhook',
      now: NOW,
      webhookId: `msg_${profile}_${n}`,
    });
    // Node's HTTP parser lowercases header names.
    const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k.toLowerCase(), v]));
    return { headers, body: delivery.body, scheme, key, toleranceSeconds: TOLERANCE, now: NOW };
  };
  return plan.run
    .filter((s) => !s.setup)
    .map((scenario) => ({ profile, scenario, inputs: [scenario.send, ...(scenario.variants ?? [])].map((spec, i) => input(spec, i)) }));
}

const CASES = PROFILE_NAMES.flatMap(casesFor);

function outcome(verify: (input: DeliveryInput) => CheckResult, input: DeliveryInput): string {
  try {
    const result = verify(input);
    return result.ok ? 'accepted' : `rejected ${result.status}`;
  } catch (err) {
    // A listener answers 500 to a verifier that throws: no rejection.
    return `threw ${err instanceof Error ? err.message : String(err)}`;
  }
}

describe('the secure verifier, for every profile', () => {
  it('covers each profile with the scenarios its scheme can express', () => {
    const count = (profile: string) => CASES.filter((c) => c.profile === profile).length;
    expect(count('standard-webhooks')).toBe(17);
    expect(count('shopify')).toBe(9);
  });

  it.each(CASES.map((c) => [c.profile, c.scenario.id, c] as const))('%s %s', (_profile, _id, { scenario, inputs }) => {
    for (const input of inputs) {
      const seen = outcome((i) => verifyDelivery(i), input);
      if (scenario.expect === 'accept') expect(seen).toBe('accepted');
      else expect(seen).toMatch(/^rejected 40[01]$/);
    }
  });
});

/** The flaw written for each scenario: with it, the verifier gets that scenario wrong. */
const FLAW_FOR: Record<string, Flaw> = {
  'sig.missing-signature': 'no-signature-check',
  'sig.missing-timestamp': 'missing-headers-ok',
  'sig.missing-id': 'missing-headers-ok',
  'sig.wrong-secret': '500-on-bad-signature',
  'sig.empty-secret': 'empty-secret-fallback',
  'sig.tampered-body': 'no-signature-check',
  'sig.truncated-signature': 'length-truncating-compare',
  'sig.malformed-signature': 'unchecked-length-compare',
  'sig.wrong-scheme-label': 'any-scheme-label',
  'sig.multiple-signatures-one-valid': 'first-signature-only',
  'sig.multiple-signatures-none-valid': 'no-signature-check',
  'sig.stale-timestamp': 'no-timestamp-check',
  'sig.future-timestamp': 'future-timestamps-ok',
  'sig.timestamp-not-numeric': 'nan-timestamp-ok',
  'sig.raw-body-fidelity': 'reserialized-body',
};
const ACCEPTED = ['accepted'];
const THREW_LENGTH = 'threw Input buffers must have the same byte length';
/** What the flawed verifier makes of the inputs of the scenario its flaw is written for (the judged
 * delivery, then its variants): the same for every profile the flaw applies to. */
const WRONG_OUTCOMES: Partial<Record<Flaw, readonly string[]>> = {
  'no-signature-check': ACCEPTED,
  'missing-headers-ok': ACCEPTED,
  '500-on-bad-signature': ['threw signature mismatch'],
  'empty-secret-fallback': ACCEPTED,
  'length-truncating-compare': ACCEPTED,
  // The malformed signature's forms: a shorter one throws, one of equal length is compared and passes.
  'unchecked-length-compare': [THREW_LENGTH, 'accepted', THREW_LENGTH],
  'any-scheme-label': ACCEPTED,
  'first-signature-only': ['rejected 401'],
  'no-timestamp-check': ACCEPTED,
  'future-timestamps-ok': ACCEPTED,
  'nan-timestamp-ok': ACCEPTED,
  'reserialized-body': ['rejected 401'],
};

/** HMAC comparison flaws: an Ed25519 verifier compares nothing itself. */
const HMAC_ONLY: readonly Flaw[] = ['length-truncating-compare', 'unchecked-length-compare'];

describe('each verification flaw is caught, for every profile it applies to', () => {
  const flawed = CASES.filter((c) => FLAW_FOR[c.scenario.id] !== undefined).filter(
    (c) => !(HMAC_ONLY.includes(FLAW_FOR[c.scenario.id] as Flaw) && !findProfile(c.profile)?.features.includes('shared-secret')),
  );

  it.each(flawed.map((c) => [c.profile, c.scenario.id, FLAW_FOR[c.scenario.id], c] as const))('%s %s: %s gets it wrong', (_p, _id, flaw, { scenario, inputs }) => {
    const verify = flawedVerify(new Set([flaw as Flaw]));
    expect(inputs.map((input) => outcome(verify, input))).toEqual(WRONG_OUTCOMES[flaw as Flaw]);
    expect(inputs.map((input) => outcome((i) => verifyDelivery(i), input)).every((seen) => (scenario.expect === 'accept' ? seen === 'accepted' : /^rejected 40[01]$/.test(seen)))).toBe(true);
  });

  it('every stateless negative signature scenario has its flaw', () => {
    const negatives = CATALOG.filter((s) => s.layer === 'sig' && !s.control && !s.setup && !s.needsMtls && s.expect === 'reject');
    for (const s of negatives) expect(FLAW_FOR[s.id], s.id).toBeDefined();
  });

  it('without flaws, the flawed verifier is the secure one', () => {
    for (const { inputs } of CASES) for (const input of inputs) expect(outcome(flawedVerify(new Set()), input)).toBe(outcome((i) => verifyDelivery(i), input));
  });
});
