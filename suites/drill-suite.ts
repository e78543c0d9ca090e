import { describe, inject, test } from 'vitest';
import { KitReader, executeDrill } from '../harness/execute/index.js';

/** Declares one vitest test per planned drill, one after another: a drill stresses the listener, so
 * two at once would blur which one broke it. The controls drill comes last of all. */
export function defineDrillSuite(): void {
  const ctx = inject('whc');
  const kit = new KitReader(ctx.kitDir);
  const last = (kind: string) => (kind === 'controls-after' ? 1 : 0);
  const ordered = [...ctx.drills].sort((a, b) => last(a.drill.kind) - last(b.drill.kind));
  describe.sequential('drills', () => {
    for (const scenario of ordered) {
      test(scenario.id, async ({ task }) => {
        task.meta.whc = await executeDrill(scenario, ctx, kit);
      }, ctx.testTimeoutMs);
    }
  });
}
