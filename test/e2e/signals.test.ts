import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, leftovers, processesWith, REPO, runCli, SECURE } from './cli.js';

const GRACEFUL = join(REPO, 'test/fixtures/graceful-listener.mjs');
const STALLING = join(REPO, 'test/fixtures/stalling-listener.mjs');

const scratch = mkdtempSync(join(tmpdir(), 'whc-signals-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function until(condition: () => Promise<boolean>, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`condition not met within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a signal to the harness stops the target and removes the kit', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(signal, async () => {
      const marker = `whc-signal-${signal}-${process.pid}`;
      const project = mkdtempSync(join(scratch, 'project-'));
      const tmp = mkdtempSync(join(scratch, 'tmp-'));
      // A target that is started but never ready: the harness is waiting on it when the signal comes.
      const command = `node -e "setInterval(() => {}, 1000)" ${marker}`;
      writeFileSync(join(project, 'wh-conformance.config.json'), JSON.stringify({ target: { command, readyTimeoutMs: 30_000 } }));
      const cli = spawn(process.execPath, [CLI, 'run'], { cwd: project, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 40_000 });
      const closed = once(cli, 'close');
      let stdout = '';
      cli.stdout.on('data', (c: Buffer) => (stdout += c.toString()));

      await until(async () => (await processesWith(marker)).length > 0, 10_000);
      expect(readdirSync(tmp).some((name) => name.startsWith('whc-kit-'))).toBe(true);
      cli.kill(signal);
      const [exitCode] = (await closed) as [number | null];

      expect(exitCode).toBe(code);
      expect(stdout).toContain(`${signal}: stopping the target and removing the kit`);
      // The suite file was already waiting for the listener: the stop ends that wait too.
      expect(stdout).not.toContain('the teardown did not finish');
      expect(await processesWith(marker)).toEqual([]);
      expect(readdirSync(tmp)).toEqual([]);
    });
  }
});

describe('stopping the target: the whole process group gets the grace', () => {
  it('a listener behind the `sh -c` wrapper closes cleanly on SIGTERM before anything is killed', async () => {
    const marker = `whc-graceful-${process.pid}`;
    const termLog = join(scratch, `term-${marker}.log`);
    // Not `exec`: /bin/sh stays as the listener's parent and dies on SIGTERM at once.
    const result = await runCli(['run', '--command', `node ${GRACEFUL} ${marker}`, '--include', 'mtls.expired'], { env: { TERM_LOG: termLog, SHUTDOWN_MS: '500' } });
    expect(result.code).toBe(0);
    expect(readFileSync(termLog, 'utf8')).toBe('closed cleanly on SIGTERM\n');
    expect(await processesWith(marker)).toEqual([]);
    expect(leftovers(result)).toEqual([]);
  });

  it('a process that left the group (setsid) and still holds the port is reported, with its pid', async () => {
    const marker = `whc-escapee-${process.pid}`;
    const result = await runCli(['run', '--command', `setsid node ${SECURE} ${marker}`, '--include', 'mtls.expired']);
    const escapees = await processesWith(marker);
    for (const line of escapees) process.kill(Number(line.trim().split(' ')[0]), 'SIGKILL');
    expect(result.code).toBe(0);
    const pid = /^warning: pid (\d+) \(node \S+ whc-escapee-\d+\) still listens on port \d+ after the target was stopped: it left the target's process group \(setsid, a daemon's double fork\), so the harness could not stop it; stop it yourself$/m.exec(result.stderr)?.[1];
    expect(pid, result.stderr).toBeDefined();
    expect(escapees.map((line) => line.trim().split(' ')[0])).toEqual([pid]);
    expect(leftovers(result)).toEqual([]);
  });
});

describe('SIGKILL of the harness, which runs no teardown', () => {
  it('the guardian stops the listener; the next run removes the dead run\'s kit before anything else', async () => {
    const marker = `whc-sigkill-${process.pid}`;
    const tmp = mkdtempSync(join(scratch, 'tmp-'));
    const stalled = join(scratch, `stalled-${marker}`);
    const cli = spawn(process.execPath, [CLI, 'run', '--command', `node ${STALLING} ${marker}`, '--timeout', '60000'], {
      cwd: REPO,
      env: { ...process.env, TMPDIR: tmp, STALL: 'response', STALL_SIGNAL_FILE: stalled },
      stdio: 'ignore',
      timeout: 40_000,
    });
    const closed = once(cli, 'close');
    await until(async () => existsSync(stalled), 20_000);
    const targetProcesses = async () => (await processesWith(marker)).filter((line) => !line.includes(CLI));
    expect(await targetProcesses()).not.toEqual([]);
    cli.kill('SIGKILL');
    await closed;
    // The guardian sends SIGTERM at once, SIGKILL after the grace (3 s).
    await until(async () => (await targetProcesses()).length === 0, 10_000);
    const dead = readdirSync(tmp);
    expect(dead.some((name) => name.startsWith(`whc-kit-${cli.pid}-`))).toBe(true);
    expect(dead.some((name) => name.startsWith(`whc-vitest-${cli.pid}-`))).toBe(true);

    const next = await runCli(['run', '--command', `node ${SECURE} ${marker}-next`, '--include', 'mtls.expired'], { env: { TMPDIR: tmp } });
    expect(next.code).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
    expect(leftovers(next)).toEqual([]);
  });
});
