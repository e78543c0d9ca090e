// `npm run bench:suite [label]`: the project's own `vitest run`, timed: wall time, the load around
// it and each file's duration, stored under `suite.<label>` (default "after") in bench/results.json.
// `--from <vitest json report> <wall ms>` stores an earlier run instead of running one.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');
const RESULTS = join(REPO, 'bench/results.json');

interface VitestJson {
  numTotalTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: Array<{ name: string; startTime: number; endTime: number }>;
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

function summary(report: VitestJson, wallMs: number, loadBefore: string, loadAfter: string) {
  const files = Object.fromEntries(
    report.testResults.map((f) => [relative(REPO, f.name), Math.round(f.endTime - f.startTime)] as const).sort((a, b) => b[1] - a[1]),
  );
  return {
    measuredAt: new Date().toISOString(),
    cpus: availableParallelism(),
    loadBefore,
    loadAfter,
    wallMs: Math.round(wallMs),
    tests: { total: report.numTotalTests, failed: report.numFailedTests, skipped: report.numPendingTests },
    fileMs: files,
  };
}

async function timedRun(): Promise<{ report: VitestJson; wallMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'whc-suite-bench-'));
  const file = join(dir, 'vitest.json');
  const started = performance.now();
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(join(REPO, 'node_modules/.bin/vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], { cwd: REPO, stdio: 'inherit' });
    child.once('error', fail);
    child.once('exit', done);
  });
  const wallMs = performance.now() - started;
  try {
    if (!existsSync(file)) throw new Error(`vitest exited ${code} without its JSON report`);
    return { report: JSON.parse(readFileSync(file, 'utf8')) as VitestJson, wallMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const from = args.indexOf('--from');
const label = args.find((a, i) => !a.startsWith('--') && (from === -1 || (i !== from + 1 && i !== from + 2))) ?? 'after';
const loadBefore = load();
const measured =
  from === -1
    ? await timedRun()
    : { report: JSON.parse(readFileSync(args[from + 1] ?? '', 'utf8')) as VitestJson, wallMs: Number(args[from + 2]) };
const results = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
const suite = { ...(results.suite as Record<string, unknown> | undefined), [label]: summary(measured.report, measured.wallMs, loadBefore, load()) };
writeFileSync(RESULTS, `${JSON.stringify({ ...results, suite }, null, 2)}\n`);
process.stdout.write(`suite ${label}: ${Math.round(measured.wallMs / 1000)} s wall, load ${loadBefore} → ${load()}; written: bench/results.json\n`);
