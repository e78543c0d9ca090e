import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALLOWED_CLIENT_SUBJECT, IDENTITY_CATALOG } from '../../certs/index.js';
import { alterValue, buildDelivery, TOLERANCE_MARGIN_SECONDS, type DeliveryContext } from '../../harness/deliver/request.js';
import type { DeliverySpec, HeaderRole, Scenario, SignatureSpec } from '../../harness/model.js';
import { findProfile, PROFILE_NAMES } from '../../harness/profiles/index.js';
import { standardWebhooks } from '../../harness/profiles/standard-webhooks.js';
import { CATALOG } from '../../suites/catalog/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WRONG_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const OTHER_WRONG_SECRET = 'whsec_8cMeCUFk4a4KdSNy1HHzlZqWaLAgzxSb';
const NOW = 1_700_000_000;
const ID = 'msg_2b8cKJkPq1x';

const ctx: DeliveryContext = {
  profile: standardWebhooks,
  signingKey: SECRET,
  wrongKeys: [WRONG_SECRET, OTHER_WRONG_SECRET],
  toleranceSeconds: 300,
  path: '/hooks/in',
  now: NOW,
  webhookId: ID,
};

function mac(secret: string, id: string, timestamp: string, body: Buffer): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return createHmac('sha256', key).update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body])).digest('base64');
}

/** Standard Webhooks verification written from the spec, independent of the profile's code. */
function verifies(headers: Record<string, string>, body: Buffer, secret: string): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (id === undefined || timestamp === undefined || signatures === undefined) return false;
  return signatures.split(' ').some((entry) => entry === `v1,${mac(secret, id, timestamp, body)}`);
}

const build = (signature: SignatureSpec, over: Partial<DeliveryContext> = {}) => buildDelivery({ identity: 'valid', signature }, { ...ctx, ...over });
const control = build({});
const validValue = mac(SECRET, ID, String(NOW), control.body);

