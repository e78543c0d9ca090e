import { randomBytes, randomUUID } from 'node:crypto';
import { hmac } from './crypto.js';
import { joinEntries, present, type Profile } from './profile.js';

export const shopify: Profile = {
  name: 'shopify',
  description: 'Shopify: `X-Shopify-Hmac-SHA256: <base64>`, HMAC-SHA256 of the body; `X-Shopify-Webhook-Id` (not signed); no timestamp, no label',
  reference: 'Shopify docs, Deliver webhooks through HTTPS: verify the webhook, headers (shopify.dev/docs/apps/build/webhooks/subscribe/https); orders/create (shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-orders/create)',
  verifier: 'Shopify\'s documented check (`@shopify/shopify-api` needs Node 22): `crypto.createHmac(\'sha256\', secret).update(rawBody).digest()` compared with `crypto.timingSafeEqual` to the base64-decoded `X-Shopify-Hmac-SHA256`',
  newId: () => randomUUID(),
  event: (id, now) => ({
    headers: {
      'content-type': 'application/json',
      'User-Agent': 'Shopify-Captain-Hook',
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Shop-Domain': 'example.myshopify.com',
      'X-Shopify-API-Version': '2025-01',
      'X-Shopify-Triggered-At': new Date(now * 1000).toISOString(),
      'X-Shopify-Event-Id': id,
    },
    body: {
      id: 450789469,
      admin_graphql_api_id: 'gid://shopify/Order/450789469',
      name: '#1001',
      email: 'bob.norman@mail.example.com',
      created_at: new Date(now * 1000).toISOString(),
      currency: 'EUR',
      total_price: '10.00',
      financial_status: 'paid',
      line_items: [{ id: 466157049, title: 'IPod Nano - 8gb', quantity: 1, price: '10.00' }],
    },
  }),
  features: ['shared-secret'],
  headers: { signature: 'X-Shopify-Hmac-SHA256', id: 'X-Shopify-Webhook-Id' },
  label: '',
  encoding: 'base64',
  generateKeys: () => ({ signingKey: `shpss_${randomBytes(16).toString('hex')}` }),
  sign: ({ body, signingKey }) => hmac('sha256', signingKey, body),
  render: ({ id, entries }) => ({
    ...present('X-Shopify-Webhook-Id', id),
    ...(entries.length > 0 ? { 'X-Shopify-Hmac-SHA256': joinEntries(entries, '', ',') } : {}),
  }),
};
