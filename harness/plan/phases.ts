import { unavailableCapabilities, type ResolvedConfig } from '../config/index.js';
import type { Scenario } from '../model.js';
import { makePlan, type Plan } from './plan.js';

/** One pass over the listener with one signature profile. */
export interface Phase {
  profile: string | null;
  plan: Plan;
}

/** One phase per profile, in order: the first runs every layer; the others only the signature
 * layer, which is all a profile changes. Without a profile, one phase. Pure. */
export function planPhases(catalog: readonly Scenario[], config: ResolvedConfig): Phase[] {
  const profiles = config.profiles.length > 0 ? config.profiles : [null];
  return profiles.map((profile, i) => ({
    profile,
    plan: makePlan(catalog, { ...config, profile, unavailable: unavailableCapabilities(config.own, config.target), ...(i > 0 ? { layers: ['sig'] as const } : {}) }),
  }));
}
