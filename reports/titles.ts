import type { Layer, RunResult, ScenarioResult } from '../harness/model.js';
import type { LayerGroup } from './group.js';

export const LAYER_TITLES: Record<Layer, string> = { mtls: 'mTLS', transport: 'Transport', sig: 'Signatures', drills: 'Drills' };

/** A group's heading: the layer, and the signature profile it ran with. */
export function groupTitle(group: Pick<LayerGroup<{ layer: Layer }>, 'layer' | 'profile'>): string {
  return group.layer === 'sig' && group.profile !== null ? `${LAYER_TITLES.sig} (${group.profile})` : LAYER_TITLES[group.layer];
}

/** A scenario's name in a report: its id, and the profile when several ran (each signature
 * scenario runs once per profile, so the id alone is ambiguous). */
export function scenarioLabel(s: Pick<ScenarioResult, 'id' | 'layer' | 'profile'>, result: Pick<RunResult, 'profiles'>): string {
  return result.profiles.length > 1 && s.layer === 'sig' && s.profile !== null ? `${s.id} (${s.profile})` : s.id;
}
