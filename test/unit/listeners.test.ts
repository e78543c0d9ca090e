import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import {
  flawedVerify,
  flawOverrides,
  parseFlaws,
  type Flaw,
} from '../../examples/listeners/flawed.mjs';
import { checkClient, ConfigError, decodeSecret, headerValue, parseSubject, readConfig, tlsOptions, verifyStandardWebhooks, type ListenerConfig, type RequestHeaders, type VerifyInput, createReplayStore } from '../../examples/listeners/secure.mjs';
import { deliveryId, genericScheme, SCHEMES, strictDecode, type Scheme } from '../../examples/listeners/signatures.mjs';

// The official Standard Webhooks test vector.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const BODY = Buffer.from('{"test": 2432232314}');
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

function sign(body: Uint8Array, timestamp = TIMESTAMP, secret = SECRET): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${ID}.${timestamp}.`).update(body).digest('base64')}`;
}

function input(overrides: { headers?: RequestHeaders; body?: Uint8Array; now?: number } = {}): VerifyInput {
  return {
    headers: {
      'webhook-id': ID,
      'webhook-timestamp': String(TIMESTAMP),
      'webhook-signature': SIGNATURE,
      ...overrides.headers,
    },
    body: overrides.body ?? BODY,
    secret: SECRET,
    toleranceSeconds: 300,
    now: overrides.now ?? TIMESTAMP,
  };
}

const withSignature = (signature: string): VerifyInput => input({ headers: { 'webhook-signature': signature } });

