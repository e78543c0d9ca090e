import { randomBytes } from 'node:crypto';
import { hmac } from './crypto.js';
import { joinEntries, present, type Profile } from './profile.js';

export const shopify: Profile = {
  name: 'shopify',
  description: 'Shopify: `X-Shopify-Hmac-SHA256: <base64>`, HMAC-SHA256 of the body; `X-Shopify-Webhook-Id` (not signed); no timestamp, no label',
  reference: 'Shopify docs, Verify webhooks',
  features: ['shared-secret'],
  headers: { signature: 'X-Shopify-Hmac-SHA256', id: 'X-Shopify-Webhook-Id' },
  label: '',
  encoding: 'base64',
  generateKeys: () => ({ secret: `shpss_${randomBytes(16).toString('hex')}` }),
  sign: ({ body, secret }) => hmac('sha256', secret, body),
  render: ({ id, entries }) => ({
    ...present('X-Shopify-Webhook-Id', id),
    ...(entries.length > 0 ? { 'X-Shopify-Hmac-SHA256': joinEntries(entries, '', ',') } : {}),
  }),
};
