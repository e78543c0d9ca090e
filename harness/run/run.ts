import { readFile, rm } from 'node:fs/promises';
import { INSECURE_SERVER_WARNING, type ResolvedConfig } from '../config/index.js';
import { readRunBaseline, settleBaseline } from '../judge/index.js';
import { HarnessError } from '../errors.js';
import { makeRunDir, removeDeadRunDirs, removeOnExit } from '../kit/index.js';
import { REPORT_SCHEMA_VERSION, type BrokenTest, type Catalog, type PlannedDrillScenario, type RunResult, type ScenarioInfo, type ScenarioRecord, type TargetExitInfo } from '../model.js';
import { PACKAGE_VERSION } from '../package-info.js';
import { existingKit, generateKit, kitFor, type RunKit } from '../kit/index.js';
import { maskKitSecrets } from '../kit/index.js';
import { planPhases, type Phase } from '../plan/index.js';
import { Progress, type ProgressMode } from './progress.js';
import { repeatPlan } from '../plan/index.js';
import { exitCodeFor, finalizeResults, summarize } from '../judge/index.js';
import { drillSourcePlan, planDrills, withCurrentIds } from '../plan/index.js';
import { runDrills } from './drills.js';
import { guardRun } from './run-guard.js';
import { checkOutputPaths } from './output-paths.js';
import { RUN_SECRETS } from '../kit/index.js';
import { shardPlans } from '../plan/index.js';
import { countProcessed, probeSideEffects } from '../judge/index.js';
import { blameTargetExit, targetExitInfo } from '../judge/index.js';
import { SERVER_NAME, startTarget } from '../target/index.js';
import type { RunningTarget } from '../target/index.js';
import { Teardown } from '../teardown.js';
import { SuiteRunner, type PhaseContext, type SuitesOutcome } from './vitest-bridge.js';
import { writeReports, type ReportIo } from './write-reports.js';

export interface RunIo extends ReportIo {
  /** How to show progress while the scenarios run; none when absent. */
  progress?: ProgressMode;
}

interface PhaseOutcome {
  phase: Phase;
  records: ScenarioRecord[];
  broken: BrokenTest[];
  /** Set when the target exited while the phase ran. */
  exit?: TargetExitInfo;
}

/** One conformance run, from plan to reports; returns the exit code. The signature layer runs once
 * per profile, a started target restarted with each profile's key. Everything it started is stopped
 * and the kit removed on every path out, SIGINT and SIGTERM included. */
