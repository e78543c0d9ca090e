import { createHmac, randomBytes } from 'node:crypto';
import type { Profile, SigningInput } from './profile.js';

const PREFIX = 'whsec_';

/** The signing key is the base64 after `whsec_`, decoded (unlike Stripe, which uses the string). */
function key(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

export function standardWebhooksSignature({ id, timestamp, body, secret }: SigningInput): string {
  const mac = createHmac('sha256', key(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

export const standardWebhooks: Profile = {
  name: 'standard-webhooks',
  description: 'Standard Webhooks (HMAC-SHA256 `v1`): webhook-id, webhook-timestamp, webhook-signature',
  headers: { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' },
  generateSecret: () => PREFIX + randomBytes(24).toString('base64'),
  sign: (input) => ({
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': standardWebhooksSignature(input),
  }),
};
