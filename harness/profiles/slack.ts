import { randomBytes } from 'node:crypto';
import { hmac } from './crypto.js';
import { joinEntries, present, type Profile } from './profile.js';

export const slack: Profile = {
  name: 'slack',
  description: 'Slack: `X-Slack-Signature: v0=<hex>`, HMAC-SHA256 of `v0:ts:body`; `X-Slack-Request-Timestamp`',
  reference: 'Slack docs, Verifying requests from Slack',
  features: ['timestamp', 'scheme-label', 'shared-secret'],
  headers: { signature: 'X-Slack-Signature', timestamp: 'X-Slack-Request-Timestamp' },
  label: 'v0',
  wrongLabel: 'v1',
  encoding: 'hex',
  generateKeys: () => ({ secret: randomBytes(16).toString('hex') }),
  sign: ({ timestamp, body, secret }) => hmac('sha256', secret, `v0:${timestamp}:`, body),
  render: ({ timestamp, entries }) => ({
    ...present('X-Slack-Request-Timestamp', timestamp),
    ...(entries.length > 0 ? { 'X-Slack-Signature': joinEntries(entries, '=', ',') } : {}),
  }),
};
