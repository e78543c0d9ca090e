// `npm run bench`: how fast a run is, measured on this machine in one go (see README, "Performance").
// Not a test: it prints a table and writes bench/results.json; the targets are compared, not asserted.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../harness/config/config.js';
import { generateKit } from '../harness/kit/kit.js';
import { planPhases } from '../harness/plan/phases.js';
import { startTarget } from '../harness/target/start.js';
import { Teardown } from '../harness/teardown.js';
import { CATALOG } from '../suites/catalog/index.js';
import { cliRun, type CliRun } from './cli-run.js';
import { floorLoop } from './floor.js';
import { deliveriesOf, smallBacklogBench } from './small-backlog.js';
import { serverWordCost } from './server-word.js';

const REPO = resolve(import.meta.dirname, '../..');
const CLI = join(REPO, 'dist/harness/cli.js');
const RUNS = 5;
const KITS = 5;
const REPEATS = [1, 5, 20] as const;
const TARGETS = { wallMs: 1200, ratio: 2, kitMs: 150, peakRssMb: 200, growth: 0.3, smallBacklogToSequential: 1 };

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const ms = (value: number) => `${Math.round(value)} ms`;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function sequentially<T>(count: number, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i++) results.push(await run());
  return results;
}

function ok(run: CliRun): CliRun {
  if (run.code !== 0) throw new Error(`the default run exited ${run.code}: the bench measures a passing run`);
  return run;
}

const loadBefore = load();
const config = await loadConfig({}, REPO);
const plans = planPhases(CATALOG, config).map((p) => p.plan);
/** What a default run sends: each scenario's setup, judged and variant deliveries, controls twice. */
const deliveries = deliveriesOf(plans);

process.stdout.write(`measuring on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadBefore}\n`);
const runs = await sequentially(RUNS, async () => ok(await cliRun(CLI, REPO)));
const wallMs = median(runs.map((r) => r.wallMs));
const peakRssMb = Math.max(...runs.map((r) => r.peakRssMb));

// The kit the way a run makes it (PKI, files, revocation responder), then the floor against the
// listener the way a run starts it.
const kitTimes: number[] = [];
let floorMs = Number.NaN;
const WORD_CONNECTIONS = 30;
let wordAccepted = { medianMs: Number.NaN, maxMs: Number.NaN, refused: 0 };
let wordRefused = { medianMs: Number.NaN, maxMs: Number.NaN, refused: 0 };
// As drills.reject-under-load sends them: the refusals a loaded listener makes late.
const WORD_LOAD = { count: 200, concurrency: 50 };
let wordRefusedUnderLoad = { medianMs: Number.NaN, maxMs: Number.NaN, refused: 0 };
let wordRefusedUnderLoadGraceOnly = { medianMs: Number.NaN, maxMs: Number.NaN, refused: 0 };
for (let i = 0; i <= KITS; i++) {
  const teardown = new Teardown();
  try {
    const started = performance.now();
    const kit = await generateKit(config, plans, teardown, () => undefined);
    kitTimes.push(performance.now() - started);
    if (i === KITS) {
      const target = await startTarget(config, kit, teardown);
      floorMs = await floorLoop(target.origin, config.path, kit, deliveries);
      // The wait before each request for the listener's word on the handshake (harness/server-word.ts).
      wordAccepted = await serverWordCost(target.origin, kit, 'valid', WORD_CONNECTIONS);
      wordRefused = await serverWordCost(target.origin, kit, 'untrusted-ca', WORD_CONNECTIONS);
      wordRefusedUnderLoad = await serverWordCost(target.origin, kit, 'untrusted-ca', WORD_LOAD.count, WORD_LOAD.concurrency);
      wordRefusedUnderLoadGraceOnly = await serverWordCost(target.origin, kit, 'untrusted-ca', WORD_LOAD.count, WORD_LOAD.concurrency, false);
    }
  } finally {
    await teardown.run();
  }
}
const [kitColdMs = Number.NaN, ...warmKits] = kitTimes;
const kitMs = median(warmKits);

interface Growth {
  repeat: number;
  scenarios: number;
  wallMs: number;
}
const growth: Growth[] = [];
for (const repeat of REPEATS) {
  const run = ok(await cliRun(CLI, REPO, ['--repeat', String(repeat)]));
  growth.push({ repeat, scenarios: run.scenarios, wallMs: run.wallMs });
}
const [once, five, twenty] = growth;
const perScenario = (a: Growth | undefined, b: Growth | undefined) => (a && b ? (b.wallMs - a.wallMs) / (b.scenarios - a.scenarios) : Number.NaN);
const marginal = { '1x→5x': perScenario(once, five), '5x→20x': perScenario(five, twenty) };
// Linear or better: a scenario added to a large run costs no more than one added to a small run.
const superlinear = marginal['5x→20x'] / marginal['1x→5x'] - 1;
const ratio = wallMs / floorMs;
const backlog = await smallBacklogBench(REPO, CLI, 3, median);

