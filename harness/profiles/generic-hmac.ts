import { randomId, randomText, hmac, type HmacAlgorithm } from './crypto.js';
import type { ProfileFeature } from '../model.js';
import { present, type Profile, type ProviderEvent } from './profile.js';
import { z } from 'zod';

export const GENERIC_HMAC = 'generic-hmac';

/** A home-grown HMAC scheme, described in the config file's `genericHmac` field. */
export interface GenericHmacSettings {
  /** The header carrying the signature. */
  header: string;
  algorithm: HmacAlgorithm;
  encoding: 'hex' | 'base64';
  /** Text before the signature value, e.g. `sha256=`; empty for none. */
  prefix: string;
  /** The signed text: `{body}` and, optionally, `{timestamp}` and `{id}`, e.g. `{timestamp}.{body}`. */
  template: string;
  timestampHeader?: string;
  idHeader?: string;
}

const headerName = z.string({ error: 'expected a header name' }).regex(/^[A-Za-z0-9-]+$/, { error: 'expected a header name (letters, digits, -)' });

export const GenericHmacSchema = z
  .strictObject({
    header: headerName.default('X-Signature'),
    algorithm: z.enum(['sha256', 'sha512'], { error: 'expected sha256 or sha512' }).default('sha256'),
    encoding: z.enum(['hex', 'base64'], { error: 'expected hex or base64' }).default('hex'),
    prefix: z.string({ error: 'expected the text before the signature value, e.g. "sha256="' }).default(''),
    template: z
      .string({ error: 'expected the signed text, e.g. "{timestamp}.{body}"' })
      .refine((t) => t.split('{body}').length === 2, { error: 'expected a template with {body} exactly once' })
      .refine((t) => !/\{(?!body\}|timestamp\}|id\})[^}]*\}/.test(t), { error: 'expected only {body}, {timestamp} and {id} as placeholders' })
      .default('{body}'),
    timestampHeader: headerName.optional(),
    idHeader: headerName.optional(),
  })
  .check((ctx) => {
    const s = ctx.value;
    const uses = (p: string) => s.template.includes(`{${p}}`);
    // An unsigned timestamp can be swapped freely, so it protects nothing; a placeholder without a header cannot be sent.
    if (s.timestampHeader !== undefined && !uses('timestamp')) ctx.issues.push({ code: 'custom', input: s, path: ['template'], message: 'timestampHeader is set but the template has no {timestamp}: an unsigned timestamp protects nothing' });
    if (uses('timestamp') && s.timestampHeader === undefined) ctx.issues.push({ code: 'custom', input: s, path: ['timestampHeader'], message: 'the template signs {timestamp}: name the header that carries it' });
    if (uses('id') && s.idHeader === undefined) ctx.issues.push({ code: 'custom', input: s, path: ['idHeader'], message: 'the template signs {id}: name the header that carries it' });
  });

/** A home-grown event: what a listener of no particular provider (generic HMAC, or no signature at
 * all) is sent, its id in the body. */
export function homeGrownEvent(id: string): ProviderEvent {
  return { headers: { 'content-type': 'application/json' }, body: { type: 'invoice.paid', id, data: { amount: 1000, currency: 'EUR' } } };
}

export const newHomeGrownId = () => `msg_${randomId(27)}`;

// Independent of the settings, so a report's fix needs only the profile's name.
const GENERIC_VERIFIER = 'your own check: `crypto.createHmac(algorithm, secret)` over the signed text with the raw body bytes, compared with `crypto.timingSafeEqual` (after a length check) to the decoded signature header';

/** One character inserted before the prefix's last one: `sha256=` → `sha256x=`. */
function otherPrefix(prefix: string): string {
  return `${prefix.slice(0, -1)}x${prefix.slice(-1)}`;
}

function signedText(template: string, id: string, timestamp: string): [string, string] {
  const [before = '', after = ''] = template.split('{body}');
  const fill = (text: string) => text.replaceAll('{id}', id).replaceAll('{timestamp}', timestamp);
  return [fill(before), fill(after)];
}

export function genericHmac(settings: GenericHmacSettings): Profile {
  const signsTimestamp = settings.template.includes('{timestamp}');
  const signsId = settings.template.includes('{id}');
  const features: ProfileFeature[] = ['shared-secret'];
  if (signsTimestamp) features.push('timestamp');
  if (signsId) features.push('signed-id');
  if (settings.prefix !== '') features.push('scheme-label');
  return {
    name: GENERIC_HMAC,
    description: `generic: \`${settings.header}: ${settings.prefix}<${settings.encoding}>\`, HMAC-${settings.algorithm.toUpperCase()} of \`${settings.template}\`${[settings.timestampHeader, settings.idHeader].filter(Boolean).map((h) => `; \`${h}\``).join('')}`,
    reference: 'the listener\'s own documentation (config field genericHmac)',
    verifier: GENERIC_VERIFIER,
    newId: newHomeGrownId,
    event: homeGrownEvent,
    features,
    headers: { signature: settings.header, ...(settings.timestampHeader ? { timestamp: settings.timestampHeader } : {}), ...(settings.idHeader ? { id: settings.idHeader } : {}) },
    label: settings.prefix,
    ...(settings.prefix !== '' ? { wrongLabel: otherPrefix(settings.prefix) } : {}),
    encoding: settings.encoding,
    generateKeys: () => ({ signingKey: randomText(32) }),
    sign: ({ id, timestamp, body, signingKey }) => {
      const [before, after] = signedText(settings.template, id, timestamp);
      return hmac(settings.algorithm, signingKey, before, body, after);
    },
    render: ({ id, timestamp, entries }) => ({
      ...(settings.idHeader ? present(settings.idHeader, id) : {}),
      ...(settings.timestampHeader ? present(settings.timestampHeader, timestamp) : {}),
      // The prefix is the label, written right before the value.
      ...(entries.length > 0 ? { [settings.header]: entries.map((e) => `${e.label}${e.value}`).join(',') } : {}),
    }),
  };
}
