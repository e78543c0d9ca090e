// Execute: one scenario inside a vitest worker, the suites' side of the bridge: build its deliveries,
// send them, classify and judge what happened, and leave the record in the test's meta.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { executeDrill } from './execute-drill.js';
export { executeScenario, KitReader, type ProvidedSuiteContext, type SuiteContext } from './execute.js';
// What the suites get and leave (a vitest module augmentation): loaded with this folder.
import type {} from './vitest-context.js';
export { paceFor, slowestMs } from './pace.js';
export { awaitSuiteContext, type GateMessage } from './target-gate.js';
