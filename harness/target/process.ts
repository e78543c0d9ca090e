import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HarnessError } from '../errors.js';
import { sleep } from './sleep.js';
import type { TargetInfo } from '../model.js';
import { OutputTail } from './output-tail.js';
import { awaitReadiness, type ProbeOptions } from './probe.js';
import type { RunningTarget, TargetExit } from './target.js';

export interface ProcessTargetOptions {
  command: string;
  cwd: string;
  /** The process's environment: the user's `env` and the WHC_* contract on top of the harness's own. */
  env: Record<string, string>;
  probe: ProbeOptions;
  origin: string;
  readyTimeoutMs: number;
  /** SIGTERM, then SIGKILL after this long. */
  graceMs?: number;
}


function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // the group is gone already
  }
}

function describeExit(exit: TargetExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** Starts the listener in its own process group, waits until a handshake succeeds, and hands back
 * a handle that always stops the whole group. */
export async function startProcessTarget(options: ProcessTargetOptions): Promise<RunningTarget> {
  if (!existsSync(options.cwd)) throw new HarnessError(`target cwd ${options.cwd} does not exist: fix target.cwd or --cwd`);
  const tail = new OutputTail();
  const child = spawn('/bin/sh', ['-c', options.command], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => tail.push(chunk, 'stderr'));

  let exit: TargetExit | undefined;
  const exited = new Promise<TargetExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', (err) => {
      exit = { code: null, signal: null, error: err.message };
      resolve(exit);
    });
  });
  const pid = child.pid;
  // Last resort if the harness dies without its teardown: no orphaned listener.
  const killOnExit = () => pid !== undefined && signalGroup(pid, 'SIGKILL');
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (pid === undefined) return;
    if (!exit && signalGroup(pid, 'SIGTERM')) await Promise.race([exited, sleep(options.graceMs ?? 3000)]);
    // Children the command left behind share the group: they go too.
    if (signalGroup(pid, 'SIGKILL')) await Promise.race([exited, sleep(2000)]);
    // A process that escaped the group could hold the pipes open and keep the harness alive.
    child.stdout.destroy();
    child.stderr.destroy();
  };

  const info: TargetInfo = { kind: 'process', description: options.command, url: options.origin };
  await awaitReadiness(options.probe, {
    deadlineMs: options.readyTimeoutMs,
    exited: () => (exit ? `target ${exit.error ? `could not start (${exit.error})` : describeExit(exit)} before it was ready` : undefined),
    neverReady: (reason) =>
      `target never completed a handshake on ${options.origin}: ${reason}; does it listen on WHC_HOST:WHC_PORT? raise target.readyTimeoutMs if it starts slowly`,
    stop,
    output: () => tail.last(20),
  });
  return {
    info,
    origin: options.origin,
    describeExit: () => (exit ? `target ${describeExit(exit)}` : undefined),
    output: (count) => tail.last(count),
    stop,
  };
}
