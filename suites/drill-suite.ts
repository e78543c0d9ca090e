import { describe, inject, test } from 'vitest';
import { executeDrill, KitReader } from '../harness/execute/index.js';
import { contextWhenReady } from './ready-context.js';

/** Declares one vitest test per planned drill, one after another: a drill stresses the listener, so
 * two at once would blur which one broke it. The controls drill comes last of all. */
export function defineDrillSuite(): void {
  const provided = inject('whc');
  const kit = new KitReader(provided.kitDir);
  const ctx = contextWhenReady(provided);
  const last = (kind: string) => (kind === 'controls-after' ? 1 : 0);
  const ordered = [...provided.drills].sort((a, b) => last(a.drill.kind) - last(b.drill.kind));
  describe.sequential('drills', () => {
    for (const scenario of ordered) {
      test(scenario.id, async ({ task }) => {
        task.meta.whc = await executeDrill(scenario, ctx(), kit);
      }, provided.testTimeoutMs);
    }
  });
}
