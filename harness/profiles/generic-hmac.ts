import { randomId, randomText, hmac, type HmacAlgorithm } from './crypto.js';
import type { ProfileFeature } from '../model.js';
import { present, type Profile, type ProviderEvent } from './profile.js';

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

/** The generic scheme when the config describes none: `X-Signature: <hex HMAC-SHA256 of the body>`.
 * The config's schema (config/generic-hmac-schema.ts) fills in these defaults. */
export const DEFAULT_GENERIC_HMAC: GenericHmacSettings = { header: 'X-Signature', algorithm: 'sha256', encoding: 'hex', prefix: '', template: '{body}' };

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
