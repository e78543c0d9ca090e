import { hmac, randomText } from './crypto.js';
import { joinEntries, type Profile } from './profile.js';

export const stripe: Profile = {
  name: 'stripe',
  description: 'Stripe: `Stripe-Signature: t=<ts>,v1=<hex>[,v1=…]`, HMAC-SHA256 of `ts.body` keyed with the whole `whsec_…` string',
  reference: 'Stripe docs, Verify webhook signatures manually',
  features: ['timestamp', 'multiple-signatures', 'scheme-label', 'shared-secret'],
  headers: { signature: 'Stripe-Signature' },
  label: 'v1',
  wrongLabel: 'v0',
  encoding: 'hex',
  generateKeys: () => ({ secret: `whsec_${randomText(32)}` }),
  // The key is the secret string itself, `whsec_` included: not decoded as Standard Webhooks does.
  sign: ({ timestamp, body, secret }) => hmac('sha256', secret, `${timestamp}.`, body),
  render: ({ timestamp, entries }): Record<string, string> => {
    const fields = [...(timestamp === undefined ? [] : [`t=${timestamp}`]), ...(entries.length > 0 ? [joinEntries(entries, '=', ',')] : [])];
    return fields.length > 0 ? { 'Stripe-Signature': fields.join(',') } : {};
  },
};
