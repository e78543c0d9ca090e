import type { PlannedDrill } from '../model.js';

/** How many deliveries a drill sends one after another at most: what its test's deadline must allow. */
export function drillDepth(drill: PlannedDrill, timeoutMs: number): number {
  const controls = 'controls' in drill ? drill.controls.length : 0;
  switch (drill.kind) {
    case 'load':
      return Math.ceil(drill.count / drill.concurrency) + controls;
    case 'oversized-body':
      return 2 + controls;
    case 'slow-headers':
      return Math.ceil(drill.withinMs / timeoutMs) + 1;
    case 'controls-after':
      return controls;
    case 'client-ca-rotation':
      return drill.accept.length + drill.reject.length;
  }
}
