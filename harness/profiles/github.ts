import { randomUUID } from 'node:crypto';
import { hmac, randomText } from './crypto.js';
import { joinEntries, present, type Profile } from './profile.js';

export const github: Profile = {
  name: 'github',
  description: 'GitHub: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the body; `X-GitHub-Delivery` (not signed); no timestamp',
  reference: 'GitHub docs, Validating webhook deliveries (docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries); Webhook events and payloads, ping (docs.github.com/en/webhooks/webhook-events-and-payloads#ping); Delivery headers',
  verifier: '@octokit/webhooks: `webhooks.verifyAndReceive({ id, name, payload, signature })` or `createNodeMiddleware(webhooks)`, over the raw body',
  newId: () => randomUUID(),
  // GitHub's first delivery to a new hook: `ping`, with the headers every GitHub delivery carries.
  event: (_id, now) => ({
    headers: {
      'content-type': 'application/json',
      'User-Agent': 'GitHub-Hookshot/044aadd',
      'X-GitHub-Event': 'ping',
      'X-GitHub-Hook-ID': '292430182',
      'X-GitHub-Hook-Installation-Target-Type': 'repository',
      'X-GitHub-Hook-Installation-Target-ID': '79929171',
    },
    body: {
      zen: 'Keep it logically awesome.',
      hook_id: 292430182,
      hook: {
        type: 'Repository',
        id: 292430182,
        name: 'web',
        active: true,
        events: ['push'],
        config: { content_type: 'json', insecure_ssl: '0', url: 'https://example.test/webhook' },
        created_at: new Date(now * 1000).toISOString(),
      },
      repository: { id: 79929171, name: 'hello-world', full_name: 'octo-org/hello-world', private: false },
      sender: { login: 'octocat', id: 583231, type: 'User' },
    },
  }),
  features: ['scheme-label', 'shared-secret'],
  headers: { signature: 'X-Hub-Signature-256', id: 'X-GitHub-Delivery' },
  label: 'sha256',
  wrongLabel: 'sha1',
  encoding: 'hex',
  generateKeys: () => ({ signingKey: randomText(40) }),
  sign: ({ body, signingKey }) => hmac('sha256', signingKey, body),
  render: ({ id, entries }) => ({
    ...present('X-GitHub-Delivery', id),
    ...(entries.length > 0 ? { 'X-Hub-Signature-256': joinEntries(entries, '=', ',') } : {}),
  }),
};
