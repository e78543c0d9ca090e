import type { Profile } from './profile.js';
import { standardWebhooks } from './standard-webhooks.js';

export type { Profile, SigningInput } from './profile.js';

export const PROFILES: ReadonlyMap<string, Profile> = new Map([[standardWebhooks.name, standardWebhooks]]);
export const DEFAULT_PROFILE = standardWebhooks.name;
/** `none`: the listener checks no payload signature; signature scenarios are skipped. */
export const NO_PROFILE = 'none';

export function findProfile(name: string): Profile | undefined {
  return PROFILES.get(name);
}
