import { RecordCollector, type TestListener } from './collector.js';
import type { BrokenTest, Layer, ScenarioRecord } from '../model.js';
import type { SuiteContext } from '../execute/index.js';
import { SUITES_DIR } from '../package-info.js';
import { drillDepth } from './drill-depth.js';

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

/** Runs the layers' suite files with vitest's Node API: no user config, no watching, a cache
 * directory of the run's own, and the run context provided to the tests. */
export async function runSuites(ctx: SuiteContext, layers: readonly Layer[], cacheDir: string, onTest?: TestListener): Promise<SuitesOutcome> {
  const { startVitest } = await loadVitest();
  const collector = new RecordCollector(onTest);
  const previousExitCode = process.exitCode;
  const vitest = await startVitest(
    'test',
    [],
    {
      config: false,
      watch: false,
      root: SUITES_DIR,
      dir: SUITES_DIR,
      include: layers.map((layer) => `${layer}.suite.js`),
      pool: 'threads',
      isolate: false,
      fileParallelism: true,
      maxConcurrency: 16,
      // A scenario's own deadlines end it first (each delivery at most 3 × timeoutMs, and a scenario
      // may send several one after another); this only catches a harness bug.
      testTimeout: ctx.timeoutMs * (3 * mostDeliveries(ctx, ctx.timeoutMs) + 1) + 5000,
      provide: { whc: ctx },
      reporters: [collector],
      passWithNoTests: false,
      server: { deps: { external: NATIVE_MODULES } },
    },
    { cacheDir, logLevel: 'silent' },
  );
  await vitest.close();
  // vitest sets the exit code from its own view of the tests; the verdicts decide ours.
  process.exitCode = previousExitCode;
  return { records: collector.records, broken: collector.broken };
}

/** The most deliveries one scenario sends one after another: its setup, the judged one and its
 * variants, or a drill's rounds. */
function mostDeliveries({ scenarios, drills }: Pick<SuiteContext, 'scenarios' | 'drills'>, timeoutMs: number): number {
  return Math.max(1, ...scenarios.map((s) => (s.setup?.length ?? 0) + 1 + (s.variants?.length ?? 0)), ...drills.map((s) => 1 + drillDepth(s.drill, timeoutMs)));
}
