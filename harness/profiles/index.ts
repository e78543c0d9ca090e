import { discord } from './discord.js';
import { DEFAULT_GENERIC_HMAC, GENERIC_HMAC, genericHmac, type GenericHmacSettings } from './generic-hmac.js';
import { github } from './github.js';
import { pagerduty } from './pagerduty.js';
import type { Profile, SigningKeys } from './profile.js';
import { shopify } from './shopify.js';
import { slack } from './slack.js';
import { standardWebhooks, standardWebhooksEd25519, svix } from './standard-webhooks.js';
import { stripe } from './stripe.js';

export type { Profile, ProviderEvent, SignatureEntry, SignedParts, SigningInput, SigningKeys } from './profile.js';
export { DEFAULT_GENERIC_HMAC, GENERIC_HMAC, homeGrownEvent, newHomeGrownId, type GenericHmacSettings } from './generic-hmac.js';

/** The providers' schemes, fixed by their documentation. */
export const PROFILES: ReadonlyMap<string, Profile> = new Map(
  [standardWebhooks, standardWebhooksEd25519, svix, stripe, github, slack, shopify, pagerduty, discord].map((p) => [p.name, p]),
);
/** Every profile name a user may choose: the providers' and the configurable generic HMAC. */
export const PROFILE_NAMES: readonly string[] = [...PROFILES.keys(), GENERIC_HMAC];
export const DEFAULT_PROFILE = standardWebhooks.name;
/** `none`: the listener checks no payload signature; signature scenarios are skipped. */
export const NO_PROFILE = 'none';

/** The profile of that name; `generic-hmac` is built from its settings. Undefined for an unknown name. */
export function findProfile(name: string, generic: GenericHmacSettings = DEFAULT_GENERIC_HMAC): Profile | undefined {
  return name === GENERIC_HMAC ? genericHmac(generic) : PROFILES.get(name);
}

/** Fresh keys for every profile: what a kit's `secrets.json` holds. */
export function generateAllKeys(): Record<string, SigningKeys> {
  return Object.fromEntries(PROFILE_NAMES.map((name) => [name, findProfile(name)?.generateKeys() ?? { signingKey: '' }]));
}
