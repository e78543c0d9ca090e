import { randomBytes } from 'node:crypto';
import { ed25519KeyPair, ed25519Sign, hmac, randomId } from './crypto.js';
import { joinEntries, present, type Profile, type SignedParts } from './profile.js';

const SECRET_PREFIX = 'whsec_';
const PRIVATE_KEY_PREFIX = 'whsk_';
const PUBLIC_KEY_PREFIX = 'whpk_';
const REFERENCE = 'Standard Webhooks spec §Signature scheme, §Webhook headers, §Payload structure (github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md)';

/** The spec's example event: `type`, `timestamp` and `data`; ids are `msg_` and 27 letters or digits. */
const webhookEvent = (userAgent?: string) => ({
  newId: () => `msg_${randomId(27)}`,
  event: (_id: string, now: number) => ({
    headers: { 'content-type': 'application/json', ...(userAgent ? { 'User-Agent': userAgent } : {}) },
    body: { type: 'contact.created', timestamp: new Date(now * 1000).toISOString(), data: { id: '1f81eb52-5198-4599-803e-771906343485', type: 'contact' } },
  }),
});

/** The text after a `whsec_`/`whsk_` prefix, base64-decoded: unlike Stripe, the key is not the string. */
function decodeKey(key: string, prefix: string): Buffer {
  return Buffer.from(key.startsWith(prefix) ? key.slice(prefix.length) : key, 'base64');
}

const headersWith = (prefix: string) => ({ id: `${prefix}-id`, timestamp: `${prefix}-timestamp`, signature: `${prefix}-signature` });

/** `webhook-*` or `svix-*`: the same scheme under two header prefixes. */
function renderWith(prefix: string) {
  const names = headersWith(prefix);
  return (parts: SignedParts): Record<string, string> => ({
    ...present(names.id, parts.id),
    ...present(names.timestamp, parts.timestamp),
    ...(parts.entries.length > 0 ? { [names.signature]: joinEntries(parts.entries, ',', ' ') } : {}),
  });
}

const hmacScheme = {
  features: ['timestamp', 'signed-id', 'multiple-signatures', 'scheme-label', 'shared-secret'],
  label: 'v1',
  wrongLabel: 'v2',
  encoding: 'base64',
  generateKeys: () => ({ signingKey: SECRET_PREFIX + randomBytes(32).toString('base64') }),
  sign: ({ id, timestamp, body, signingKey }) => hmac('sha256', decodeKey(signingKey, SECRET_PREFIX), `${id}.${timestamp}.`, body),
} as const satisfies Partial<Profile>;

export const standardWebhooks: Profile = {
  ...hmacScheme,
  name: 'standard-webhooks',
  description: 'Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`, HMAC-SHA256 of `id.timestamp.body`; secret `whsec_<base64>`',
  reference: REFERENCE,
  verifier: 'standardwebhooks: `new Webhook(secret).verify(rawBody, headers)`, which throws on a bad signature or a timestamp outside 5 minutes either way',
  ...webhookEvent(),
  headers: headersWith('webhook'),
  render: renderWith('webhook'),
};

export const svix: Profile = {
  ...hmacScheme,
  name: 'svix',
  description: 'Svix: `svix-id`, `svix-timestamp`, `svix-signature: v1,<base64>`, as Standard Webhooks',
  reference: 'Svix docs, Verifying webhooks with the Svix libraries (docs.svix.com/receiving/verifying-payloads/how); Verifying payloads manually',
  verifier: 'svix: `new Webhook(secret).verify(rawBody, headers)` (svix-id, svix-timestamp, svix-signature), which throws on a bad signature or a timestamp outside 5 minutes either way',
  ...webhookEvent('Svix-Webhooks/1.99.1'),
  headers: headersWith('svix'),
  render: renderWith('svix'),
};

export const standardWebhooksEd25519: Profile = {
  name: 'standard-webhooks-ed25519',
  description: 'Standard Webhooks, asymmetric: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1a,<base64>`, Ed25519 over `id.timestamp.body`; public key `whpk_<base64>`',
  reference: REFERENCE,
  verifier: 'Standard Webhooks asymmetric: Ed25519 verification of `id.timestamp.rawBody` against each `v1a,` entry with the `whpk_` public key, and the timestamp within 5 minutes either way',
  ...webhookEvent(),
  features: ['timestamp', 'signed-id', 'multiple-signatures', 'scheme-label'],
  headers: headersWith('webhook'),
  label: 'v1a',
  wrongLabel: 'v1',
  encoding: 'base64',
  generateKeys: () => {
    const { seed, publicKey } = ed25519KeyPair();
    return { signingKey: PRIVATE_KEY_PREFIX + seed.toString('base64'), publicKey: PUBLIC_KEY_PREFIX + publicKey.toString('base64') };
  },
  sign: ({ id, timestamp, body, signingKey }) => ed25519Sign(decodeKey(signingKey, PRIVATE_KEY_PREFIX), `${id}.${timestamp}.`, body),
  render: renderWith('webhook'),
};
