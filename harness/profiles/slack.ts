import { randomBytes } from 'node:crypto';
import { hmac, randomId } from './crypto.js';
import { joinEntries, present, type Profile } from './profile.js';

export const slack: Profile = {
  name: 'slack',
  description: 'Slack: `X-Slack-Signature: v0=<hex>`, HMAC-SHA256 of `v0:ts:body`; `X-Slack-Request-Timestamp`',
  reference: 'Slack docs, Verifying requests from Slack (api.slack.com/authentication/verifying-requests-from-slack); Events API, event_callback (api.slack.com/apis/events-api#callback-field)',
  verifier: '@slack/bolt: `new App({ signingSecret, receiver })` verifies every request; elsewhere `verifySlackRequest({ signingSecret, body: rawBody, headers })` from `@slack/bolt`',
  sdkGaps: {
    'sig.future-timestamp': 'Bolt (`verifySlackRequest`) rejects only stale timestamps: add a global middleware, or a check before it, that refuses `X-Slack-Request-Timestamp` more than 300 s ahead of your clock',
  },
  newId: () => `Ev${randomId(10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
  // An Events API delivery: an `app_mention` wrapped in the `event_callback` envelope.
  event: (id, now) => ({
    headers: { 'content-type': 'application/json', 'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)' },
    body: {
      token: 'XXYYZZ',
      team_id: 'T123ABC456',
      api_app_id: 'A123ABC456',
      event: { type: 'app_mention', user: 'U123ABC456', text: '<@U0LAN0Z89> is it everything a river should be?', ts: `${now}.000200`, channel: 'C123ABC456', event_ts: `${now}.000200` },
      type: 'event_callback',
      event_id: id,
      event_time: now,
      authorizations: [{ enterprise_id: null, team_id: 'T123ABC456', user_id: 'U0LAN0Z89', is_bot: true, is_enterprise_install: false }],
    },
  }),
  features: ['timestamp', 'scheme-label', 'shared-secret'],
  headers: { signature: 'X-Slack-Signature', timestamp: 'X-Slack-Request-Timestamp' },
  label: 'v0',
  wrongLabel: 'v1',
  encoding: 'hex',
  generateKeys: () => ({ signingKey: randomBytes(16).toString('hex') }),
  sign: ({ timestamp, body, signingKey }) => hmac('sha256', signingKey, `v0:${timestamp}:`, body),
  render: ({ timestamp, entries }) => ({
    ...present('X-Slack-Request-Timestamp', timestamp),
    ...(entries.length > 0 ? { 'X-Slack-Signature': joinEntries(entries, '=', ',') } : {}),
  }),
};
