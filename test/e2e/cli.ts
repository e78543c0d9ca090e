import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import type { RunResult } from '../../harness/model.js';
import { checkReport } from '../../harness/cli/report-schema.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO, 'dist/harness/cli.js');
export const SECURE = join(REPO, 'examples/listeners/secure.mjs');
export const FLAWED = join(REPO, 'examples/listeners/flawed.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The private TMPDIR the run used: kits and caches land here. */
  tmp: string;
}

// Each run's TMPDIR goes when the test file ends, also where a test did not inspect it.
const made = new Set<string>();
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Runs the built CLI with its own TMPDIR, killed after `deadlineMs` so a hang fails the test. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; deadlineMs?: number } = {}): Promise<CliResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'whc-e2e-'));
  made.add(tmp);
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.deadlineMs ?? 45_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stdout, stderr, tmp }));
  });
}

/** What the run left in its TMPDIR (kits, caches); the TMPDIR itself is removed. */
export function leftovers(result: CliResult): string[] {
  const left = readdirSync(result.tmp);
  rmSync(result.tmp, { recursive: true, force: true });
  return left;
}

/** The run's JSON report, checked against the published schema: every report a test reads is. */
export function readReport(outDir: string): RunResult {
  const file = join(outDir, 'wh-conformance.json');
  const checked = checkReport(JSON.parse(readFileSync(file, 'utf8')));
  if (!checked.ok) throw new Error(`${file} does not match reports/schema.json: ${checked.problem}`);
  return checked.report;
}

export function verdictsOf(report: RunResult): Record<string, string> {
  return Object.fromEntries(report.scenarios.map((s) => [s.id, s.verdict]));
}

/** Every scenario's verdict and reason, one per line: the message of a verdict assertion, so a
 * failure shows why the harness judged as it did. */
export function reasonsOf(report: RunResult): string {
  return report.scenarios.map((s) => `${s.id}: ${s.verdict}: ${s.reason}`).join('\n');
}

/** Processes whose command line contains `marker` (the test's own pgrep aside). */
export function processesWith(marker: string): Promise<string[]> {
  return new Promise((done) => {
    const ps = spawn('ps', ['-eo', 'pid=,args='], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    ps.stdout.on('data', (c: Buffer) => (out += c.toString()));
    ps.on('close', () => done(out.split('\n').filter((line) => line.includes(marker) && !line.includes(' ps -eo'))));
  });
}
