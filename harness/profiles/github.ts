import { hmac, randomText } from './crypto.js';
import { joinEntries, present, type Profile } from './profile.js';

export const github: Profile = {
  name: 'github',
  description: 'GitHub: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the body; `X-GitHub-Delivery` (not signed); no timestamp',
  reference: 'GitHub docs, Validating webhook deliveries',
  features: ['scheme-label', 'shared-secret'],
  headers: { signature: 'X-Hub-Signature-256', id: 'X-GitHub-Delivery' },
  label: 'sha256',
  wrongLabel: 'sha1',
  encoding: 'hex',
  generateKeys: () => ({ secret: randomText(40) }),
  sign: ({ body, secret }) => hmac('sha256', secret, body),
  render: ({ id, entries }) => ({
    ...present('X-GitHub-Delivery', id),
    ...(entries.length > 0 ? { 'X-Hub-Signature-256': joinEntries(entries, '=', ',') } : {}),
  }),
};
