import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MASKED, SecretMask } from '../../harness/kit/secrets-mask.js';

const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const bodyLines = keyPem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));

describe('SecretMask', () => {
  it('masks every private key in PEM, known or not', () => {
    const mask = new SecretMask();
    expect(mask.mask(`key: ${keyPem} end`)).toBe(`key: ${MASKED}\n end`);
    const rsa = '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----';
    expect(mask.mask(rsa)).toBe(MASKED);
  });

  it('masks a known key printed line by line, as a target output tail holds it', () => {
    const mask = new SecretMask();
    mask.add(keyPem);
    const masked = bodyLines.map((line) => mask.mask(`  ${line}`));
    for (const line of masked) expect(line).not.toMatch(/[A-Za-z0-9+/]{12,}/);
    expect(masked[0]).toBe(`  ${MASKED}`);
  });

  it('masks a secret, and the key material after its prefix', () => {
    const mask = new SecretMask();
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    mask.add(secret);
    expect(mask.mask(`WHC_SIGNING_SECRET=${secret}`)).toBe(`WHC_SIGNING_SECRET=${MASKED}`);
    expect(mask.mask('decoded from MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(`decoded from ${MASKED}`);
  });

  it('leaves short values and ordinary text alone', () => {
    const mask = new SecretMask();
    mask.add('short', '');
    expect(mask.mask('a short text about HTTP 401')).toBe('a short text about HTTP 401');
  });

  it('masks every string of a plain-data value without changing it', () => {
    const mask = new SecretMask();
    const secret = 'ab12cd34ef56ab12cd34ef56';
    mask.add(secret);
    const value = { reason: `signed with ${secret}`, nested: [{ line: secret }, 7, null, true] };
    expect(mask.maskDeep(value)).toEqual({ reason: `signed with ${MASKED}`, nested: [{ line: MASKED }, 7, null, true] });
    expect(value.reason).toBe(`signed with ${secret}`);
  });

  it('masks the longer of two secrets that overlap whole', () => {
    const mask = new SecretMask();
    mask.add('0123456789abcdef', '0123456789abcdef0123');
    expect(mask.mask('x 0123456789abcdef0123 y')).toBe(`x ${MASKED} y`);
  });

  it('masks the encodings a program prints a secret in: base64, base64url, hex, URL-encoded, JSON-escaped, decoded', () => {
    const mask = new SecretMask();
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    mask.add(secret);
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    const printed = [
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
      Buffer.from(secret).toString('hex'),
      Buffer.from(secret).toString('hex').toUpperCase(),
      encodeURIComponent('a+b/c=' + secret),
      key.toString('hex'),
      key.toString('base64url'),
    ];
    for (const text of printed) expect([text, mask.mask(`x ${text} y`)]).toEqual([text, expect.stringMatching(/^x (%2B|a%2Bb%2Fc%3D)?\[masked\] y$|^x \[masked\] y$/)]);
    // Inside a longer base64 text, at every alignment.
    for (const before of ['', 'a', 'ab', 'abc']) {
      const encoded = Buffer.from(`${before}secret=${secret};`).toString('base64');
      expect(mask.mask(encoded)).toContain(MASKED);
      expect(mask.mask(encoded).length).toBeLessThan(encoded.length - 20);
    }
    const pemText = JSON.stringify(keyPem).slice(1, -1);
    const withKey = new SecretMask();
    withKey.add(keyPem);
    for (const line of bodyLines) expect(withKey.mask(pemText)).not.toContain(line);
  });

  it('masks the start of a secret where the output tail cut a line', () => {
    const mask = new SecretMask();
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    mask.add(secret);
    expect(mask.mask('token whsec_MfKQ9r8G…[cut: 99 more bytes]')).toBe(`token ${MASKED}…[cut: 99 more bytes]`);
    expect(mask.mask('plain text…[cut: 99 more bytes]')).toBe('plain text…[cut: 99 more bytes]');
  });
});
