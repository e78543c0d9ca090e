import { ed25519KeyPair, ed25519Sign } from './crypto.js';
import { present, type Profile } from './profile.js';

export const discord: Profile = {
  name: 'discord',
  description: 'Discord: Ed25519 over `timestamp + body`, `X-Signature-Ed25519` (hex), `X-Signature-Timestamp`; public key in hex',
  reference: 'Discord docs, Interactions: Security and Authorization',
  features: ['timestamp'],
  headers: { signature: 'X-Signature-Ed25519', timestamp: 'X-Signature-Timestamp' },
  label: '',
  encoding: 'hex',
  generateKeys: () => {
    const { seed, publicKey } = ed25519KeyPair();
    return { secret: seed.toString('hex'), publicKey: publicKey.toString('hex') };
  },
  sign: ({ timestamp, body, secret }) => ed25519Sign(Buffer.from(secret, 'hex'), timestamp, body),
  render: ({ timestamp, entries }) => ({
    ...present('X-Signature-Timestamp', timestamp),
    ...(entries.length > 0 ? { 'X-Signature-Ed25519': entries.map((e) => e.value).join(',') } : {}),
  }),
};
