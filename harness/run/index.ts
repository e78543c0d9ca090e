// Run: one run from plan to reports in the CLI's process, the vitest bridge, progress and the drills.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { stdoutColor } from './color.js';
export { progressMode } from './progress.js';
export { runConformance } from './run.js';
export { stdoutIo, writeReports } from './write-reports.js';
