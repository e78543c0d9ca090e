import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kitPaths } from '../../certs/index.js';
import { CLI, processesWith, REPO, SECURE } from './cli.js';

// SIGINT in each phase of a run (the target's start-up is signals.test.ts): the harness stops
// what it started and removes what it wrote, whatever it was doing. A FIFO holds the harness inside a
// phase for as long as the test needs: it blocks on it until the test opens the other end.

const STALLING = join(REPO, 'test/fixtures/stalling-listener.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'whc-signal-phases-'));
const started: ChildProcess[] = [];
afterAll(() => {
  // A harness a failed test left blocked on a FIFO would never exit on its own.
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

async function until(what: string, condition: () => boolean | Promise<boolean>, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function mkfifo(path: string): string {
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo ${path}: ${made.stderr.toString()}`);
  return path;
}

/** The built CLI in a TMPDIR of its own, its output collected. */
function startCli(args: string[], env: Record<string, string> = {}) {
  const tmp = mkdtempSync(join(scratch, 'tmp-'));
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1', CI: '1', TMPDIR: tmp, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 45_000,
    killSignal: 'SIGKILL',
  });
  started.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (output.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output.stderr += c.toString()));
  const closed = once(child, 'close').then(([code]) => code as number | null);
  return { child, output, closed, tmp };
}

/** The target's processes (the harness's own command line names the marker too). */
const targetProcesses = async (marker: string) => (await processesWith(marker)).filter((line) => !line.includes(CLI));

const portRefuses = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });

describe('SIGINT in each phase stops every process and leaves no key behind', () => {
  it('while the kit is generated', async () => {
    const marker = `whc-phase-kit-${process.pid}`;
    const run = startCli(['run', '--command', `node ${SECURE} ${marker}`]);
    // The moment the kit directory appears, the harness is writing it.
    const watcher = watch(run.tmp, (_event, name) => {
      if (name?.startsWith('whc-kit-')) {
        watcher.close();
        run.child.kill('SIGINT');
      }
    });
    const code = await run.closed;
    watcher.close();
    expect(code).toBe(130);
    expect(run.output.stdout).not.toContain('the teardown did not finish');
    expect(await targetProcesses(marker)).toEqual([]);
    expect(readdirSync(run.tmp)).toEqual([]);
  });

  it('while the kit of a running listener is read (--certs): the revocation responder stops', async () => {
    const kit = join(scratch, 'kit');
    expect(spawnSync(process.execPath, [CLI, 'certs', '--out', kit]).status).toBe(0);
    const paths = kitPaths(kit);
    const port = Number(new URL((JSON.parse(readFileSync(paths.revocation, 'utf8')) as { origin: string }).origin).port);
    const secrets = readFileSync(paths.secrets, 'utf8');
    rmSync(paths.secrets);
    mkfifo(paths.secrets);
    const run = startCli(['run', '--url', 'https://127.0.0.1:9/webhook', '--certs', kit]);
    await until('the responder listens', async () => !(await portRefuses(port)));
    run.child.kill('SIGINT');
    await until('the responder stops', () => portRefuses(port));
    // Lets the harness's blocked read finish, so that it can exit.
    await writeFile(paths.secrets, secrets);
    expect(await run.closed).toBe(130);
    expect(run.output.stdout).toContain('SIGINT: stopping the target and removing the kit');
    expect(readdirSync(run.tmp)).toEqual([]);
  });

  it('while the scenarios run', async () => {
    const marker = `whc-phase-suites-${process.pid}`;
    const signal = join(scratch, 'stalled');
    const run = startCli(['run', '--command', `node ${STALLING} ${marker}`, '--timeout', '60000'], { STALL: 'response', STALL_SIGNAL_FILE: signal });
    await until('a delivery reaches the listener', () => existsSync(signal));
    expect(readdirSync(run.tmp).some((name) => name.startsWith('whc-kit-'))).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.closed).toBe(130);
    expect(run.output.stdout).not.toContain('the teardown did not finish');
    expect(await targetProcesses(marker)).toEqual([]);
    expect(readdirSync(run.tmp)).toEqual([]);
  });

  it('while the reports are written', async () => {
    const marker = `whc-phase-reports-${process.pid}`;
    const summary = mkfifo(join(scratch, 'step-summary'));
    const out = join(scratch, 'reports');
    const run = startCli(['run', '--command', `node ${SECURE} ${marker}`, '--include', 'mtls.expired', '--reporter', 'json', '--out', out], { GITHUB_STEP_SUMMARY: summary });
    // The matrix is printed, the JSON report written; the job summary waits for a reader.
    await until('the console matrix is printed', () => /scenarios: .* in [\d.]+ s/.test(run.output.stdout));
    await until('the JSON report is written', () => run.output.stdout.includes('report written:'));
    expect(readdirSync(run.tmp).some((name) => name.startsWith('whc-kit-'))).toBe(true);
    expect(await targetProcesses(marker)).not.toEqual([]);
    run.child.kill('SIGINT');
    await until('the target is stopped', async () => (await targetProcesses(marker)).length === 0);
    await until('the kit is removed', () => !readdirSync(run.tmp).some((name) => name.startsWith('whc-kit-')));
    const drained = once(createReadStream(summary).resume(), 'end');
    expect(await run.closed).toBe(130);
    await drained;
    expect(readdirSync(run.tmp)).toEqual([]);
  });
});
