import { hmac, randomId, randomText } from './crypto.js';
import { joinEntries, type Profile } from './profile.js';

export const stripe: Profile = {
  name: 'stripe',
  description: 'Stripe: `Stripe-Signature: t=<ts>,v1=<hex>[,v1=…]`, HMAC-SHA256 of `ts.body` keyed with the whole `whsec_…` string',
  reference: 'Stripe docs, Verify webhook signatures manually (docs.stripe.com/webhooks#verify-manually); The Event object (docs.stripe.com/api/events/object)',
  verifier: 'stripe-node: `stripe.webhooks.constructEvent(rawBody, req.headers[\'stripe-signature\'], endpointSecret)` on the raw body (`express.raw`), never a parsed one',
  sdkGaps: {
    'sig.future-timestamp': 'stripe-node\'s `constructEvent` rejects only stale timestamps: after it, also refuse a `t=` more than the tolerance (300 s) ahead of your clock',
  },
  newId: () => `evt_${randomId(24)}`,
  event: (id, now) => ({
    headers: { 'content-type': 'application/json; charset=utf-8', 'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
    body: {
      id,
      object: 'event',
      api_version: '2024-06-20',
      created: now,
      data: { object: { id: 'in_1MtHbELkdIwHu7ixl4OzzPMv', object: 'invoice', amount_paid: 1000, currency: 'eur', status: 'paid' } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'invoice.paid',
    },
  }),
  features: ['timestamp', 'multiple-signatures', 'scheme-label', 'shared-secret'],
  headers: { signature: 'Stripe-Signature' },
  label: 'v1',
  wrongLabel: 'v0',
  encoding: 'hex',
  generateKeys: () => ({ signingKey: `whsec_${randomText(32)}` }),
  // The key is the secret string itself, `whsec_` included: not decoded as Standard Webhooks does.
  sign: ({ timestamp, body, signingKey }) => hmac('sha256', signingKey, `${timestamp}.`, body),
  render: ({ timestamp, entries }): Record<string, string> => {
    const fields = [...(timestamp === undefined ? [] : [`t=${timestamp}`]), ...(entries.length > 0 ? [joinEntries(entries, '=', ',')] : [])];
    return fields.length > 0 ? { 'Stripe-Signature': fields.join(',') } : {};
  },
};
