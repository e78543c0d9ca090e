import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderConsole, writeJson, writeJunit } from '../reports/index.js';
import { CATALOG } from '../suites/catalog/index.js';
import type { ResolvedConfig } from './config.js';
import { HarnessError } from './errors.js';
import type { SuiteContext } from './execute.js';
import { LAYERS, type RunResult } from './model.js';
import { PACKAGE_VERSION } from './package-info.js';
import { existingKit, generateKit } from './kit.js';
import { makePlan } from './plan.js';
import { exitCodeFor, finalizeResults, summarize } from './results.js';
import { SERVER_NAME, startTarget } from './target/start.js';
import { Teardown } from './teardown.js';
import { runSuites } from './vitest-bridge.js';

export interface RunIo {
  write(text: string): void;
  color: boolean;
  /** Terminal columns, when writing to one. */
  width?: number;
}

async function writeReports(result: RunResult, config: ResolvedConfig, io: RunIo): Promise<void> {
  io.write(renderConsole(result, { color: io.color, width: io.width }));
  const written: string[] = [];
  if (config.reporters.includes('json')) written.push(await writeJson(result, config.outputDir));
  if (config.reporters.includes('junit')) written.push(await writeJunit(result, config.outputDir));
  for (const file of written) io.write(`report written: ${file}\n`);
}

/** One conformance run, from plan to reports; returns the exit code. Everything it started is
 * stopped and the kit removed on every path out, SIGINT and SIGTERM included. */
export async function runConformance(config: ResolvedConfig, io: RunIo): Promise<number> {
  const startedAt = new Date();
  const plan = makePlan(CATALOG, config);
  if (plan.run.length + plan.skipped.length === 0) {
    throw new HarnessError('no scenario matches the --include/--exclude globs: see wh-conformance list for the ids');
  }
  const teardown = new Teardown();
  const onSignal = (signal: NodeJS.Signals) => {
    io.write(`\n${signal}: stopping the target and removing the kit\n`);
    void teardown.run().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const kit = config.target.kind === 'url' ? await existingKit(config.target.certs, config, plan) : await generateKit(config, plan, teardown, (text) => io.write(text));
    const target = await startTarget(config, kit, teardown);
    const cacheDir = await mkdtemp(join(tmpdir(), 'whc-vitest-'));
    teardown.add(() => rm(cacheDir, { recursive: true, force: true }));

    const ctx: SuiteContext = {
      scenarios: plan.run,
      kitDir: kit.paths.dir,
      origin: target.origin,
      servername: SERVER_NAME,
      path: config.path,
      mtls: config.mtls,
      profile: config.profile,
      secret: kit.secret ?? '',
      toleranceSeconds: config.toleranceSeconds,
      timeoutMs: config.timeoutMs,
    };
    const layers = LAYERS.filter((layer) => plan.run.some((s) => s.layer === layer));
    const { records, broken } = layers.length > 0 ? await runSuites(ctx, layers, cacheDir) : { records: [], broken: [] };

    const scenarios = finalizeResults(plan, records, broken, config.profile);
    const summary = summarize(scenarios);
    const result: RunResult = {
      schemaVersion: 1,
      tool: { name: 'wh-conformance', version: PACKAGE_VERSION },
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      target: target.info,
      profile: config.profile,
      mtls: config.mtls,
      capabilities: config.capabilities,
      summary,
      scenarios,
    };
    await writeReports(result, config, io);
    const died = target.describeExit();
    if (died) io.write(`${died} during the run; its last output:\n${target.output(20).map((l) => `  ${l}\n`).join('')}`);
    return exitCodeFor(summary);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown.run();
  }
}
