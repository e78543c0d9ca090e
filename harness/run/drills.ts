import type { TestListener } from './collector.js';
import type { BrokenTest, PlannedDrillScenario, ScenarioRecord, TargetExitInfo } from '../model.js';
import type { ResolvedConfig } from '../config/index.js';
import { type RunKit, maskKitSecrets, RUN_SECRETS, writeRotationTrust, type KitByRotationStep } from '../kit/index.js';
import { HarnessError } from '../errors.js';
import type { Plan, DrillPhase } from '../plan/index.js';
import { targetExitInfo } from '../judge/index.js';
import { startTarget, type RunningTarget } from '../target/index.js';
import type { Teardown } from '../teardown.js';
import type { PhaseContext, SuiteRunner } from './vitest-bridge.js';

export interface DrillRun {
  config: ResolvedConfig;
  kit: RunKit;
  teardown: Teardown;
  /** The run's vitest. */
  suites(): Promise<SuiteRunner>;
  /** The listener the other layers ran against. */
  target: RunningTarget;
  /** What the suites get to run `plan` with `kit`. */
  context(plan: Plan<PlannedDrillScenario>, kit: RunKit): PhaseContext;
  onTest?: TestListener;
}

export interface DrillOutcome {
  plan: Plan;
  records: ScenarioRecord[];
  broken: BrokenTest[];
  /** Set when the listener exited while this phase ran (read before the next restart stops it). */
  exit: TargetExitInfo | undefined;
}

/** Runs the drill phases after the other layers: the drills against the running
 * listener, then each rotation step against the listener restarted with that step's client roots. */
export async function runDrills(phases: readonly DrillPhase[], run: DrillRun): Promise<DrillOutcome[]> {
  const outcomes: DrillOutcome[] = [];
  let target = run.target;
  let rotation: KitByRotationStep | undefined;
  for (const { plan, restart } of phases) {
    let kit = run.kit;
    if (restart) {
      if (!rotation) {
        rotation = await writeRotationTrust(run.kit);
        await maskKitSecrets(run.kit, RUN_SECRETS);
      }
      kit = rotation[restart];
      // A listener reads its trust anchors at start-up: the drill is the restart.
      await target.stop();
      try {
        target = await startTarget(run.config, kit, run.teardown);
      } catch (err) {
        if (!(err instanceof HarnessError)) throw err;
        const message = `the listener did not start again with the rotated client roots: ${err.message}`;
        outcomes.push({ plan, records: [], broken: plan.run.map((s) => ({ name: s.id, message })), exit: undefined });
        continue;
      }
    }
    const suites = plan.run.length > 0 ? await (await run.suites()).run(run.context(plan, kit), 'drills', Promise.resolve(target.origin), run.onTest) : { records: [], broken: [] };
    outcomes.push({ plan, ...suites, exit: targetExitInfo(target) });
  }
  return outcomes;
}
