import { join } from 'node:path';
import type { Vitest } from 'vitest/node';
import { RecordCollector, type TestListener } from './collector.js';
import type { BrokenTest, ScenarioRecord } from '../model.js';
import type { ProvidedSuiteContext, SuiteContext } from '../execute/index.js';
import { TargetGate } from './target-gate.js';
import { SUITES_DIR } from '../package-info.js';
import { drillDepth } from './drill-depth.js';

/** The suite files: every layer's scenarios (side by side), or the drills. */
export type SuiteFile = 'layers' | 'drills';

/** A phase's context but for the listener's origin, which the target gate brings. */
export type PhaseContext = Omit<SuiteContext, 'origin'>;

export interface SuitesOutcome {
  records: ScenarioRecord[];
  broken: BrokenTest[];
}

// Loaded on demand: `list` and `certs` never pay for vitest.
let vitestNode: Promise<typeof import('vitest/node')> | undefined;
const loadVitest = () => (vitestNode ??= import('vitest/node'));

/** Starts loading vitest, so that it loads while the kit is built and the target starts. */
export function preloadVitest(): void {
  void loadVitest();
}

/** The harness's own compiled modules, which the suites import: loaded by Node as they are, not
 * through Vite's transform pipeline (already JavaScript; this saves a third of the suites' start). */
const NATIVE_MODULES = [/[/\\]dist[/\\](harness|certs|reports|suites[/\\]catalog)[/\\]/];

/** The harness's side of vitest: one vitest instance for the whole run (its start is paid once,
 * while the kit is built and the target starts), running a suite file per phase with that phase's
 * context provided. No user config, no watching, a cache directory of the run's own. */
export class SuiteRunner {
  /** The gate of the suite file running now, or of the last one. */
  private gate: TargetGate | undefined;

  private constructor(
    private readonly vitest: Vitest,
    /** vitest sets the exit code from its own view of the tests; the verdicts decide ours. */
    private readonly exitCode: typeof process.exitCode,
    private readonly collector: RecordCollector,
  ) {}

  static async open(cacheDir: string): Promise<SuiteRunner> {
    const { createVitest } = await loadVitest();
    const exitCode = process.exitCode;
    const collector = new RecordCollector();
    const vitest = await withoutNewExitHandlers(() => createVitest(
      'test',
      {
        config: false,
        watch: false,
        root: SUITES_DIR,
        dir: SUITES_DIR,
        include: ['*.suite.js'],
        pool: 'threads',
        isolate: false,
        maxConcurrency: 16,
        reporters: [collector],
        passWithNoTests: false,
        server: { deps: { external: NATIVE_MODULES } },
      },
      { cacheDir, logLevel: 'silent' },
    ));
    await vitest.standalone();
    return new SuiteRunner(vitest, exitCode, collector);
  }

  /** Runs one suite file against `ctx` and the listener at `origin`: the file starts at once (vitest's
   * worker starts and collects it while the listener starts), its tests once `origin` settles.
   * Rejects with the listener's error if it never became ready. `onTest` hears of each test as it
   * ends (progress). */
  async run(ctx: PhaseContext, suite: SuiteFile, origin: Promise<string>, onTest?: TestListener): Promise<SuitesOutcome> {
    const gate = new TargetGate();
    this.gate = gate;
    try {
      gate.follow(origin);
      const provided: ProvidedSuiteContext = { ...ctx, targetGate: gate.name, testTimeoutMs: testTimeoutMs(ctx) };
      this.vitest.provide('whc', provided);
      const spec = this.vitest.getRootProject().createSpecification(join(SUITES_DIR, `${suite}.suite.js`));
      // Tests that fail because the listener never started are not news: its error is.
      let targetFailed = false;
      origin.catch(() => (targetFailed = true));
      this.collector.begin(onTest && ((ended) => targetFailed || onTest(ended)));
      await this.vitest.runTestSpecifications([spec], true);
      const outcome = this.collector.take();
      // The listener's own error, not the tests' failure to wait for it.
      await origin;
      return outcome;
    } finally {
      gate.close();
    }
  }

  async close(): Promise<void> {
    // A stop while a suite waits for its listener: vitest closes once that wait ends.
    this.gate?.abort('the run is stopping');
    await this.vitest.close();
    process.exitCode = this.exitCode;
  }
}

const EXIT_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The listeners now on the events that end a process. */
function exitListeners(): Set<Function> {
  return new Set([...EXIT_SIGNALS.flatMap((signal) => process.listeners(signal)), ...process.listeners('exit'), ...process.stdin.listeners('end')]);
}

/** Runs `create`, then takes away the handlers it added for SIGINT, SIGTERM, exit and stdin's end:
 * vite's server and vitest's logger each exit the process on them, which would skip the run's
 * teardown (run-guard.ts stops the target, removes the kit and closes vitest itself). */
async function withoutNewExitHandlers<T>(create: () => Promise<T>): Promise<T> {
  const before = exitListeners();
  try {
    return await create();
  } finally {
    const added = (listener: Function) => !before.has(listener);
    for (const signal of EXIT_SIGNALS) for (const listener of process.listeners(signal).filter(added)) process.off(signal, listener);
    for (const listener of process.listeners('exit').filter(added)) process.off('exit', listener);
    for (const listener of process.stdin.listeners('end').filter(added)) process.stdin.off('end', listener as () => void);
  }
}

/** The longest a timer waits (2^31 − 1 ms): a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Each scenario test's deadline, which only catches a harness bug: a scenario's own deadlines end
 * it first (each delivery at most 3 × timeoutMs, several one after another), but it may first wait
 * for a slot of the pace while every other scenario of the phase goes ahead of it. The run's own
 * deadline (--run-timeout) comes long before. */
function testTimeoutMs(ctx: PhaseContext): number {
  const perScenario = ctx.timeoutMs * (3 * mostDeliveries(ctx, ctx.timeoutMs) + 1);
  return Math.min(MAX_TIMER_MS, perScenario * (ctx.scenarios.length + ctx.drills.length) + 5000);
}

/** The most deliveries one scenario sends one after another: its setup, the judged one and its
 * variants, or a drill's rounds. */
function mostDeliveries({ scenarios, drills }: Pick<SuiteContext, 'scenarios' | 'drills'>, timeoutMs: number): number {
  return Math.max(1, ...scenarios.map((s) => (s.setup?.length ?? 0) + 1 + (s.variants?.length ?? 0)), ...drills.map((s) => 1 + drillDepth(s.drill, timeoutMs)));
}