describe('verifyStandardWebhooks', () => {
  it('accepts the official test vector', () => {
    expect(sign(BODY)).toBe(SIGNATURE);
    expect(verifyStandardWebhooks(input())).toEqual({ ok: true });
  });

  it('rejects a wrong signature, a wrong secret and a tampered or re-serialized body with 401', () => {
    const wrongSecret = sign(BODY, TIMESTAMP, 'whsec_' + Buffer.alloc(24, 7).toString('base64'));
    expect(verifyStandardWebhooks(withSignature(wrongSecret))).toMatchObject({ ok: false, status: 401 });
    expect(verifyStandardWebhooks(withSignature('v1,' + 'A'.repeat(43) + '='))).toMatchObject({ status: 401 });
    expect(verifyStandardWebhooks(input({ body: Buffer.from('{"test": 2432232315}') }))).toMatchObject({ status: 401 });
    // Same JSON value, different bytes: only the raw body counts.
    expect(verifyStandardWebhooks(input({ body: Buffer.from('{"test":2432232314}') }))).toMatchObject({ status: 401 });
  });

  it('accepts when any v1 entry matches and ignores other labels', () => {
    const valid = SIGNATURE.slice('v1,'.length);
    expect(verifyStandardWebhooks(withSignature(`v1,${'B'.repeat(43)}= v1a,xyz ${SIGNATURE}`))).toEqual({ ok: true });
    expect(verifyStandardWebhooks(withSignature(`v2,${valid}`))).toMatchObject({ status: 401 });
    expect(verifyStandardWebhooks(withSignature(`v1a,${valid}`))).toMatchObject({ status: 401 });
  });

  it.each([
    ['not base64', 'v1,!!!not-base64!!!'],
    ['wrong length', 'v1,abc'],
    ['multibyte, same character count', `v1,${'é'.repeat(44)}`],
    ['multibyte, same byte count', `v1,${'é'.repeat(22)}`],
    ['no comma', 'v1'],
    ['empty value', 'v1,'],
    ['only spaces', '   '],
    ['valid digest with junk appended', `${SIGNATURE}!!`],
  ])('answers 401 and does not throw for a malformed entry: %s', (_name, signature) => {
    expect(verifyStandardWebhooks(withSignature(signature))).toMatchObject({ ok: false, status: 401 });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('rejects a missing %s with 400', (name) => {
    expect(verifyStandardWebhooks(input({ headers: { [name]: undefined } }))).toMatchObject({ status: 400 });
    expect(verifyStandardWebhooks(input({ headers: { [name]: '' } }))).toMatchObject({ status: 400 });
  });

  it.each(['abc', '-1614265330', '1614265330.5', '1.6e9', '0x603691f2', ''])(
    'rejects the non-integer timestamp "%s" with 400',
    (timestamp) => {
      const result = verifyStandardWebhooks(input({ headers: { 'webhook-timestamp': timestamp } }));
      expect(result).toMatchObject({ ok: false, status: 400 });
    },
  );

  it('enforces the tolerance both ways, inclusive at the edge', () => {
    expect(verifyStandardWebhooks(input({ now: TIMESTAMP + 300 }))).toEqual({ ok: true });
    expect(verifyStandardWebhooks(input({ now: TIMESTAMP - 300 }))).toEqual({ ok: true });
    expect(verifyStandardWebhooks(input({ now: TIMESTAMP + 301 }))).toMatchObject({ status: 401 });
    expect(verifyStandardWebhooks(input({ now: TIMESTAMP - 301 }))).toMatchObject({ status: 401 });
  });

  it('checks the tolerance against the clock by default', () => {
    const { now: _ignored, ...clock } = input();
    expect(verifyStandardWebhooks(clock)).toMatchObject({ status: 401, reason: expect.stringMatching(/tolerance/) });
    const fresh = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-timestamp': String(fresh), 'webhook-signature': sign(BODY, fresh) };
    const { now: _alsoIgnored, ...current } = input({ headers });
    expect(verifyStandardWebhooks(current)).toEqual({ ok: true });
  });

  it('never puts the signature or the secret in a reason', () => {
    const result = verifyStandardWebhooks(withSignature('v1,' + 'C'.repeat(43) + '='));
    expect(JSON.stringify(result)).not.toMatch(/CCCC|MfKQ9r8G/);
  });
});

describe('listener configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'whc-listeners-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string): string => {
    const path = join(dir, name);
    writeFileSync(path, name);
    return path;
  };
  const base = {
    WHC_HOST: '127.0.0.1',
    WHC_PORT: '0',
    WHC_SERVER_CERT_FILE: file('server.pem'),
    WHC_SERVER_KEY_FILE: file('server-key.pem'),
  };

  it('does plain TLS without a client CA, and requires, checks and revokes with one', () => {
    expect(tlsOptions(base)).not.toHaveProperty('requestCert');
    const crl = (n: number) => `-----BEGIN X509 CRL-----\nMIIB${n}\n-----END X509 CRL-----`;
    const crlFile = join(dir, 'two-crls.pem');
    writeFileSync(crlFile, `${crl(1)}\n${crl(2)}\n`);
    const mtls = tlsOptions({ ...base, WHC_CLIENT_CA_FILE: file('client-ca.pem'), WHC_CRL_FILE: crlFile });
    expect(mtls).toMatchObject({ requestCert: true, rejectUnauthorized: true });
    expect(String(mtls.ca)).toBe('client-ca.pem');
    // One element per CRL: Node would load only the first of a concatenated PEM.
    expect(mtls.crl).toEqual([crl(1), crl(2)]);
    expect(() => tlsOptions({ ...base, WHC_CLIENT_CA_FILE: file('client-ca.pem'), WHC_CRL_FILE: file('crl.pem') })).toThrow(/X509 CRL/);
    expect(tlsOptions({ ...base, WHC_CLIENT_CA_FILE: file('client-ca.pem') })).not.toHaveProperty('crl');
  });

  it('fails with a ConfigError on a missing variable or an unreadable file', () => {
    expect(() => tlsOptions({ ...base, WHC_SERVER_KEY_FILE: undefined })).toThrow(ConfigError);
    expect(() => tlsOptions({ ...base, WHC_CLIENT_CA_FILE: join(dir, 'absent.pem') })).toThrow(/WHC_CLIENT_CA_FILE/);
    expect(() => readConfig({ ...base, WHC_PORT: undefined })).toThrow(/WHC_PORT is required/);
    expect(() => readConfig({ ...base, WHC_PROFILE: 'standard-webhooks' })).toThrow(/WHC_SIGNING_SECRET/);
    expect(() => readConfig({ ...base, WHC_PROFILE: 'bogus' })).toThrow(/not supported/);
    expect(() => readConfig({ ...base, WHC_PROFILE: 'stripe' })).toThrow(/WHC_SIGNING_SECRET is required/);
    expect(() => readConfig({ ...base, WHC_PROFILE: 'discord', WHC_SIGNING_SECRET: 'abc' })).toThrow(/WHC_SIGNING_PUBLIC_KEY is required/);
    expect(() => readConfig({ ...base, WHC_PROFILE: 'generic-hmac', WHC_SIGNING_SECRET: 'abc' })).toThrow(/WHC_GENERIC_HMAC/);
    expect(() => readConfig({ ...base, WHC_ALLOWED_CLIENT_SUBJECT: 'CN=x' })).toThrow(/WHC_CLIENT_CA_FILE/);
  });

  it('reads defaults and the signing secret', () => {
    const config = readConfig({ ...base, WHC_PROFILE: 'standard-webhooks', WHC_SIGNING_SECRET: SECRET });
    expect(config).toMatchObject({ webhookPath: '/webhook', toleranceSeconds: 300, mutualTls: false });
    expect(readConfig(base).profile).toBe('none');
    expect(decodeSecret(SECRET)).toHaveLength(24);
    expect(() => decodeSecret('whsec_not base64!')).toThrow(ConfigError);
  });

  it('parses a pinned subject and refuses what it cannot pin exactly', () => {
    expect(parseSubject('CN=webhooks.example.test, O=Example')).toEqual([
      ['CN', 'webhooks.example.test'],
      ['O', 'Example'],
    ]);
    expect(() => parseSubject('O=Example\\, Inc')).toThrow(ConfigError);
    expect(() => parseSubject('CN=a,CN=b')).toThrow(ConfigError);
  });

  it('reads a header only when it is one non-empty string', () => {
    expect(headerValue({ a: 'x' }, 'a')).toBe('x');
    expect(headerValue({ a: ['x', 'y'] }, 'a')).toBeUndefined();
    expect(headerValue({ a: '' }, 'a')).toBeUndefined();
  });
});

