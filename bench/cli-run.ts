import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliRun {
  wallMs: number;
  /** The harness process's peak resident memory (its high-water mark, polled). */
  peakRssMb: number;
  code: number | null;
  scenarios: number;
}

const POLL_MS = 20;

/** Linux keeps a process's peak resident set in /proc: VmHWM, which only grows. */
function highWaterMb(pid: number): number | undefined {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** One `wh-conformance run`, from the CLI's start to its exit, in `cwd`; JSON report in a scratch
 * directory, read for the number of scenarios. */
export function cliRun(cli: string, cwd: string, args: readonly string[] = []): Promise<CliRun> {
  const out = mkdtempSync(join(tmpdir(), 'whc-bench-'));
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'run', ...args, '--reporter', 'json', '--out', out], { cwd, env: { ...process.env, NO_COLOR: '1', CI: '1' }, stdio: 'ignore' });
  let peak = 0;
  const poll = setInterval(() => {
    if (child.pid !== undefined) peak = Math.max(peak, highWaterMb(child.pid) ?? 0);
  }, POLL_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const wallMs = performance.now() - started;
      clearInterval(poll);
      try {
        const report = JSON.parse(readFileSync(join(out, 'wh-conformance.json'), 'utf8')) as { scenarios: unknown[] };
        resolve({ wallMs, peakRssMb: peak, code, scenarios: report.scenarios.length });
      } catch (err) {
        reject(new Error(`wh-conformance run ${args.join(' ')} exited ${code} without a report: ${(err as Error).message}`));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}
