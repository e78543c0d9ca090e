import type { Layer } from '../harness/model.js';
import type { LayerGroup } from './group.js';

export const LAYER_TITLES: Record<Layer, string> = { mtls: 'mTLS', transport: 'Transport', sig: 'Signatures', robust: 'Robustness drills' };

/** A group's heading: the layer, and the signature profile it ran with. */
export function groupTitle(group: Pick<LayerGroup<{ layer: Layer }>, 'layer' | 'profile'>): string {
  return group.layer === 'sig' && group.profile !== null ? `${LAYER_TITLES.sig} (${group.profile})` : LAYER_TITLES[group.layer];
}
