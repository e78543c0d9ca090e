// The commands: one *-command.ts each, and what they need (the executable itself is harness/cli.ts).
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { initCommand } from './init-command.js';
export { mergeCommand } from './merge-command.js';
export { certsCommand } from './certs-command.js';
export { listCommand } from './list-command.js';
export { runCommand } from './run-command.js';
export { reproCommand } from './repro-command.js';
