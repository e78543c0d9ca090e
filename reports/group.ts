import type { Layer } from '../harness/model.js';
import { LAYERS } from '../harness/vocabulary.js';

export interface LayerGroup<T extends { layer: Layer; profile?: string | null }> {
  layer: Layer;
  /** The signature profile the group ran with, when its scenarios carry one. */
  profile: string | null;
  scenarios: T[];
}

/** Scenarios by layer, in `LAYERS` order, and within a layer by profile (a run with several
 * profiles has one signature group per profile), keeping their order; empty groups are left out. */
export function groupByLayer<T extends { layer: Layer; profile?: string | null }>(scenarios: readonly T[]): LayerGroup<T>[] {
  return LAYERS.flatMap((layer) => {
    const inLayer = scenarios.filter((s) => s.layer === layer);
    const profiles = [...new Set(inLayer.map((s) => s.profile ?? null))];
    return profiles.map((profile) => ({ layer, profile, scenarios: inLayer.filter((s) => (s.profile ?? null) === profile) }));
  });
}
