import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALLOWED_CLIENT_SUBJECT, IDENTITY_CATALOG } from '../../certs/index.js';
import { buildDelivery, TOLERANCE_MARGIN_SECONDS, type DeliveryContext } from '../../harness/delivery.js';
import type { DeliverySpec, HeaderRole, Scenario, SignatureSpec } from '../../harness/model.js';
import { DEFAULT_PROFILE, findProfile, PROFILES } from '../../harness/profiles/index.js';
import { standardWebhooks, standardWebhooksSignature } from '../../harness/profiles/standard-webhooks.js';
import { CATALOG } from '../../suites/catalog/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WRONG_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const NOW = 1_700_000_000;
const ID = 'msg_2b8cKJkPq1x';

const ctx: DeliveryContext = {
  profile: standardWebhooks,
  secret: SECRET,
  wrongSecret: WRONG_SECRET,
  toleranceSeconds: 300,
  path: '/hooks/in',
  now: NOW,
  webhookId: ID,
};

/** Standard Webhooks verification written from the spec, independent of the profile's code. */
function verifies(headers: Record<string, string>, body: Buffer, secret: string): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (id === undefined || timestamp === undefined || signatures === undefined) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body])).digest('base64');
  return signatures.split(' ').some((entry) => entry === `v1,${expected}`);
}

const build = (signature: SignatureSpec, over: Partial<DeliveryContext> = {}) => buildDelivery({ identity: 'valid', signature }, { ...ctx, ...over });
const control = build({});

