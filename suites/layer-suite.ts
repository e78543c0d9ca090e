import { describe, inject, test } from 'vitest';
import { executeScenario, KitReader, paceFor, slowestMs, type SuiteContext } from '../harness/execute/index.js';
import { contextWhenReady } from './ready-context.js';
import type { Layer, RunPosition, Scenario, ScenarioRecord } from '../harness/model.js';

/** Declares the planned scenarios of every layer, one vitest test each. The layers run side by side
 * in one worker (one worker's start-up, not three; a layer waits on the listener, not on the CPU);
 * within a layer, the order holds (defineLayerSuite). */
export function defineLayerSuites(): void {
  const provided = inject('whc');
  const kit = new KitReader(provided.kitDir);
  const ctx = contextWhenReady(provided);
  // In the plan's order, which is the catalog's.
  for (const layer of new Set(provided.scenarios.map((s) => s.layer))) {
    defineLayerSuite(layer, provided.scenarios.filter((s) => s.layer === layer), provided.testTimeoutMs, ctx, kit);
  }
}

/** One layer: the control first, the negatives concurrently, then those that replay one after
 * another, the control again last (a listener that broke under the negatives shows there); every
 * scenario waits for a slot of the pace. The layer's describe is concurrent with the other layers';
 * its own children are sequential unless they say otherwise. */
function defineLayerSuite(layer: Layer, scenarios: readonly Scenario[], testTimeoutMs: number, ctx: () => SuiteContext, kit: KitReader): void {
  const controls = scenarios.filter((s) => s.control);
  // Scenarios with setup (replays) depend on the listener's state: they run one at a time, after the rest.
  const negatives = scenarios.filter((s) => !s.control && !s.setup);
  const stateful = scenarios.filter((s) => !s.control && s.setup);

  const declare = (scenario: Scenario, position: RunPosition, concurrent = false) =>
    (concurrent ? test.concurrent : test.sequential)(position === 'only' ? scenario.id : `${scenario.id} (${position})`, async ({ task }) => {
      task.meta.whc = await pacedScenario(scenario, position);
    }, testTimeoutMs);
  // Every layer's deliveries, side by side, go as many at a time as the listener takes
  // (harness/pace.ts): its controls and replays count too, or a small accept queue overflows.
  const pacedScenario = async (scenario: Scenario, position: RunPosition): Promise<ScenarioRecord> => {
    const release = await paceFor(ctx().origin).acquire();
    let record: ScenarioRecord | undefined;
    try {
      record = await executeScenario(scenario, ctx(), kit, position);
      return record;
    } finally {
      release(record && slowestMs(record.sent));
    }
  };

  describe.concurrent(layer, () => {
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
