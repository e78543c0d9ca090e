import { ed25519KeyPair, ed25519Sign, randomId } from './crypto.js';
import { present, type Profile } from './profile.js';

const TIMESTAMP_CHECK = '`verifyKey` checks no timestamp: before it, require `X-Signature-Timestamp` to be an integer of unix seconds within 300 s of your clock, both ways, and answer 401 otherwise';

export const discord: Profile = {
  name: 'discord',
  description: 'Discord: Ed25519 over `timestamp + body`, `X-Signature-Ed25519` (hex), `X-Signature-Timestamp`; public key in hex',
  reference: 'Discord docs, Receiving and Responding to interactions: Security and Authorization, PING (discord.com/developers/docs/interactions/receiving-and-responding#security-and-authorization)',
  verifier: 'discord-interactions: `await verifyKey(rawBody, signature, timestamp, publicKey)` before anything else (or `verifyKeyMiddleware(publicKey)`), answering 401 when false',
  sdkGaps: Object.fromEntries(['sig.missing-timestamp', 'sig.stale-timestamp', 'sig.future-timestamp', 'sig.timestamp-not-numeric'].map((id) => [id, TIMESTAMP_CHECK])),
  // A snowflake: a 64-bit integer written in decimal.
  newId: () => `1${randomId(18, '0123456789')}`,
  // The PING Discord sends to check an interactions endpoint; the answer is `{"type":1}` (PONG).
  event: (id) => ({
    headers: { 'content-type': 'application/json', 'User-Agent': 'Discord-Interactions/1.0 (+https://discord.com)' },
    body: { id, application_id: '1181205883474927739', type: 1, token: 'aW50ZXJhY3Rpb246MTE4MTIw', version: 1 },
  }),
  features: ['timestamp'],
  headers: { signature: 'X-Signature-Ed25519', timestamp: 'X-Signature-Timestamp' },
  label: '',
  encoding: 'hex',
  generateKeys: () => {
    const { seed, publicKey } = ed25519KeyPair();
    return { signingKey: seed.toString('hex'), publicKey: publicKey.toString('hex') };
  },
  sign: ({ timestamp, body, signingKey }) => ed25519Sign(Buffer.from(signingKey, 'hex'), timestamp, body),
  render: ({ timestamp, entries }) => ({
    ...present('X-Signature-Timestamp', timestamp),
    ...(entries.length > 0 ? { 'X-Signature-Ed25519': entries.map((e) => e.value).join(',') } : {}),
  }),
};
