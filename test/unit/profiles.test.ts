import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDelivery } from '../../harness/deliver/request.js';
import { PROFILE_FEATURES } from '../../harness/model.js';
import { ed25519PublicKey } from '../../harness/profiles/crypto.js';
import { GenericHmacSchema } from '../../harness/config/generic-hmac-schema.js';
import { DEFAULT_GENERIC_HMAC, DEFAULT_PROFILE, findProfile, GENERIC_HMAC, PROFILE_NAMES, PROFILES, type Profile } from '../../harness/profiles/index.js';
import { lacks } from '../system-parts.js';

const dir = mkdtempSync(join(tmpdir(), 'whc-profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noOpenssl = lacks('openssl');

const profile = (name: string): Profile => {
  const found = findProfile(name);
  if (!found) throw new Error(`no profile ${name}`);
  return found;
};
const text = (s: string) => Buffer.from(s);

describe('published test vectors', () => {
  it('Standard Webhooks: the official vector', () => {
    const signature = profile('standard-webhooks').sign({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: '1614265330',
      body: text('{"test": 2432232314}'),
      signingKey: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    expect(signature.toString('base64')).toBe('g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('GitHub: the example of "Validating webhook deliveries"', () => {
    const signature = profile('github').sign({ id: '', timestamp: '', body: text('Hello, World!'), signingKey: "It's a Secret to Everybody" });
    expect(signature.toString('hex')).toBe('757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });

  it('Slack: the worked example of "Verifying requests from Slack"', () => {
    const body = text(
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
    );
    const signature = profile('slack').sign({ id: '', timestamp: '1531420618', body, signingKey: '8f742231b10e8888abcd99yyyzzz85a5' });
    expect(`v0=${signature.toString('hex')}`).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  // Discord publishes no vector; its signature is plain Ed25519 over timestamp + body, so RFC 8032's
  // own vectors check the signer (empty timestamp, the vector's message as the body).
  it.each([
    ['TEST 1 (empty message)', '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', '', 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'],
    ['TEST 2 (one byte)', '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '72', '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'],
  ])('Ed25519: RFC 8032 §7.1 %s', (_name, seed, message, expected) => {
    expect(profile('discord').sign({ id: '', timestamp: '', body: Buffer.from(message, 'hex'), signingKey: seed }).toString('hex')).toBe(expected);
    // The same key in Standard Webhooks form signs the same bytes the same way.
    const sw = profile('standard-webhooks-ed25519');
    const withPrefix = sw.sign({ id: 'a', timestamp: 'b', body: Buffer.from(message, 'hex'), signingKey: `whsk_${Buffer.from(seed, 'hex').toString('base64')}` });
    const direct = profile('discord').sign({ id: '', timestamp: 'a.b.', body: Buffer.from(message, 'hex'), signingKey: seed });
    expect(withPrefix.equals(direct)).toBe(true);
  });

  it.each([
    ['9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'],
    ['4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c'],
  ])('Ed25519: RFC 8032 §7.1 public key of %s', (seed, publicKey) => {
    expect(ed25519PublicKey(Buffer.from(seed, 'hex')).toString('hex')).toBe(publicKey);
  });
});

/** What signs what, per HMAC profile: the key as UTF-8 text (or decoded bytes) and the signed text around the body. */
const HMAC_CONTENT: Record<string, { key: (secret: string) => Buffer; before: string; after?: string }> = {
  'standard-webhooks': { key: (s) => Buffer.from(s.slice('whsec_'.length), 'base64'), before: 'msg_1.1700000000.' },
  svix: { key: (s) => Buffer.from(s.slice('whsec_'.length), 'base64'), before: 'msg_1.1700000000.' },
  stripe: { key: (s) => Buffer.from(s), before: '1700000000.' },
  github: { key: (s) => Buffer.from(s), before: '' },
  slack: { key: (s) => Buffer.from(s), before: 'v0:1700000000:' },
  shopify: { key: (s) => Buffer.from(s), before: '' },
  pagerduty: { key: (s) => Buffer.from(s), before: '' },
  [GENERIC_HMAC]: { key: (s) => Buffer.from(s), before: '' },
};

describe.skipIf(noOpenssl)('every HMAC profile agrees with openssl', () => {
  const body = text('{"type":"invoice.paid","id":"msg_1","data":{"amount":1000}}\n');
  it.each(Object.entries(HMAC_CONTENT))('%s', (name, content) => {
    const p = profile(name);
    const { signingKey: secret } = p.generateKeys();
    const file = join(dir, `${name}.bin`);
    writeFileSync(file, Buffer.concat([text(content.before), body, text(content.after ?? '')]));
    const out = execFileSync('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${content.key(secret).toString('hex')}`, file], { encoding: 'utf8' });
    const expected = out.trim().split('= ')[1];
    expect(p.sign({ id: 'msg_1', timestamp: '1700000000', body, signingKey: secret }).toString('hex')).toBe(expected);
  });
});

describe.skipIf(noOpenssl)('every Ed25519 profile agrees with openssl', () => {
  it.each([
    ['discord', (pub: string) => Buffer.from(pub, 'hex'), '1700000000'],
    ['standard-webhooks-ed25519', (pub: string) => Buffer.from(pub.slice('whpk_'.length), 'base64'), 'msg_1.1700000000.'],
  ] as const)('%s: openssl verifies the signature with the public key', (name, rawPublicKey, before) => {
    const p = profile(name);
    const keys = p.generateKeys();
    const body = text('{"id":"msg_1"}');
    const signature = p.sign({ id: 'msg_1', timestamp: '1700000000', body, signingKey: keys.signingKey });
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), rawPublicKey(keys.publicKey ?? '')]);
    const pem = `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----\n`;
    const [pubFile, msgFile, sigFile] = ['pub.pem', 'msg.bin', 'sig.bin'].map((f) => join(dir, `${name}-${f}`)) as [string, string, string];
    writeFileSync(pubFile, pem);
    writeFileSync(msgFile, Buffer.concat([text(before), body]));
    writeFileSync(sigFile, signature);
    const out = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pubFile, '-rawin', '-in', msgFile, '-sigfile', sigFile], { encoding: 'utf8' });
    expect(out).toMatch(/Signature Verified Successfully/);
    writeFileSync(msgFile, Buffer.concat([text(before), text('{"id":"msg_2"}')]));
    expect(() => execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pubFile, '-rawin', '-in', msgFile, '-sigfile', sigFile], { stdio: 'pipe' })).toThrow();
  });
});

describe('headers, as each provider spells them', () => {
  const parts = { id: 'msg_1', timestamp: '1700000000', entries: [{ label: 'v1', value: 'AAA' }, { label: 'v1', value: 'BBB' }] };
  it.each([
    ['standard-webhooks', { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,AAA v1,BBB' }],
    ['svix', { 'svix-id': 'msg_1', 'svix-timestamp': '1700000000', 'svix-signature': 'v1,AAA v1,BBB' }],
    ['stripe', { 'Stripe-Signature': 't=1700000000,v1=AAA,v1=BBB' }],
    ['pagerduty', { 'X-Webhook-Id': 'msg_1', 'X-PagerDuty-Signature': 'v1=AAA,v1=BBB' }],
  ])('%s', (name, headers) => {
    expect(profile(name).render(parts)).toEqual(headers);
  });

  it.each([
    ['github', { 'X-GitHub-Delivery': 'msg_1', 'X-Hub-Signature-256': 'sha256=AAA' }],
    ['slack', { 'X-Slack-Request-Timestamp': '1700000000', 'X-Slack-Signature': 'v0=AAA' }],
    ['shopify', { 'X-Shopify-Webhook-Id': 'msg_1', 'X-Shopify-Hmac-SHA256': 'AAA' }],
    ['discord', { 'X-Signature-Timestamp': '1700000000', 'X-Signature-Ed25519': 'AAA' }],
  ])('%s (one signature)', (name, headers) => {
    const p = profile(name);
    expect(p.render({ id: 'msg_1', timestamp: '1700000000', entries: [{ label: p.label, value: 'AAA' }] })).toEqual(headers);
  });

  it('renders only the headers each profile declares', () => {
    for (const name of PROFILE_NAMES) {
      const p = profile(name);
      const rendered = p.render({ id: 'msg_1', timestamp: '1', entries: [{ label: p.label, value: 'AAA' }] });
      expect(Object.keys(rendered).sort(), name).toEqual([...new Set(Object.values(p.headers))].sort());
    }
  });

  it('leaves out what is absent: Stripe without t= or without signatures', () => {
    expect(profile('stripe').render({ entries: [{ label: 'v1', value: 'AAA' }] })).toEqual({ 'Stripe-Signature': 'v1=AAA' });
    expect(profile('stripe').render({ timestamp: '1', entries: [] })).toEqual({ 'Stripe-Signature': 't=1' });
    expect(profile('stripe').render({ entries: [] })).toEqual({});
  });
});

describe('the registry', () => {
  it('knows every provider of the issue, generic-hmac, and standard-webhooks as the default', () => {
    expect(PROFILE_NAMES).toEqual(['standard-webhooks', 'standard-webhooks-ed25519', 'svix', 'stripe', 'github', 'slack', 'shopify', 'pagerduty', 'discord', 'generic-hmac']);
    expect(DEFAULT_PROFILE).toBe('standard-webhooks');
    expect(findProfile('none')).toBeUndefined();
    expect(PROFILES.has(GENERIC_HMAC)).toBe(false);
  });

  it('declares what each scheme has', () => {
    const features = Object.fromEntries(PROFILE_NAMES.map((n) => [n, [...profile(n).features].sort()]));
    expect(features).toEqual({
      'standard-webhooks': ['multiple-signatures', 'scheme-label', 'shared-secret', 'signed-id', 'timestamp'],
      'standard-webhooks-ed25519': ['multiple-signatures', 'scheme-label', 'signed-id', 'timestamp'],
      svix: ['multiple-signatures', 'scheme-label', 'shared-secret', 'signed-id', 'timestamp'],
      stripe: ['multiple-signatures', 'scheme-label', 'shared-secret', 'timestamp'],
      github: ['scheme-label', 'shared-secret'],
      slack: ['scheme-label', 'shared-secret', 'timestamp'],
      shopify: ['shared-secret'],
      pagerduty: ['multiple-signatures', 'scheme-label', 'shared-secret'],
      discord: ['timestamp'],
      'generic-hmac': ['shared-secret'],
    });
    for (const name of PROFILE_NAMES) for (const f of profile(name).features) expect(PROFILE_FEATURES).toContain(f);
  });

  it('gives labelled schemes a wrong label that differs from the right one', () => {
    for (const name of PROFILE_NAMES) {
      const p = profile(name);
      if (p.features.includes('scheme-label')) expect(p.wrongLabel, name).toMatch(/.+/);
      if (p.wrongLabel !== undefined) expect(p.wrongLabel).not.toBe(p.label);
    }
  });

  it('generates fresh keys in each provider\'s format; asymmetric profiles have a public key', () => {
    const formats: Record<string, RegExp> = {
      'standard-webhooks': /^whsec_[A-Za-z0-9+/]{43}=$/,
      svix: /^whsec_[A-Za-z0-9+/]{43}=$/,
      stripe: /^whsec_[A-Za-z0-9_-]{32}$/,
      'standard-webhooks-ed25519': /^whsk_[A-Za-z0-9+/]{43}=$/,
      discord: /^[0-9a-f]{64}$/,
      shopify: /^shpss_[0-9a-f]{32}$/,
    };
    for (const name of PROFILE_NAMES) {
      const p = profile(name);
      const [a, b] = [p.generateKeys(), p.generateKeys()];
      expect(a.signingKey).not.toBe(b.signingKey);
      const format = formats[name];
      if (format) expect(a.signingKey).toMatch(format);
      expect(a.publicKey !== undefined, name).toBe(!p.features.includes('shared-secret'));
    }
    expect(profile('standard-webhooks-ed25519').generateKeys().publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
  });
});

describe('generic-hmac', () => {
  const generic = (settings: unknown) => findProfile(GENERIC_HMAC, GenericHmacSchema.parse(settings));

  it.skipIf(noOpenssl)('signs the template, prefixes the value and sends the headers it names (checked with openssl)', () => {
    const p = generic({ header: 'X-Sig', algorithm: 'sha512', encoding: 'base64', prefix: 'sha512=', template: '{id}:{timestamp}:{body}', timestampHeader: 'X-Ts', idHeader: 'X-Id' });
    expect([...(p?.features ?? [])].sort()).toEqual(['scheme-label', 'shared-secret', 'signed-id', 'timestamp']);
    const file = join(dir, 'generic.bin');
    writeFileSync(file, 'msg_1:1700000000:{}');
    const expected = execFileSync('openssl', ['dgst', '-sha512', '-mac', 'HMAC', '-macopt', 'key:k', '-binary', file]).toString('base64');
    expect(p?.sign({ id: 'msg_1', timestamp: '1700000000', body: text('{}'), signingKey: 'k' }).toString('base64')).toBe(expected);
    expect(p?.render({ id: 'msg_1', timestamp: '1', entries: [{ label: 'sha512=', value: 'AAA' }] })).toEqual({ 'X-Id': 'msg_1', 'X-Ts': '1', 'X-Sig': 'sha512=AAA' });
    expect(p?.wrongLabel).toBe('sha512x=');
  });

  it('defaults to the hex HMAC-SHA256 of the body in X-Signature', () => {
    expect(GenericHmacSchema.parse({})).toEqual({ header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', prefix: '', template: '{body}' });
    // The profile's default, which findProfile falls back to, is what the config fills in.
    expect(DEFAULT_GENERIC_HMAC).toEqual(GenericHmacSchema.parse({}));
  });

  it.each([
    [{ template: '{timestamp}' }, /\{body\} exactly once/],
    [{ template: '{body}{body}' }, /\{body\} exactly once/],
    [{ template: '{nonce}.{body}' }, /only \{body\}, \{timestamp\} and \{id\}/],
    [{ template: '{timestamp}.{body}' }, /name the header that carries it/],
    [{ template: '{body}', timestampHeader: 'X-Ts' }, /unsigned timestamp protects nothing/],
    [{ template: '{id}.{body}' }, /name the header that carries it/],
    [{ header: 'X Sig' }, /header name/],
    [{ algorithm: 'md5' }, /sha256 or sha512/],
  ])('refuses %j', (settings, message) => {
    const parsed = GenericHmacSchema.safeParse(settings);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(message);
  });
});

describe('deliveries in each provider\'s own shape', () => {
  const ID_FORMATS: Record<string, RegExp> = {
    'standard-webhooks': /^msg_[A-Za-z0-9]{27}$/,
    'standard-webhooks-ed25519': /^msg_[A-Za-z0-9]{27}$/,
    svix: /^msg_[A-Za-z0-9]{27}$/,
    stripe: /^evt_[A-Za-z0-9]{24}$/,
    github: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    slack: /^Ev[A-Z0-9]{10}$/,
    shopify: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    pagerduty: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    discord: /^1[0-9]{18}$/,
    [GENERIC_HMAC]: /^msg_[A-Za-z0-9]{27}$/,
  };

  it.each(PROFILE_NAMES)('%s: fresh ids in the provider\'s format', (name) => {
    const ids = Array.from({ length: 20 }, () => profile(name).newId());
    for (const id of ids) expect(id).toMatch(ID_FORMATS[name] ?? /^$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(PROFILE_NAMES)('%s: cites the provider page it follows and names the SDK call or documented check', (name) => {
    const p = profile(name);
    if (name !== GENERIC_HMAC) expect(p.reference).toMatch(/\((?:[a-z]+\.)+[a-z]+\/[^)]+\)/);
    expect(p.verifier).toMatch(/`[^`]+`/);
  });

  it.each(PROFILE_NAMES)('%s: the reference listener finds the delivery id where the provider puts it', async (name) => {
    const { SCHEMES, deliveryId } = await import('../../examples/listeners/signatures.mjs');
    const p = profile(name);
    const webhookId = p.newId();
    const keys = p.generateKeys();
    const delivery = buildDelivery({ identity: 'valid', signature: {} }, { profile: p, signingKey: keys.signingKey, wrongKeys: [keys.signingKey, keys.signingKey], toleranceSeconds: 300, path: '/webhook', now: 1_700_000_000, webhookId });
    const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers['content-type']).toMatch(/^application\/json\b/);
    if (name !== GENERIC_HMAC) expect(headers['user-agent'] !== undefined || name.startsWith('standard-webhooks')).toBe(true);
    expect(deliveryId(name === GENERIC_HMAC ? undefined : SCHEMES[name], headers, delivery.body)).toBe(webhookId);
  });
});
