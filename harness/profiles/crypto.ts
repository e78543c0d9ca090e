import { createHmac, createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';

export type HmacAlgorithm = 'sha256' | 'sha512';

/** HMAC over the parts in order; text parts as UTF-8. */
export function hmac(algorithm: HmacAlgorithm, key: Buffer | string, ...parts: Array<string | Buffer>): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits (drawn from an alphabet), as providers' ids are (`evt_…`, `msg_…`, `Ev…`). */
export function randomId(length: number, alphabet: string = ALPHANUMERIC): string {
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Random text from a URL-safe alphabet, for secrets that are used as UTF-8 strings. */
export function randomText(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): fixed prefix, then the seed.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX_LENGTH = 12;

/** A fresh Ed25519 seed (the private key) and its public key, both raw 32 bytes. */
export function ed25519KeyPair(): { seed: Buffer; publicKey: Buffer } {
  const seed = randomBytes(32);
  return { seed, publicKey: ed25519PublicKey(seed) };
}

function privateKeyOf(seed: Buffer) {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519PublicKey(seed: Buffer): Buffer {
  return createPublicKey(privateKeyOf(seed)).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX_LENGTH);
}

/** An Ed25519 signature (64 bytes) over the parts, concatenated. */
export function ed25519Sign(seed: Buffer, ...parts: Array<string | Buffer>): Buffer {
  return sign(null, Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))), privateKeyOf(seed));
}
