import { describe, inject, test } from 'vitest';
import { executeScenario, KitReader, paceFor, slowestMs } from '../harness/execute/index.js';
import type { Layer, RunPosition, Scenario, ScenarioRecord } from '../harness/model.js';

/** Declares one vitest test per planned scenario of a layer: the control first, the negatives
 * concurrently (paced to the listener), then those that replay one after another, the control
 * again last (a listener that broke under the negatives shows there). */
export function defineLayerSuite(layer: Layer): void {
  const ctx = inject('whc');
  const kit = new KitReader(ctx.kitDir);
  const scenarios = ctx.scenarios.filter((s) => s.layer === layer);
  const controls = scenarios.filter((s) => s.control);
  // Scenarios with setup (replays) depend on the listener's state: they run one at a time, after the rest.
  const negatives = scenarios.filter((s) => !s.control && !s.setup);
  const stateful = scenarios.filter((s) => !s.control && s.setup);

  const declare = (scenario: Scenario, position: RunPosition, paced = false) =>
    test(position === 'only' ? scenario.id : `${scenario.id} (${position})`, async ({ task }) => {
      task.meta.whc = paced ? await pacedScenario(scenario, position) : await executeScenario(scenario, ctx, kit, position);
    });
  // The negatives go as many at a time as the listener takes (harness/pace.ts).
  const pacedScenario = async (scenario: Scenario, position: RunPosition): Promise<ScenarioRecord> => {
    const release = await paceFor(ctx.origin).acquire();
    let record: ScenarioRecord | undefined;
    try {
      record = await executeScenario(scenario, ctx, kit, position);
      return record;
    } finally {
      release(record && slowestMs(record.sent));
    }
  };

  describe(layer, () => {
    for (const control of controls) declare(control, 'first');
    describe.concurrent('negatives', () => {
      for (const negative of negatives) declare(negative, 'only', true);
    });
    describe.sequential('stateful', () => {
      for (const scenario of stateful) declare(scenario, 'only');
    });
    for (const control of controls) declare(control, 'last');
  });
}
