import { createHash, createPrivateKey, createPublicKey, KeyObject, webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { TEST_RSA_1024_KEY, TEST_RSA_2048_KEY } from './test-only-rsa-keys.js';

export type KeyPair = webcrypto.CryptoKeyPair;

/** EC P-256 unless a scenario is about the key: RSA keys come from the test-only pool. */
export type KeyKind = 'ec-p256' | 'rsa-2048' | 'rsa-1024';

/** A named key holder: what a certificate needs to know about its subject or its signer. */
export interface Party {
  readonly name: string;
  readonly keys: KeyPair;
  /** Hex SHA-1 key identifier, shared by this party's SKI and the AKI of what it signs. */
  readonly keyId: string;
}

export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const RSA_POOL: Record<Exclude<KeyKind, 'ec-p256'>, string> = { 'rsa-2048': TEST_RSA_2048_KEY, 'rsa-1024': TEST_RSA_1024_KEY };

async function keyPair(kind: KeyKind): Promise<KeyPair> {
  if (kind === 'ec-p256') return webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const privateKey = createPrivateKey(RSA_POOL[kind]);
  const [priv, pub] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), RSA, true, ['sign']),
    webcrypto.subtle.importKey('spki', createPublicKey(privateKey).export({ type: 'spki', format: 'der' }), RSA, true, ['verify']),
  ]);
  return { privateKey: priv, publicKey: pub };
}

// Parsed once per key: a party is named in its certificate and signs others.
const publicKeyInfos = new WeakMap<webcrypto.CryptoKey, SubjectPublicKeyInfo>();

/** The key's SubjectPublicKeyInfo, as a certificate carries it. */
export function publicKeyInfo(key: webcrypto.CryptoKey): SubjectPublicKeyInfo {
  let info = publicKeyInfos.get(key);
  if (!info) {
    info = AsnConvert.parse(KeyObject.from(key).export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo);
    publicKeyInfos.set(key, info);
  }
  return info;
}

/** SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1), computed here: the x509
 * library's own takes milliseconds a key. */
function keyIdentifier(publicKey: webcrypto.CryptoKey): string {
  return createHash('sha1').update(new Uint8Array(publicKeyInfo(publicKey).subjectPublicKey)).digest('hex');
}

export async function createParty(name: string, kind: KeyKind = 'ec-p256'): Promise<Party> {
  const keys = await keyPair(kind);
  return { name, keys, keyId: keyIdentifier(keys.publicKey) };
}

export function privateKeyPem(keys: KeyPair): string {
  return KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
}
