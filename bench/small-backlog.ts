// The small-backlog listener in `npm run bench`: Python's http.server (one request at a time, an
// accept queue of 5, test/fixtures/small-backlog-listener.py) against the reference listener, the
// same mTLS and transport matrix sent to both, and the sequential floor of each.
import { join } from 'node:path';
import { loadConfig, type RunFlags } from '../harness/config/config.js';
import { generateKit } from '../harness/kit/kit.js';
import { planPhases } from '../harness/plan/phases.js';
import { startTarget } from '../harness/target/start.js';
import { Teardown } from '../harness/teardown.js';
import { CATALOG } from '../suites/catalog/index.js';
import { cliRun } from './cli-run.js';
import { floorLoop } from './floor.js';

export interface ListenerTiming {
  command: string;
  /** Median CLI start to exit, and each run. */
  medianMs: number;
  wallMs: number[];
  /** The same deliveries sent one after another by a minimal client. */
  floorMs: number;
}

export interface SmallBacklogResult {
  deliveries: number;
  smallBacklog: ListenerTiming;
  reference: ListenerTiming;
  /** What a run costs besides its deliveries, against the reference listener: run − floor. */
  fixedMs: number;
  /** small-backlog run / reference run. */
  ratioToReference: number;
  /** small-backlog run / (its floor + the fixed cost): ≤ 1 is the target. */
  ratioToSequential: number;
}

const MATRIX = ['--profile', 'none', '--capabilities', 'crl,subject-pinning'];
const FLAGS: RunFlags = { profile: 'none', capabilities: 'crl,subject-pinning' };

/** What a run of `plans` sends: each scenario's setup, judged and variant deliveries, controls twice. */
export function deliveriesOf(plans: ReadonlyArray<{ run: ReadonlyArray<{ setup?: readonly unknown[]; variants?: readonly unknown[]; control?: boolean }> }>): number {
  return plans.flatMap((p) => p.run).reduce((n, s) => n + (s.setup?.length ?? 0) + 1 + (s.variants?.length ?? 0) + (s.control ? 1 : 0), 0);
}

async function timing(repo: string, cli: string, command: string, runs: number, median: (v: readonly number[]) => number, deliveries: number): Promise<ListenerTiming> {
  const wallMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await cliRun(cli, repo, ['--command', command, ...MATRIX]);
    if (run.code !== 0) throw new Error(`the run against ${command} exited ${run.code}: the bench measures a passing run`);
    wallMs.push(Math.round(run.wallMs));
  }
  // The floor signs (standard-webhooks): the kit of a run with that profile; neither listener here checks it.
  const config = await loadConfig({ command }, repo);
  const teardown = new Teardown();
  try {
    const kit = await generateKit(config, planPhases(CATALOG, config).map((p) => p.plan), teardown, () => undefined);
    const target = await startTarget(config, kit, teardown);
    const floorMs = Math.round(await floorLoop(target.origin, config.path, kit, deliveries));
    return { command, medianMs: Math.round(median(wallMs)), wallMs, floorMs };
  } finally {
    await teardown.run();
  }
}

export async function smallBacklogBench(repo: string, cli: string, runs: number, median: (v: readonly number[]) => number): Promise<SmallBacklogResult> {
  const config = await loadConfig({ command: 'true', ...FLAGS }, repo);
  const deliveries = deliveriesOf(planPhases(CATALOG, config).map((p) => p.plan));
  const smallBacklog = await timing(repo, cli, `python3 ${join(repo, 'test/fixtures/small-backlog-listener.py')}`, runs, median, deliveries);
  const reference = await timing(repo, cli, `node ${join(repo, 'examples/listeners/secure.mjs')}`, runs, median, deliveries);
  const fixedMs = reference.medianMs - reference.floorMs;
  return {
    deliveries,
    smallBacklog,
    reference,
    fixedMs,
    ratioToReference: Number((smallBacklog.medianMs / reference.medianMs).toFixed(2)),
    ratioToSequential: Number((smallBacklog.medianMs / (smallBacklog.floorMs + fixedMs)).toFixed(2)),
  };
}
