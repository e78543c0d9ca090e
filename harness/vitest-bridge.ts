import { RecordCollector, type BrokenTest } from '../reports/collector.js';
import type { SuiteContext } from './execute.js';
import type { Layer, ScenarioRecord } from './model.js';
import { SUITES_DIR } from './package-info.js';

export interface SuitesOutcome {
  records: ScenarioRecord[];
  broken: BrokenTest[];
}

/** Runs the layers' suite files with vitest's Node API: no user config, no watching, a cache
 * directory of the run's own, and the run context provided to the tests. */
export async function runSuites(ctx: SuiteContext, layers: readonly Layer[], cacheDir: string): Promise<SuitesOutcome> {
  // Loaded on demand: `list` and `certs` never pay for vitest.
  const { startVitest } = await import('vitest/node');
  const collector = new RecordCollector();
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
      // The default excludes node_modules, where an installed package's suites live.
      exclude: [],
      pool: 'threads',
      isolate: false,
      fileParallelism: true,
      maxConcurrency: 16,
      // A scenario's own deadlines end it first; this only catches a harness bug.
      testTimeout: ctx.timeoutMs * 4 + 5000,
      provide: { whc: ctx },
      reporters: [collector],
      passWithNoTests: false,
    },
    { cacheDir, logLevel: 'silent' },
  );
  await vitest.close();
  // vitest sets the exit code from its own view of the tests; the verdicts decide ours.
  process.exitCode = previousExitCode;
  return { records: collector.records, broken: collector.broken };
}