export async function runConformance(given: ResolvedConfig, catalog: Catalog, io: RunIo): Promise<number> {
  const startedAt = new Date();
  // Every line the run prints goes through the mask: a listener's output may hold its secrets.
  const out: RunIo = { ...io, write: (text: string) => io.write(RUN_SECRETS.mask(text)) };
  const { options: config, notices } = withCurrentIds(given, catalog);
  for (const notice of notices) out.write(`${notice}\n`);
  const unsharded = planPhases(catalog.scenarios, config);
  const allDrills = config.drills ? planDrills(catalog, config) : [];
  if ([...unsharded, ...allDrills].every(({ plan }) => plan.run.length + plan.skipped.length === 0)) {
    throw new HarnessError('no scenario matches the --include/--exclude globs: see wh-conformance list for the ids');
  }
  const phases = shardPlans(unsharded, config.shard).map((phase) => ({ ...phase, plan: repeatPlan(phase.plan, config.repeat) }));
  // Drills go with the first shard, so merged shards hold them once.
  const drills = (config.shard?.index ?? 1) === 1 ? allDrills : [];
  const baselineUse = config.baseline ? { path: config.baseline, update: config.updateBaseline } : undefined;
  const plans = [...phases, ...drills].map((p) => p.plan).concat(drillSourcePlan(drills));
  const teardown = new Teardown();
  // Before anything starts: a report path that cannot be written fails now, not after the run.
  teardown.add(checkOutputPaths(config));
  const release = guardRun({ teardown, write: (text) => out.write(text), runTimeoutMs: config.runTimeoutMs });
  // A run killed with SIGKILL had no teardown: its kit (private keys) and caches go now.
  removeDeadRunDirs();
  try {
    // Synchronous, like the kit's: no signal comes between creating it and registering its removal.
    const cacheDir = makeRunDir('vitest');
    teardown.add(() => rm(cacheDir, { recursive: true, force: true }));
    removeOnExit(cacheDir);
    // vitest starts while the kit is built and the target starts; it is closed on every path out,
    // and a failure to start surfaces where it is first needed.
    const opening = SuiteRunner.open(cacheDir);
    opening.catch(() => undefined);
    teardown.add(async () => (await opening.catch(() => undefined))?.close());
    const baseline = baselineUse ? await readRunBaseline(baselineUse, catalog) : undefined;
    for (const notice of baseline?.notices ?? []) out.write(`${notice}\n`);
    const kit =
      config.target.kind === 'url' && config.target.certs !== undefined
        ? await existingKit(config.target.certs, config, plans, teardown)
        : await generateKit(config, plans, teardown, (text) => out.write(text));
    await maskKitSecrets(kit, RUN_SECRETS);

    // Every target started, with the profile it was started with: the first is the report's.
    const started: Array<{ target: RunningTarget; profile: string | null }> = [];
    const outcomes: PhaseOutcome[] = [];
    // Skipped scenarios count: the total is the summary's from the first line on.
    const total = [...phases, ...drills].reduce((n, { plan }) => n + plan.run.length + plan.skipped.length, 0);
    const progress = out.progress ? new Progress(out, out.progress, total) : undefined;
    // The progress line is closed before anything else is undone, as the report closes it.
    if (progress) teardown.addFirst(() => progress.finish());
    const probed = kit.eventsFile !== undefined;
    for (const phase of phases) {
      progress?.beginPhase({ profile: phase.profile, run: phase.plan.run, skipped: phase.plan.skipped, probed });
      if (started.length > 0 && phase.plan.run.length === 0) {
        outcomes.push({ phase, records: [], broken: [] });
        continue;
      }
      // A listener reads its profile at start-up: the previous one stops before the next starts.
      await started.at(-1)?.target.stop();
      const phaseKit = kitFor(kit, phase.profile);
      const starting = startTarget({ ...config, profile: phase.profile }, phaseKit, teardown);
      // The suite file starts while the listener does; its tests wait for it (run/target-gate.ts).
      const suites: Promise<SuitesOutcome> =
        phase.plan.run.length > 0
          ? opening.then((runner) => runner.run(phaseContext(config, phase, phaseKit), 'layers', starting.then((t) => t.origin), (ended) => progress?.testEnded(ended)))
          : Promise.resolve({ records: [], broken: [] });
      const [target, { records, broken }] = await bothSettled(starting, suites);
      started.push({ target, profile: phase.profile });
      // Read now: stopping the target for the next phase sets its exit too.
      const exit = targetExitInfo(target);
      outcomes.push({ phase, records, broken, ...(exit ? { exit } : {}) });
      const during = phase.profile && phases.length > 1 ? ` during the ${phase.profile} run` : ' during the run';
      if (exit) out.write(`${exit.reason}${during}; its last output:\n${exit.output.map((l) => `  ${l}\n`).join('')}`);
    }
    const [first] = started;
    const last = started.at(-1);
    if (!first || !last) throw new HarnessError('no target was started');
    // The drills sign with the run's first profile: the listener must have been started with it.
    const drillKit = kitFor(kit, config.profile);
    const restart = drills.length > 0 && last.profile !== config.profile;
    if (restart) await last.target.stop();
    progress?.beginPhase({ profile: config.profile, run: drills.flatMap((d) => d.plan.run), skipped: drills.flatMap((d) => d.plan.skipped), probed });
    const drilled = await runDrills(drills, {
      config,
      kit: drillKit,
      teardown,
      suites: () => opening,
      target: restart ? await startTarget(config, drillKit, teardown) : last.target,
      context: (plan, drillKit) => phaseContext(config, { profile: config.profile, plan: { run: [], skipped: [] } }, drillKit, plan.run),
      onTest: (ended) => progress?.testEnded(ended),
    });
    for (const drill of drilled) {
      if (drill.exit) out.write(`${drill.exit.reason} during the drills; its last output:\n${drill.exit.output.map((l) => `  ${l}\n`).join('')}`);
      outcomes.push({ phase: { profile: config.profile, plan: drill.plan }, records: drill.records, broken: drill.broken, ...(drill.exit ? { exit: drill.exit } : {}) });
    }

    const processed = kit.eventsFile ? countProcessed(await readFile(kit.eventsFile, 'utf8').catch(() => '')) : undefined;
    const scenarios = outcomes.flatMap(({ phase, records, broken, exit }) => {
      const info = new Map(phase.plan.run.map((s) => [s.id, s]));
      const probed = processed ? records.map((r) => probeRecord(r, info.get(r.id), processed)) : records;
      return blameTargetExit(finalizeResults(phase.plan, probed, broken, phase.profile), exit);
    });
    const targetExit = outcomes.find((o) => o.exit)?.exit;
    const summary = summarize(scenarios);
    progress?.settle(scenarios);
    progress?.finish();
    const run: RunResult = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: { name: 'wh-conformance', version: PACKAGE_VERSION },
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      target: first.target.info,
      profile: config.profile,
      profiles: config.profiles,
      mtls: config.mtls,
      capabilities: config.capabilities,
      ...(config.strict ? { strict: true } : {}),
      summary,
      scenarios,
      ...(config.shard ? { shard: config.shard } : {}),
      ...(targetExit ? { targetExit } : {}),
      ...(kit.serverCaFile === null ? { warnings: [INSECURE_SERVER_WARNING] } : {}),
    };
    const result = baseline && baselineUse ? await settleBaseline(run, baseline, baselineUse, (text) => out.write(text)) : run;
    await writeReports(result, config, out);
    return exitCodeFor(result.scenarios);
  } finally {
    await teardown.run();
    release();
  }
}

/** Both settled, so nothing is left starting when the run goes on or stops; the first one's error
 * comes first (a listener that did not start, rather than the tests that waited for it). */
async function bothSettled<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}

function phaseContext(config: ResolvedConfig, phase: Phase, kit: RunKit, drills: PlannedDrillScenario[] = []): PhaseContext {
  return {
    scenarios: phase.plan.run,
    drills,
    kitDir: kit.paths.dir,
    servername: config.target.kind === 'url' ? config.target.servername : SERVER_NAME,
    serverCaFile: kit.serverCaFile,
    path: config.path,
    mtls: config.mtls,
    profile: phase.profile,
    ...(config.genericHmac ? { genericHmac: config.genericHmac } : {}),
    signingKey: kit.keys?.signingKey ?? '',
    toleranceSeconds: config.toleranceSeconds,
    timeoutMs: config.timeoutMs,
    strict: config.strict,
  };
}

function probeRecord(record: ScenarioRecord, info: ScenarioInfo | undefined, processed: ReadonlyMap<string, number>): ScenarioRecord {
  return info ? probeSideEffects(record, info, processed) : record;
}
