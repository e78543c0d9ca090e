import { LAYERS, type Layer } from '../harness/model.js';

export interface LayerGroup<T extends { layer: Layer }> {
  layer: Layer;
  scenarios: T[];
}

/** Scenarios by layer, in `LAYERS` order, keeping their order within a layer; layers with none are left out. */
export function groupByLayer<T extends { layer: Layer }>(scenarios: readonly T[]): LayerGroup<T>[] {
  return LAYERS.map((layer) => ({ layer, scenarios: scenarios.filter((s) => s.layer === layer) })).filter(
    (group) => group.scenarios.length > 0,
  );
}
