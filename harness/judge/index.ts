// Judge: outcomes into verdicts, results per scenario, side effects, baselines, the exit code.
// Other folders import this stage through this file only (docs/ARCHITECTURE.md).
export { readRunBaseline, settleBaseline } from './baseline-file.js';
export { applyBaseline, type Baseline } from './baseline.js';
export { judge, judgeFollowUp, judgeSetup, worstVerdict } from './judge.js';
export { exitCodeFor, finalizeResults, summarize } from './results.js';
export { countProcessed, probeSideEffects, sideEffectsMayChange } from './side-effects.js';
export { blameTargetExit, targetExitInfo } from './target-exit.js';
