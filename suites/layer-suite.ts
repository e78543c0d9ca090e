import { describe, inject, test } from 'vitest';
import { executeScenario, KitReader } from '../harness/execute/index.js';
import type { Layer, RunPosition, Scenario } from '../harness/model.js';

/** Declares one vitest test per planned scenario of a layer: the control first, the negatives
 * concurrently, then those that replay one after another, the control again last (a listener that
 * broke under the negatives shows there). */
export function defineLayerSuite(layer: Layer): void {
  const ctx = inject('whc');
  const kit = new KitReader(ctx.kitDir);
  const scenarios = ctx.scenarios.filter((s) => s.layer === layer);
  const controls = scenarios.filter((s) => s.control);
  // Scenarios with setup (replays) depend on the listener's state: they run one at a time, after the rest.
  const negatives = scenarios.filter((s) => !s.control && !s.setup);
  const stateful = scenarios.filter((s) => !s.control && s.setup);

  const declare = (scenario: Scenario, position: RunPosition) =>
    test(position === 'only' ? scenario.id : `${scenario.id} (${position})`, async ({ task }) => {
      const record = await executeScenario(scenario, ctx, kit, position);
      task.meta.whc = record;
    });

  describe(layer, () => {
    for (const control of controls) declare(control, 'first');
    describe.concurrent('negatives', () => {
      for (const negative of negatives) declare(negative, 'only');
    });
    describe.sequential('stateful', () => {
      for (const scenario of stateful) declare(scenario, 'only');
    });
    for (const control of controls) declare(control, 'last');
  });
}