describe('checkClient', () => {
  const pinned: ListenerConfig = {
    host: '127.0.0.1',
    port: 0,
    webhookPath: '/webhook',
    mutualTls: true,
    allowedSubject: parseSubject('CN=webhooks.example.test'),
    profile: 'none',
    signing: undefined,
    toleranceSeconds: 300,
    eventsFile: undefined,
  };
  const socket = (subject: Record<string, string | string[]>, authorized = true): TLSSocket =>
    ({
      authorized,
      authorizationError: authorized ? null : 'CERT_HAS_EXPIRED',
      getPeerCertificate: () => ({ subject }),
    }) as unknown as TLSSocket;

  it('accepts exactly the pinned subject', () => {
    expect(checkClient(socket({ CN: 'webhooks.example.test' }), pinned)).toEqual({ ok: true });
  });

  it.each<[string, Record<string, string | string[]>]>([
    ['another CN', { CN: 'attacker.example.test' }],
    ['the pinned CN as a prefix', { CN: 'webhooks.example.test.evil' }],
    ['the pinned CN as a suffix', { CN: 'evil.webhooks.example.test' }],
    ['an extra attribute', { CN: 'webhooks.example.test', O: 'Evil' }],
    ['two CNs', { CN: ['webhooks.example.test', 'evil'] }],
    ['no subject', {}],
  ])('rejects %s with 403', (_name, subject) => {
    expect(checkClient(socket(subject), pinned)).toMatchObject({ ok: false, status: 403 });
  });

  it('rejects an unauthorized client and ignores clients when mutual TLS is off', () => {
    expect(checkClient(socket({ CN: 'webhooks.example.test' }, false), pinned)).toMatchObject({ status: 403 });
    expect(checkClient(socket({}, false), { ...pinned, mutualTls: false, allowedSubject: undefined })).toEqual({ ok: true });
  });
});

