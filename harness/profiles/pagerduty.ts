import { hmac, randomText } from './crypto.js';
import { joinEntries, present, type Profile } from './profile.js';

export const pagerduty: Profile = {
  name: 'pagerduty',
  description: 'PagerDuty v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>]`, HMAC-SHA256 of the body, any one may match; `X-Webhook-Id` (not signed)',
  reference: 'PagerDuty docs, Verifying Signatures (webhooks v3)',
  features: ['multiple-signatures', 'scheme-label', 'shared-secret'],
  headers: { signature: 'X-PagerDuty-Signature', id: 'X-Webhook-Id' },
  label: 'v1',
  wrongLabel: 'v0',
  encoding: 'hex',
  generateKeys: () => ({ secret: randomText(64) }),
  sign: ({ body, secret }) => hmac('sha256', secret, body),
  render: ({ id, entries }) => ({
    ...present('X-Webhook-Id', id),
    ...(entries.length > 0 ? { 'X-PagerDuty-Signature': joinEntries(entries, '=', ',') } : {}),
  }),
};
