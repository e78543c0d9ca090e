// `npm run bench:sdk`: a run against each provider-SDK listener, timed beside the same run against
// the reference listener (examples/listeners/secure.mjs). Not a test: the SDK runs should take no
// longer; the table says whether they did. Writes bench/sdk-results.json.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { SDK_LISTENERS, SDK_RUN_ARGS } from '../test/fixtures/sdk-listeners/catalog.js';
import { cliRun } from './cli-run.js';

const REPO = resolve(import.meta.dirname, '../..');
const CLI = join(REPO, 'dist/harness/cli.js');
const REFERENCE = join(REPO, 'examples/listeners/secure.mjs');
const RUNS = 3;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function wallMs(command: string, profile: string): Promise<number> {
  const run = await cliRun(CLI, REPO, ['--command', command, '--profile', profile, ...SDK_RUN_ARGS]);
  return run.wallMs;
}

const loadBefore = load();
process.stdout.write(`measuring on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadBefore}\n`);
const rows: Array<{ profile: string; sdk: string; sdkMs: number; referenceMs: number }> = [];
for (const listener of SDK_LISTENERS) {
  const sdk: number[] = [];
  const reference: number[] = [];
  // Alternated, so a change in the machine's load falls on both.
  for (let i = 0; i < RUNS; i++) {
    sdk.push(await wallMs(`node ${join(REPO, listener.file)}`, listener.profile));
    reference.push(await wallMs(`node ${REFERENCE}`, listener.profile));
  }
  rows.push({ profile: listener.profile, sdk: listener.sdk, sdkMs: Math.round(median(sdk)), referenceMs: Math.round(median(reference)) });
}
const width = Math.max(...rows.map((r) => `${r.profile} (${r.sdk})`.length));
process.stdout.write(
  `\n${'listener'.padEnd(width)}  SDK ms  reference ms  no slower\n${rows
    .map((r) => `${`${r.profile} (${r.sdk})`.padEnd(width)}  ${String(r.sdkMs).padStart(6)}  ${String(r.referenceMs).padStart(12)}  ${r.sdkMs <= r.referenceMs * 1.1 ? 'yes' : 'NO'}`)
    .join('\n')}\n\nmedian of ${RUNS} runs each; within 10% counts as no slower. load average before ${loadBefore}, after ${load()}\n`,
);
writeFileSync(join(REPO, 'bench/sdk-results.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), runs: RUNS, loadBefore, loadAfter: load(), listeners: rows }, null, 2)}\n`);
process.stdout.write('written: bench/sdk-results.json\n');
