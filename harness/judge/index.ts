// Judge: outcomes into verdicts, results per scenario, side effects, baselines, the exit code.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
import type { Catalog, RunResult } from '../model.js';
import type { Baseline } from './baseline.js';
import type { BaselineUse, ReadBaseline } from './baseline-file.js';
export { applyBaseline, type Baseline } from './baseline.js';
export { judge, judgeFollowUp, judgeSetup, worstVerdict } from './judge.js';
export { exitCodeFor, finalizeResults, summarize } from './results.js';
export { countProcessed, probeSideEffects, sideEffectsMayChange } from './side-effects.js';
export { blameTargetExit, targetExitInfo } from './target-exit.js';

// Reading and writing a baseline file (its schema, zod) loads on first use: the suites' worker,
// which judges scenarios, never loads it.

/** Reads the run's baseline before anything starts: see baseline-file.ts. */
export async function readRunBaseline(use: BaselineUse, catalog: Catalog, cwd?: string): Promise<ReadBaseline> {
  return (await import('./baseline-file.js')).readRunBaseline(use, catalog, cwd);
}

/** Judges the result against the baseline, rewriting the file first when asked: see baseline-file.ts. */
export async function settleBaseline(result: RunResult, baseline: Baseline, use: BaselineUse, log: (text: string) => void, today?: Date): Promise<RunResult> {
  return (await import('./baseline-file.js')).settleBaseline(result, baseline, use, log, today);
}
