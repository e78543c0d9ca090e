// The commands besides `run` and what they need: init, merge (the executable itself is harness/cli.ts).
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { initCommand } from './init-command.js';
export { mergeCommand } from './merge-command.js';