describe('flawed listener variants', () => {
  const flawed = (...flaws: Flaw[]) => flawedVerify(new Set(flaws));
  const verify =
    (...flaws: Flaw[]) =>
    (i: VerifyInput) =>
      flawed(...flaws)({ ...i, scheme: SCHEMES['standard-webhooks'] as Scheme, key: decodeSecret(i.secret) });
  const stale = input({ now: TIMESTAMP + 301 });
  const future = input({ now: TIMESTAMP - 301 });
  const forged = withSignature('v1,' + 'A'.repeat(43) + '=');
  const unsigned = input({ headers: { 'webhook-signature': undefined } });
  const noId = input({ headers: { 'webhook-id': undefined } });

  it('parses WHC_FLAWS and names the known flaws on an unknown one', () => {
    expect(parseFlaws('no-crl, no-timestamp-check')).toEqual(new Set(['no-crl', 'no-timestamp-check']));
    expect(parseFlaws(undefined)).toEqual(new Set());
    expect(() => parseFlaws('no-crl,skip-everything')).toThrow(/skip-everything.*known: accept-any-cert/);
  });

  it('with no verification flaw behaves as the secure verifier', () => {
    for (const case_ of [input(), stale, future, forged, unsigned, noId]) {
      expect(verify()(case_)).toEqual(verifyStandardWebhooks(case_));
    }
  });

  it('no-signature-check accepts forged and unsigned deliveries but still checks headers and time', () => {
    expect(verify('no-signature-check')(forged)).toEqual({ ok: true });
    expect(verify('no-signature-check')(unsigned)).toEqual({ ok: true });
    expect(verify('no-signature-check')(noId)).toMatchObject({ status: 400 });
    expect(verify('no-signature-check')(stale)).toMatchObject({ status: 401 });
  });

  it('no-timestamp-check accepts stale and future deliveries but still checks the signature', () => {
    expect(verify('no-timestamp-check')(stale)).toEqual({ ok: true });
    expect(verify('no-timestamp-check')(future)).toEqual({ ok: true });
    expect(verify('no-timestamp-check')(forged)).toMatchObject({ status: 401 });
  });

  it('future-timestamps-ok accepts only the future', () => {
    expect(verify('future-timestamps-ok')(future)).toEqual({ ok: true });
    expect(verify('future-timestamps-ok')(stale)).toMatchObject({ status: 401 });
  });

  it('500-on-bad-signature throws on a mismatch only', () => {
    expect(() => verify('500-on-bad-signature')(forged)).toThrow(/signature mismatch/);
    expect(verify('500-on-bad-signature')(unsigned)).toMatchObject({ status: 400 });
    expect(verify('500-on-bad-signature')(input())).toEqual({ ok: true });
  });

  it('swaps only the pieces its flaws need', () => {
    expect(flawOverrides(new Set())).toEqual({});
    expect(Object.keys(flawOverrides(new Set(['no-crl'])))).toEqual(['tlsOptions']);
    expect(Object.keys(flawOverrides(new Set(['accept-any-cert'])))).toEqual(['tlsOptions', 'checkClient', 'checkRevocation']);
    expect(Object.keys(flawOverrides(new Set(['no-timestamp-check'])))).toEqual(['verify']);
  });

  it('changes only rejectUnauthorized or crl in the TLS options', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whc-flawed-'));
    try {
      const env: Record<string, string> = {};
      for (const [name, variable] of [
        ['server.pem', 'WHC_SERVER_CERT_FILE'],
        ['server-key.pem', 'WHC_SERVER_KEY_FILE'],
        ['client-ca.pem', 'WHC_CLIENT_CA_FILE'],
        ['crl.pem', 'WHC_CRL_FILE'],
      ] as const) {
        writeFileSync(join(dir, name), name === 'crl.pem' ? '-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n' : name);
        env[variable] = join(dir, name);
      }
      const secure = tlsOptions(env);
      const { crl: _crl, ...withoutCrl } = secure;
      const flawedTlsOptions = (flaw: Flaw) => flawOverrides(new Set([flaw])).tlsOptions?.(env);
      expect(flawedTlsOptions('no-crl')).toEqual(withoutCrl);
      expect(flawedTlsOptions('accept-any-cert')).toEqual({ ...secure, rejectUnauthorized: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the replay store and the delivery id', () => {
  it('says first time once per id, and forgets the oldest beyond its size', () => {
    const store = createReplayStore(2);
    expect([store.firstTime('a'), store.firstTime('a'), store.firstTime('b')]).toEqual([true, false, true]);
    expect(store.has('a')).toBe(true);
    store.firstTime('c');
    expect([store.has('a'), store.has('b'), store.has('c')]).toEqual([false, true, true]);
  });

  it('takes the signed id header when the scheme has one, else the provider\'s delivery id header, else the JSON body\'s id', () => {
    const body = Buffer.from('{"id":"msg_body","event_id":"Ev01"}');
    expect(deliveryId(SCHEMES['standard-webhooks'], { 'webhook-id': 'msg_header' }, body)).toBe('msg_header');
    expect(deliveryId(SCHEMES.github, { 'x-github-delivery': 'unsigned' }, body)).toBe('unsigned');
    expect(deliveryId(SCHEMES.slack, {}, body)).toBe('Ev01');
    expect(deliveryId(SCHEMES.discord, {}, body)).toBe('msg_body');
    expect(deliveryId(undefined, {}, body)).toBe('msg_body');
    expect(deliveryId(SCHEMES.stripe, {}, Buffer.from('not json'))).toBeUndefined();
    expect(deliveryId(SCHEMES.stripe, {}, Buffer.from('{"id":7}'))).toBeUndefined();
  });

  it('refuses a generic scheme it cannot verify, with a ConfigError', () => {
    expect(() => genericScheme('{"header":"X-Sig","template":"{timestamp}.{body}"}')).toThrow(/signs \{timestamp\} but names no header/);
    expect(() => genericScheme('{"header":"X-Sig","algorithm":"md5"}')).toThrow(ConfigError);
    expect(() => genericScheme(undefined)).toThrow(/WHC_GENERIC_HMAC is required/);
  });

  it('decodes a signature only when it is exactly in its encoding', () => {
    expect(strictDecode('0aff', 'hex')).toEqual(Buffer.from([0x0a, 0xff]));
    expect(strictDecode('YWJj', 'base64')).toEqual(Buffer.from('abc'));
    for (const [text, encoding] of [['0af', 'hex'], ['zz', 'hex'], ['', 'hex'], ['YWJj=a', 'base64'], ['YW*j', 'base64'], ['YWJ', 'base64'], ['éé', 'hex']] as const) {
      expect(strictDecode(text, encoding), text).toBeUndefined();
    }
  });
});
