import { randomUUID } from 'node:crypto';
import { hmac, randomText } from './crypto.js';
import { joinEntries, present, type Profile } from './profile.js';

export const pagerduty: Profile = {
  name: 'pagerduty',
  description: 'PagerDuty v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>]`, HMAC-SHA256 of the body, any one may match; `X-Webhook-Id` (not signed)',
  reference: 'PagerDuty docs, Verifying Signatures (developer.pagerduty.com/docs/webhooks/webhook-signatures); V3 Overview, webhook payload (developer.pagerduty.com/docs/webhooks/v3-overview)',
  verifier: 'PagerDuty\'s documented check (no Node SDK verifies): HMAC-SHA256 of the raw body with the subscription secret, `v1=<hex>`, compared in constant time to each entry of `X-PagerDuty-Signature`',
  newId: () => randomUUID(),
  event: (id, now) => ({
    headers: { 'content-type': 'application/json', 'User-Agent': 'PagerDuty-Webhook/V3.0', 'X-Webhook-Subscription': 'PY1OQ6J' },
    body: {
      event: {
        id,
        event_type: 'incident.triggered',
        resource_type: 'incident',
        occurred_at: new Date(now * 1000).toISOString(),
        agent: { id: 'PLH1HKV', type: 'user_reference', summary: 'Tenex Engineer' },
        client: null,
        data: { id: 'PGR0VU2', type: 'incident', number: 2, status: 'triggered', title: 'A little bump in the road', urgency: 'high', html_url: 'https://acme.pagerduty.com/incidents/PGR0VU2' },
      },
    },
  }),
  features: ['multiple-signatures', 'scheme-label', 'shared-secret'],
  headers: { signature: 'X-PagerDuty-Signature', id: 'X-Webhook-Id' },
  label: 'v1',
  wrongLabel: 'v0',
  encoding: 'hex',
  generateKeys: () => ({ signingKey: randomText(64) }),
  sign: ({ body, signingKey }) => hmac('sha256', signingKey, body),
  render: ({ id, entries }) => ({
    ...present('X-Webhook-Id', id),
    ...(entries.length > 0 ? { 'X-PagerDuty-Signature': joinEntries(entries, '=', ',') } : {}),
  }),
};