describe('standardWebhooksSignature', () => {
  it('reproduces the official Standard Webhooks vector', () => {
    expect(
      standardWebhooksSignature({
        id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        timestamp: 1614265330,
        body: Buffer.from('{"test": 2432232314}'),
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      }),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('accepts the secret without its whsec_ prefix', () => {
    const input = { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: Buffer.from('{"test": 2432232314}') };
    expect(standardWebhooksSignature({ ...input, secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs the raw bytes: one changed byte changes the signature', () => {
    const input = { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, secret: SECRET };
    expect(standardWebhooksSignature({ ...input, body: Buffer.from('{"test": 2432232315}') })).not.toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

describe('standardWebhooks profile', () => {
  it('is registered as the default profile', () => {
    expect(DEFAULT_PROFILE).toBe('standard-webhooks');
    expect(findProfile('standard-webhooks')).toBe(standardWebhooks);
    expect([...PROFILES.keys()]).toEqual(['standard-webhooks']);
    expect(findProfile('none')).toBeUndefined();
  });

  it('signs with the three Standard Webhooks headers', () => {
    const headers = standardWebhooks.sign({ id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: Buffer.from('{"test": 2432232314}'), secret: SECRET });
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
    expect(standardWebhooks.headers).toEqual({ id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' });
  });

  it('generates whsec_ secrets of 24 random bytes', () => {
    const a = standardWebhooks.generateSecret();
    const b = standardWebhooks.generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice('whsec_'.length), 'base64')).toHaveLength(24);
    expect(a).not.toBe(b);
  });
});

describe('buildDelivery', () => {
  it('builds a POST to the context path with the signed JSON event', () => {
    expect(control.method).toBe('POST');
    expect(control.path).toBe('/hooks/in');
    expect(control.identity).toBe('valid');
    expect(control.webhookId).toBe(ID);
    expect(JSON.parse(control.body.toString())).toEqual({ type: 'invoice.paid', id: ID, data: { amount: 1000, currency: 'EUR' } });
    expect(control.headers).toEqual({
      'content-type': 'application/json',
      'webhook-id': ID,
      'webhook-timestamp': String(NOW),
      'webhook-signature': standardWebhooksSignature({ id: ID, timestamp: NOW, body: control.body, secret: SECRET }),
    });
    expect(verifies(control.headers, control.body, SECRET)).toBe(true);
  });

  it('carries the identity it is given, null included', () => {
    expect(buildDelivery({ identity: null, signature: {} }, ctx).identity).toBeNull();
    expect(buildDelivery({ identity: 'expired', signature: {} }, ctx).identity).toBe('expired');
  });

  it("key: 'valid' and timestamp: 'now' are the valid signature", () => {
    expect(build({ key: 'valid', timestamp: 'now', omit: [], tamperBody: false })).toEqual(control);
  });

  const roles: ReadonlyArray<[HeaderRole, string]> = [
    ['signature', 'webhook-signature'],
    ['timestamp', 'webhook-timestamp'],
    ['id', 'webhook-id'],
  ];
  it.each(roles)('omit %s removes exactly %s', (role, header) => {
    const delivery = build({ omit: [role] });
    const expected = { ...control.headers };
    delete expected[header];
    expect(delivery.headers).toEqual(expected);
    expect(delivery.body.equals(control.body)).toBe(true);
  });

  it('omit of several roles removes each of them', () => {
    expect(Object.keys(build({ omit: ['signature', 'id'] }).headers)).toEqual(['content-type', 'webhook-timestamp']);
  });

  it("key: 'wrong' signs with the other secret", () => {
    const delivery = build({ key: 'wrong' });
    expect(verifies(delivery.headers, delivery.body, WRONG_SECRET)).toBe(true);
    expect(verifies(delivery.headers, delivery.body, SECRET)).toBe(false);
    expect({ ...delivery.headers, 'webhook-signature': '' }).toEqual({ ...control.headers, 'webhook-signature': '' });
    expect(delivery.body.equals(control.body)).toBe(true);
  });

  it.each([
    ['stale', NOW - 300 - TOLERANCE_MARGIN_SECONDS],
    ['future', NOW + 300 + TOLERANCE_MARGIN_SECONDS],
  ] as const)('timestamp %s is tolerance + 60 s away, correctly signed', (timestamp, expected) => {
    expect(TOLERANCE_MARGIN_SECONDS).toBe(60);
    const delivery = build({ timestamp });
    expect(delivery.headers['webhook-timestamp']).toBe(String(expected));
    expect(verifies(delivery.headers, delivery.body, SECRET)).toBe(true);
    expect(delivery.headers['webhook-id']).toBe(ID);
    expect(delivery.body.equals(control.body)).toBe(true);
  });

  it('timestamp shifts follow the context tolerance', () => {
    expect(build({ timestamp: 'stale' }, { toleranceSeconds: 600 }).headers['webhook-timestamp']).toBe(String(NOW - 660));
  });

  it('tamperBody sends a body one byte different from the signed one; the signature holds over the original', () => {
    const delivery = build({ tamperBody: true });
    expect(delivery.body.equals(control.body)).toBe(false);
    expect(delivery.body).toHaveLength(control.body.length);
    const differing = [...delivery.body].filter((byte, i) => byte !== control.body[i]);
    expect(differing).toHaveLength(1);
    expect(delivery.headers).toEqual(control.headers);
    expect(verifies(delivery.headers, control.body, SECRET)).toBe(true);
    expect(verifies(delivery.headers, delivery.body, SECRET)).toBe(false);
  });

  it('profile null sends no signature headers, whatever the spec says', () => {
    for (const signature of [{}, { key: 'wrong' }, { timestamp: 'stale' }, { omit: ['id'] }] as const satisfies readonly SignatureSpec[]) {
      expect(build(signature, { profile: null }).headers).toEqual({ 'content-type': 'application/json' });
    }
    expect(build({}, { profile: null }).body.equals(control.body)).toBe(true);
  });

  it('is pure: the same spec and context give the same delivery', () => {
    expect(build({ key: 'wrong', timestamp: 'future' })).toEqual(build({ key: 'wrong', timestamp: 'future' }));
  });
});

/** A delivery spec as comparable facts, defaults filled in, so `{}` equals `{ key: 'valid' }`. */
function facts(send: DeliverySpec): Record<string, string> {
  return {
    identity: String(send.identity),
    key: send.signature.key ?? 'valid',
    timestamp: send.signature.timestamp ?? 'now',
    omit: [...(send.signature.omit ?? [])].sort().join(','),
    tamperBody: String(send.signature.tamperBody ?? false),
  };
}
function differences(a: DeliverySpec, b: DeliverySpec): string[] {
  const fa = facts(a);
  const fb = facts(b);
  return Object.keys(fa).filter((k) => fa[k] !== fb[k]);
}
function controlOf(scenario: Scenario): Scenario {
  const controls = CATALOG.filter((s) => s.layer === scenario.layer && s.control);
  expect(controls).toHaveLength(1);
  const [only] = controls;
  if (!only) throw new Error(`no control for layer ${scenario.layer}`);
  return only;
}

describe('CATALOG', () => {
  const negatives = CATALOG.filter((s) => !s.control);

  it('has one control per layer, expecting accept, with a valid identity and signature', () => {
    const controls = CATALOG.filter((s) => s.control);
    expect(controls.map((s) => [s.id, s.layer, s.expect])).toEqual([
      ['mtls.valid-client-cert', 'mtls', 'accept'],
      ['sig.valid', 'sig', 'accept'],
    ]);
    for (const c of controls) expect(facts(c.send)).toEqual({ identity: 'valid', key: 'valid', timestamp: 'now', omit: '', tamperBody: 'false' });
  });

  it.each(negatives.map((s) => [s.id, s] as const))('%s differs from its control in exactly one respect', (_id, scenario) => {
    const diff = differences(scenario.send, controlOf(scenario).send);
    expect(diff).toHaveLength(1);
    // …and in the respect of its layer.
    if (scenario.layer === 'mtls') expect(diff).toEqual(['identity']);
    else expect(diff).not.toContain('identity');
    expect(scenario.expect).toBe('reject');
  });

  it('no two negatives send the same thing', () => {
    const sent = negatives.map((s) => JSON.stringify(facts(s.send)));
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('every identity it names exists in the certs catalog and carries the allowed subject', () => {
    for (const scenario of CATALOG) {
      const { identity } = scenario.send;
      if (identity === null) continue;
      const spec = IDENTITY_CATALOG.find((entry) => entry.name === identity);
      expect(spec, `${scenario.id}: identity "${identity}"`).toBeDefined();
      expect(spec?.subject ?? ALLOWED_CLIENT_SUBJECT).toBe(ALLOWED_CLIENT_SUBJECT);
    }
  });

  it('ids are unique and well-formed, prefixed by their layer', () => {
    const ids = CATALOG.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of CATALOG) {
      expect(s.id).toMatch(/^(mtls|sig)\.[a-z0-9.-]+$/);
      expect(s.id.startsWith(`${s.layer}.`)).toBe(true);
    }
  });

  it('lists mtls before sig, as reports do', () => {
    const layers = CATALOG.map((s) => s.layer);
    expect(layers.lastIndexOf('mtls')).toBeLessThan(layers.indexOf('sig'));
  });

  it('mtls scenarios accept any rejection; sig scenarios ask for a 4xx', () => {
    for (const s of CATALOG) expect(s.rejection).toBe(s.layer === 'mtls' ? 'any' : 'http-4xx');
  });

  it('only mtls.revoked-crl needs a capability (crl)', () => {
    expect(CATALOG.filter((s) => s.needs.length > 0).map((s) => [s.id, [...s.needs]])).toEqual([['mtls.revoked-crl', ['crl']]]);
  });
});