describe('buildDelivery', () => {
  it('builds a POST to the context path with the signed JSON event', () => {
    expect(control.method).toBe('POST');
    expect(control.path).toBe('/hooks/in');
    expect(control.identity).toBe('valid');
    expect(control.webhookId).toBe(ID);
    expect(JSON.parse(control.body.toString())).toEqual({ type: 'contact.created', timestamp: '2023-11-14T22:13:20.000Z', data: { id: '1f81eb52-5198-4599-803e-771906343485', type: 'contact' } });
    expect(control.headers).toEqual({
      'content-type': 'application/json',
      'webhook-id': ID,
      'webhook-timestamp': String(NOW),
      'webhook-signature': `v1,${validValue}`,
    });
    expect(verifies(control.headers, control.body, SECRET)).toBe(true);
  });

  it('carries the identity it is given, null included', () => {
    expect(buildDelivery({ identity: null, signature: {} }, ctx).identity).toBeNull();
    expect(buildDelivery({ identity: 'expired', signature: {} }, ctx).identity).toBe('expired');
  });

  it("key: 'valid', timestamp: 'now' and body: 'canonical' are the valid signature", () => {
    expect(build({ key: 'valid', timestamp: 'now', omit: [], tamperBody: false, body: 'canonical' })).toEqual(control);
  });

  const roles: ReadonlyArray<[HeaderRole, string]> = [
    ['signature', 'webhook-signature'],
    ['timestamp', 'webhook-timestamp'],
    ['id', 'webhook-id'],
  ];
  it.each(roles)('omit %s removes exactly %s', (role, header) => {
    const delivery = build({ omit: [role] });
    expect(Object.keys(delivery.headers).sort()).toEqual(Object.keys(control.headers).filter((h) => h !== header).sort());
    expect(delivery.body.equals(control.body)).toBe(true);
  });

  it('an omitted id or timestamp is signed as empty text, what a listener carrying on without it computes', () => {
    expect(build({ omit: ['timestamp'] }).headers['webhook-signature']).toBe(`v1,${mac(SECRET, ID, '', control.body)}`);
    expect(build({ omit: ['id'] }).headers['webhook-signature']).toBe(`v1,${mac(SECRET, '', String(NOW), control.body)}`);
  });

  it("key: 'wrong' signs with the other secret, 'empty' with an empty key", () => {
    const delivery = build({ key: 'wrong' });
    expect(verifies(delivery.headers, delivery.body, WRONG_SECRET)).toBe(true);
    expect(verifies(delivery.headers, delivery.body, SECRET)).toBe(false);
    expect({ ...delivery.headers, 'webhook-signature': '' }).toEqual({ ...control.headers, 'webhook-signature': '' });
    const empty = build({ key: 'empty' }).headers['webhook-signature'];
    expect(empty).toBe(`v1,${createHmac('sha256', Buffer.alloc(0)).update(`${ID}.${NOW}.`).update(control.body).digest('base64')}`);
  });

  it.each([
    ['stale', NOW - 300 - TOLERANCE_MARGIN_SECONDS],
    ['future', NOW + 300 + TOLERANCE_MARGIN_SECONDS],
    ['earlier', NOW - 150],
  ] as const)('timestamp %s is signed and sent, correctly', (timestamp, expected) => {
    expect(TOLERANCE_MARGIN_SECONDS).toBe(60);
    const delivery = build({ timestamp });
    expect(delivery.headers['webhook-timestamp']).toBe(String(expected));
    expect(verifies(delivery.headers, delivery.body, SECRET)).toBe(true);
    expect(delivery.body.equals(control.body)).toBe(true);
  });

  it('timestamp not-numeric signs and sends the time as ISO 8601 text', () => {
    const delivery = build({ timestamp: 'not-numeric' });
    expect(delivery.headers['webhook-timestamp']).toBe('2023-11-14T22:13:20.000Z');
    expect(verifies(delivery.headers, delivery.body, SECRET)).toBe(true);
  });

  it('sentTimestamp now keeps the earlier signature under a fresh timestamp header (the swap)', () => {
    const original = build({ timestamp: 'earlier' });
    const swapped = build({ timestamp: 'earlier', sentTimestamp: 'now' });
    expect(swapped.headers['webhook-signature']).toBe(original.headers['webhook-signature']);
    expect(swapped.headers['webhook-timestamp']).toBe(String(NOW));
    expect(verifies(swapped.headers, swapped.body, SECRET)).toBe(false);
  });

  it('timestamp shifts follow the context tolerance', () => {
    expect(build({ timestamp: 'stale' }, { toleranceSeconds: 600 }).headers['webhook-timestamp']).toBe(String(NOW - 660));
    expect(build({ timestamp: 'earlier' }, { toleranceSeconds: 1 }).headers['webhook-timestamp']).toBe(String(NOW - 1));
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

  it.each([
    ['truncated', validValue.slice(0, 22)],
    ['not-encoded', `*!${validValue.slice(2)}`],
    ['odd-length', `${validValue}a`],
    ['multibyte', `${validValue.slice(0, -2)}éé`],
  ] as const)('value %s alters only the signature value', (value, expected) => {
    const delivery = build({ value });
    expect(delivery.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect({ ...delivery.headers, 'webhook-signature': '' }).toEqual({ ...control.headers, 'webhook-signature': '' });
  });

  it('never replaces a 00 byte of a hex value, which a lenient decoder would read back as the valid signature', () => {
    // discord-interactions reads each pair with parseInt: 'zz' and 'éé' become 0.
    const lenient = (hex: string) => (hex.match(/.{1,2}/g) ?? []).map((pair) => Number.parseInt(pair, 16) || 0);
    for (const valid of ['00ab12cd', 'ab12cd00', '0000ab00']) {
      for (const how of ['not-encoded', 'multibyte'] as const) {
        const altered = alterValue(valid, how, 'hex');
        expect(altered, `${how} of ${valid}`).toHaveLength(valid.length);
        expect(lenient(altered), `${how} of ${valid}`).not.toEqual(lenient(valid));
      }
    }
    expect(alterValue('00ab12cd', 'not-encoded', 'hex')).toBe('00zz12cd');
    expect(alterValue('ab12cd00', 'multibyte', 'hex')).toBe('ab12éé00');
  });

  it('a multibyte value has the valid character count and more bytes; an odd-length one decodes leniently to the valid digest', () => {
    const multibyte = (build({ value: 'multibyte' }).headers['webhook-signature'] ?? '').slice(3);
    expect(multibyte).toHaveLength(validValue.length);
    expect(Buffer.byteLength(multibyte)).toBeGreaterThan(validValue.length);
    const odd = (build({ value: 'odd-length' }).headers['webhook-signature'] ?? '').slice(3);
    expect(Buffer.from(odd, 'base64').equals(Buffer.from(validValue, 'base64'))).toBe(true);
  });

  it('wrongLabel keeps the valid MAC under the profile\'s wrong label', () => {
    expect(build({ wrongLabel: true }).headers['webhook-signature']).toBe(`v2,${validValue}`);
  });

  it('signatures lists a wrong signature before the valid one, or two wrong ones', () => {
    expect(build({ signatures: 'wrong-then-valid' }).headers['webhook-signature']).toBe(`v1,${mac(WRONG_SECRET, ID, String(NOW), control.body)} v1,${validValue}`);
    expect(build({ signatures: 'two-wrong' }).headers['webhook-signature']).toBe(
      `v1,${mac(WRONG_SECRET, ID, String(NOW), control.body)} v1,${mac(OTHER_WRONG_SECRET, ID, String(NOW), control.body)}`,
    );
  });

  it('body non-canonical is the same event as JSON no serializer writes, validly signed', () => {
    const delivery = build({ body: 'non-canonical' });
    const text = delivery.body.toString();
    expect(JSON.parse(text)).toEqual(JSON.parse(control.body.toString()));
    expect(text).toMatch(/"\\u0063ontact\.created"/);
    expect(text).toMatch(/\t/);
    expect(text.endsWith('\n')).toBe(true);
    expect(Buffer.from(JSON.stringify(JSON.parse(text))).equals(delivery.body)).toBe(false);
    expect(verifies(delivery.headers, delivery.body, SECRET)).toBe(true);
  });

  it('headerCase unusual renames the signature headers only', () => {
    const delivery = build({ headerCase: 'unusual' });
    expect(Object.keys(delivery.headers)).toEqual(['content-type', 'wEbHoOk-iD', 'wEbHoOk-tImEsTaMp', 'wEbHoOk-sIgNaTuRe']);
    expect(Object.values(delivery.headers)).toEqual(Object.values(control.headers));
  });

  it('works the same for a profile with the timestamp inside the signature header (Stripe)', () => {
    const stripe = findProfile('stripe');
    const keys = [stripe?.generateKeys().signingKey ?? '', stripe?.generateKeys().signingKey ?? ''] as const;
    const over = { profile: stripe ?? null, signingKey: 'whsec_stripe', wrongKeys: keys };
    const stripeBody = build({}, over).body;
    const hex = (ts: string) => createHmac('sha256', 'whsec_stripe').update(`${ts}.`).update(stripeBody).digest('hex');
    expect(build({}, over).headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'Stripe-Signature': `t=${NOW},v1=${hex(String(NOW))}`,
    });
    expect(JSON.parse(stripeBody.toString())).toMatchObject({ id: ID, object: 'event', type: 'invoice.paid', created: NOW });
    expect(build({ omit: ['timestamp'] }, over).headers['Stripe-Signature']).toBe(`v1=${hex('')}`);
    expect(build({ timestamp: 'earlier', sentTimestamp: 'now' }, over).headers['Stripe-Signature']).toBe(`t=${NOW},v1=${hex(String(NOW - 150))}`);
    expect(build({ wrongLabel: true }, over).headers['Stripe-Signature']).toBe(`t=${NOW},v0=${hex(String(NOW))}`);
  });

  it('profile null sends no signature headers, whatever the spec says', () => {
    for (const signature of [{}, { key: 'wrong' }, { timestamp: 'stale' }, { omit: ['id'] }] as const satisfies readonly SignatureSpec[]) {
      expect(build(signature, { profile: null }).headers).toEqual({ 'content-type': 'application/json' });
    }
    expect(JSON.parse(build({}, { profile: null }).body.toString())).toEqual({ type: 'invoice.paid', id: ID, data: { amount: 1000, currency: 'EUR' } });
  });

  it('is pure: the same spec and context give the same delivery (a replay is the same bytes)', () => {
    expect(build({ key: 'wrong', timestamp: 'future' })).toEqual(build({ key: 'wrong', timestamp: 'future' }));
    const ed = findProfile('standard-webhooks-ed25519');
    const keys = ed?.generateKeys();
    const over = { profile: ed ?? null, signingKey: keys?.signingKey ?? '', wrongKeys: [keys?.signingKey ?? '', keys?.signingKey ?? ''] as const };
    expect(build({}, over)).toEqual(build({}, over));
  });
});

/** A delivery spec as comparable facts, defaults filled in, so `{}` equals `{ key: 'valid' }`. */
function facts(send: DeliverySpec): Record<string, string> {
  const sig = send.signature;
  return {
    identity: String(send.identity),
    key: sig.key ?? 'valid',
    timestamp: sig.timestamp ?? 'now',
    sentTimestamp: sig.sentTimestamp ?? 'signed',
    omit: [...(sig.omit ?? [])].sort().join(','),
    tamperBody: String(sig.tamperBody ?? false),
    value: sig.value ?? 'valid',
    wrongLabel: String(sig.wrongLabel ?? false),
    signatures: sig.signatures ?? 'one',
    body: sig.body ?? 'canonical',
    headerCase: sig.headerCase ?? 'usual',
    headers: send.headers ?? 'none',
    transport: send.connection?.scheme === 'http' ? 'plain' : `TLS ${send.connection?.tlsVersion ?? 'any'}`,
    ciphers: send.connection?.ciphers ?? 'default',
    session: send.connection?.session ?? 'fresh',
  };
}
function differences(a: DeliverySpec, b: DeliverySpec): string[] {
  const fa = facts(a);
  const fb = facts(b);
  return Object.keys(fa).filter((k) => fa[k] !== fb[k]);
}
/** The certificate-less mTLS variants differ from mtls.no-client-cert, not from the control, in one respect. */
const DERIVED_FROM: Readonly<Record<string, string>> = {
  'mtls.spoofed-identity-headers': 'mtls.no-client-cert',
  'mtls.resumed-session-without-cert': 'mtls.no-client-cert',
};
function controlOf(scenario: Scenario): Scenario {
  const derivedFrom = CATALOG.find((s) => s.id === DERIVED_FROM[scenario.id]);
  if (derivedFrom) return derivedFrom;
  const controls = CATALOG.filter((s) => s.layer === scenario.layer && s.control);
  expect(controls).toHaveLength(1);
  const [only] = controls;
  if (!only) throw new Error(`no control for layer ${scenario.layer}`);
  return only;
}
const judgedOf = (s: Scenario): DeliverySpec[] => [s.send, ...(s.variants ?? [])];

describe('CATALOG', () => {
  const others = CATALOG.filter((s) => !s.control);
  const stateless = others.filter((s) => !s.setup);

  it('has one control per layer, expecting accept, with a valid identity and signature', () => {
    const controls = CATALOG.filter((s) => s.control);
    expect(controls.map((s) => [s.id, s.layer, s.expect])).toEqual([
      ['mtls.valid-client-cert', 'mtls', 'accept'],
      ['transport.tls1.2-supported', 'transport', 'accept'],
      ['sig.valid', 'sig', 'accept'],
    ]);
    // The transport control is the valid delivery over TLS 1.2, what several providers send.
    for (const c of controls) expect(differences(c.send, { identity: 'valid', signature: {} })).toEqual(c.layer === 'transport' ? ['transport'] : []);
  });

  it.each(stateless.map((s) => [s.id, s] as const))('%s differs from its control in exactly one respect', (_id, scenario) => {
    for (const spec of judgedOf(scenario)) {
      const diff = differences(spec, controlOf(scenario).send);
      expect(diff).toHaveLength(1);
      // …and in the respect of its layer; a cross-layer scenario differs in the other layer's.
      if (DERIVED_FROM[scenario.id]) expect(diff).not.toContain('identity');
      else if (scenario.layer === 'mtls' || scenario.needsMtls) expect(diff).toEqual(['identity']);
      else if (scenario.layer === 'transport') expect(['transport', 'ciphers']).toContain(diff[0]);
      else expect(diff).not.toContain('identity');
    }
  });

  it.each(others.filter((s) => s.setup).map((s) => [s.id, s] as const))('%s: the setup is (nearly) the control, and what follows repeats it with one change at most', (_id, scenario) => {
    const [setup, ...more] = scenario.setup ?? [];
    if (!setup) throw new Error('no setup');
    expect(more).toEqual([]);
    expect(differences(setup, controlOf(scenario).send).length).toBeLessThanOrEqual(1);
    expect(differences(scenario.send, setup).length).toBeLessThanOrEqual(1);
    expect(scenario.variants).toBeUndefined();
  });

  it('only the sender-side positives of the signature layer expect accept besides the controls', () => {
    expect(others.filter((s) => s.expect === 'accept').map((s) => s.id)).toEqual([
      'mtls.valid-rsa-client-cert',
      'transport.tls1.3-supported',
      'sig.multiple-signatures-one-valid',
      'sig.raw-body-fidelity',
      'sig.header-case',
    ]);
  });

  it('no two scenarios send the same thing (cross-layer ones repeat an mTLS negative under each profile)', () => {
    const sent = stateless
      .filter((s) => !s.id.startsWith('cross.'))
      .flatMap((s) => judgedOf(s).map((spec) => JSON.stringify({ ...facts(spec), followUp: s.followUp ? 'same connection' : 'none' })));
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('a follow-up repeats a negative, then sends the control\'s request on its connection: one respect more', () => {
    const withFollowUp = CATALOG.filter((s) => s.followUp);
    expect(withFollowUp.map((s) => s.id)).toEqual(['mtls.keepalive-after-rejection']);
    for (const scenario of withFollowUp) {
      expect(CATALOG.some((other) => !other.followUp && other.expect === 'reject' && differences(other.send, scenario.send).length === 0)).toBe(true);
      expect(differences({ ...scenario.send, signature: scenario.followUp?.signature ?? {} }, controlOf(scenario).send)).toEqual(['identity']);
    }
  });

  it('a scenario with variants names each of them', () => {
    for (const s of CATALOG.filter((c) => c.variants)) for (const spec of judgedOf(s)) expect(spec.variant, s.id).toMatch(/.+/);
  });

  it('every identity it names exists in the certs catalog and carries the allowed subject, but where the subject is the point', () => {
    for (const scenario of CATALOG) {
      for (const { identity } of [...judgedOf(scenario), ...(scenario.setup ?? [])]) {
        if (identity === null) continue;
        const spec = IDENTITY_CATALOG.find((entry) => entry.name === identity);
        expect(spec, `${scenario.id}: identity "${identity}"`).toBeDefined();
        const pinning = scenario.needs.includes('subject-pinning');
        if (pinning) expect(spec?.subject ?? ALLOWED_CLIENT_SUBJECT, scenario.id).not.toBe(ALLOWED_CLIENT_SUBJECT);
        else expect(spec?.subject ?? ALLOWED_CLIENT_SUBJECT, scenario.id).toBe(ALLOWED_CLIENT_SUBJECT);
      }
    }
  });

  it('ids are unique and well-formed, prefixed by their layer (cross-layer ones by cross.)', () => {
    const ids = CATALOG.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of CATALOG) {
      expect(s.id).toMatch(/^(mtls|transport|sig|cross)\.[a-z0-9.-]+$/);
      expect(s.id.startsWith(s.needsMtls && s.layer !== 'mtls' ? 'cross.' : `${s.layer}.`)).toBe(true);
    }
  });

  it('lists mtls, then transport, then sig, as reports do', () => {
    const layers = CATALOG.map((s) => s.layer);
    expect(layers.lastIndexOf('mtls')).toBeLessThan(layers.indexOf('transport'));
    expect(layers.lastIndexOf('transport')).toBeLessThan(layers.indexOf('sig'));
  });

  it('mtls and transport scenarios accept any rejection; sig scenarios ask for a 4xx, a replay may be acknowledged', () => {
    const rule = (s: Scenario) => (s.layer !== 'sig' || s.needsMtls ? 'any' : s.id === 'sig.replayed-delivery' ? 'not-processed' : 'http-4xx');
    for (const s of CATALOG) expect([s.id, s.rejection]).toEqual([s.id, rule(s)]);
  });

  it('only revocation, subject pinning and replays need a capability', () => {
    expect(CATALOG.filter((s) => s.needs.length > 0).map((s) => [s.id, [...s.needs]])).toEqual([
      ['mtls.revoked-crl', ['crl']],
      ['mtls.revoked-ocsp', ['ocsp']],
      ['mtls.intermediate-revoked', ['crl']],
      ['mtls.subject-not-allowed', ['subject-pinning']],
      ['mtls.subject-near-miss', ['subject-pinning']],
      ['mtls.keepalive-after-rejection', ['subject-pinning']],
      ['sig.replayed-delivery', ['replay-protection']],
    ]);
  });

  it('signature scenarios name only features profiles declare', () => {
    for (const s of CATALOG) for (const f of s.requires ?? []) expect(['timestamp', 'signed-id', 'multiple-signatures', 'scheme-label', 'shared-secret']).toContain(f);
  });
});

describe('every profile\'s event survives the body departures', () => {
  it.each(PROFILE_NAMES)('%s: tampered is one byte off and still JSON; non-canonical is the same event in other bytes', (name) => {
    const profile = findProfile(name) ?? null;
    const key = profile?.generateKeys().signingKey ?? '';
    const over = { profile, webhookId: profile?.newId() ?? ID, signingKey: key, wrongKeys: [key, key] as const };
    const valid = build({}, over).body;
    const tampered = build({ tamperBody: true }, over).body;
    expect([...tampered].filter((byte, i) => byte !== valid[i])).toHaveLength(1);
    expect(tampered).toHaveLength(valid.length);
    expect(() => JSON.parse(tampered.toString())).not.toThrow();
    const loose = build({ body: 'non-canonical' }, over).body;
    expect(JSON.parse(loose.toString())).toEqual(JSON.parse(valid.toString()));
    expect(loose.equals(valid)).toBe(false);
  });
});