const rows: Array<[string, string, string, boolean]> = [
  ['default run, CLI start to exit (median of 5)', `${ms(wallMs)} (${runs[0]?.scenarios ?? 0} scenarios)`, `≤ ${ms(TARGETS.wallMs)}`, wallMs <= TARGETS.wallMs],
  [`floor: ${deliveries} mTLS handshakes + requests, one client loop`, ms(floorMs), '', true],
  ['ratio run / floor', ratio.toFixed(1), `≤ ${TARGETS.ratio}`, ratio <= TARGETS.ratio],
  [`wait for the listener's word, accepted certificate (median / max of ${WORD_CONNECTIONS})`, `${ms(wordAccepted.medianMs)} / ${ms(wordAccepted.maxMs)}`, '', true],
  [`wait for the listener's word, refused certificate (median / max; refused)`, `${ms(wordRefused.medianMs)} / ${ms(wordRefused.maxMs)}; ${wordRefused.refused}/${WORD_CONNECTIONS}`, '', true],
  [`… refused, ${WORD_LOAD.concurrency} at a time (median / max; refused)`, `${ms(wordRefusedUnderLoad.medianMs)} / ${ms(wordRefusedUnderLoad.maxMs)}; ${wordRefusedUnderLoad.refused}/${WORD_LOAD.count}`, '', true],
  [`… the same with the 1 s grace only (not learning tickets)`, `${ms(wordRefusedUnderLoadGraceOnly.medianMs)} / ${ms(wordRefusedUnderLoadGraceOnly.maxMs)}; ${wordRefusedUnderLoadGraceOnly.refused}/${WORD_LOAD.count}`, '', true],
  ['kit generation (median of 5, warm; first)', `${ms(kitMs)} (${ms(kitColdMs)})`, `≤ ${ms(TARGETS.kitMs)}`, kitMs <= TARGETS.kitMs],
  ['peak RSS of the harness', `${Math.round(peakRssMb)} MB`, `≤ ${TARGETS.peakRssMb} MB`, peakRssMb <= TARGETS.peakRssMb],
  ...growth.map((g): [string, string, string, boolean] => [`--repeat ${g.repeat}`, `${ms(g.wallMs)} (${g.scenarios} scenarios)`, '', true]),
  ['ms per added scenario, 1×→5× / 5×→20×', `${marginal['1x→5x'].toFixed(1)} / ${marginal['5x→20x'].toFixed(1)}`, `linear (≤ +${TARGETS.growth * 100}%)`, superlinear <= TARGETS.growth],
  [`mTLS+transport matrix (${backlog.deliveries} deliveries), reference listener (median of 3)`, `${ms(backlog.reference.medianMs)} (floor ${ms(backlog.reference.floorMs)})`, '', true],
  ['same against Python http.server, backlog 5 (median of 3)', `${ms(backlog.smallBacklog.medianMs)} (floor ${ms(backlog.smallBacklog.floorMs)})`, '', true],
  ['ratio small-backlog / reference', backlog.ratioToReference.toFixed(2), '', true],
  ['ratio small-backlog / (its floor + fixed cost)', backlog.ratioToSequential.toFixed(2), `≤ ${TARGETS.smallBacklogToSequential}`, backlog.ratioToSequential <= TARGETS.smallBacklogToSequential],
];
const width = Math.max(...rows.map((r) => r[0].length));
const valueWidth = Math.max(...rows.map((r) => r[1].length));
const loadAfter = load();
process.stdout.write(
  `\n${rows.map(([what, value, target, met]) => `${what.padEnd(width)}  ${value.padStart(valueWidth)}  ${target ? `${target} ${met ? 'met' : 'MISSED'}` : ''}`.trimEnd()).join('\n')}\n\nload average before ${loadBefore}, after ${loadAfter}\n`,
);

// The suite's own timings (`npm run bench:suite`) live in the same file: kept as they are.
const previous = existsSync(join(REPO, 'bench/results.json')) ? (JSON.parse(readFileSync(join(REPO, 'bench/results.json'), 'utf8')) as { suite?: unknown }) : {};
const results = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version, loadBefore, loadAfter },
  defaultRun: { scenarios: runs[0]?.scenarios ?? 0, wallMs: runs.map((r) => Math.round(r.wallMs)), medianMs: Math.round(wallMs) },
  floor: { deliveries, ms: Math.round(floorMs) },
  serverWord: {
    connections: WORD_CONNECTIONS,
    accepted: { medianMs: Math.round(wordAccepted.medianMs), maxMs: Math.round(wordAccepted.maxMs), refused: wordAccepted.refused },
    refused: { medianMs: Math.round(wordRefused.medianMs), maxMs: Math.round(wordRefused.maxMs), refused: wordRefused.refused },
    refusedUnderLoad: { ...WORD_LOAD, medianMs: Math.round(wordRefusedUnderLoad.medianMs), maxMs: Math.round(wordRefusedUnderLoad.maxMs), refused: wordRefusedUnderLoad.refused },
    refusedUnderLoadGraceOnly: { ...WORD_LOAD, medianMs: Math.round(wordRefusedUnderLoadGraceOnly.medianMs), maxMs: Math.round(wordRefusedUnderLoadGraceOnly.maxMs), refused: wordRefusedUnderLoadGraceOnly.refused },
  },
  ratio: Number(ratio.toFixed(2)),
  kit: { coldMs: Math.round(kitColdMs), medianMs: Math.round(kitMs) },
  peakRssMb: Math.round(peakRssMb),
  growth: growth.map((g) => ({ ...g, wallMs: Math.round(g.wallMs) })),
  msPerAddedScenario: { '1x-5x': Number(marginal['1x→5x'].toFixed(2)), '5x-20x': Number(marginal['5x→20x'].toFixed(2)) },
  smallBacklog: backlog,
  targets: { ...TARGETS, met: Object.fromEntries(rows.filter((r) => r[2]).map((r) => [r[0], r[3]])) },
  ...(previous.suite ? { suite: previous.suite } : {}),
};
writeFileSync(join(REPO, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write('written: bench/results.json\n');
