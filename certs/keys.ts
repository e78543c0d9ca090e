import { KeyObject, webcrypto } from 'node:crypto';
import { PublicKey } from './x509.js';

export type KeyPair = webcrypto.CryptoKeyPair;

/** A named key holder: what a certificate needs to know about its subject or its signer. */
export interface Party {
  readonly name: string;
  readonly keys: KeyPair;
  /** Hex SHA-1 key identifier, shared by this party's SKI and the AKI of what it signs. */
  readonly keyId: string;
}

export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function createParty(name: string): Promise<Party> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const keyId = Buffer.from(await (await PublicKey.create(keys.publicKey)).getKeyIdentifier()).toString('hex');
  return { name, keys, keyId };
}

export function privateKeyPem(keys: KeyPair): string {
  return KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
}
