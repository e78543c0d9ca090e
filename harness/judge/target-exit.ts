import type { ScenarioResult, TargetExitInfo } from '../model.js';
import type { RunningTarget } from '../target/index.js';

/** Lines of the target's output a report keeps. */
const OUTPUT_LINES = 20;

/** How a started target ended mid-run, for the report; undefined while it runs. */
export function targetExitInfo(target: RunningTarget): TargetExitInfo | undefined {
  const reason = target.describeExit();
  return reason ? { reason, output: target.output(OUTPUT_LINES) } : undefined;
}

/** Once the target has exited, a scenario that could not be carried out says so: its error is the
 * exit, not the refused connection it saw. Pure. */
export function blameTargetExit(results: readonly ScenarioResult[], exit: TargetExitInfo | undefined): ScenarioResult[] {
  if (!exit) return [...results];
  return results.map((r) => (r.verdict === 'error' ? { ...r, reason: `${exit.reason}: the scenario could not be judged` } : r));
}
