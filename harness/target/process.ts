import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { HarnessError } from '../errors.js';
import { sleep } from './sleep.js';
import type { TargetInfo } from '../model.js';
import { OutputTail } from './output-tail.js';
import { openOutputPipes } from './output-pipes.js';
import { groupAlive, portHolders, signalGroup } from '../processes.js';
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
  /** The port it was told to listen on: after it is stopped, nothing may hold it. */
  port: number;
  /** Where a warning about a process that outlived the target goes. */
  warn: (text: string) => void;
}


/** How often the group is looked at while it winds down. */
const GROUP_POLL_MS = 25;
/** After SIGKILL, how long the kernel gets to end the group before the harness moves on. */
const KILL_WAIT_MS = 2000;
const DEFAULT_GRACE_MS = 3000;
/** How long an exited target's output pipes may take to drain. */
const DRAIN_MS = 500;

/**
 * The shell that starts the listener. It forks a guardian into the target's own process group,
 * then becomes `/bin/sh -c COMMAND` as before. The guardian waits on fd 3, a pipe from the harness:
 * a line there means the harness stops the group itself; end of file without one means the harness
 * died (SIGKILL leaves no teardown), and the guardian stops the group as the harness would have —
 * SIGTERM, then SIGKILL after the grace — ignoring the SIGTERM it sends itself.
 * $1: the command, $2: the grace in seconds.
 */
const GUARDED_START = [
  '{ trap "" TERM INT HUP; read _ <&3 || { kill -TERM 0; sleep "$2"; kill -KILL 0; }; } </dev/null >/dev/null 2>&1 &',
  'exec 3<&-',
  'exec /bin/sh -c "$1"',
].join('\n');

/** Waits until no process of group `pgid` runs any more; false if `ms` passed first. */
async function groupEnded(pgid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() >= end) return false;
    await sleep(GROUP_POLL_MS);
  }
  return true;
}

function describeExit(exit: TargetExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** Starts the listener in its own process group, waits until a handshake succeeds, and hands back
 * a handle that always stops the whole group. */
export async function startProcessTarget(options: ProcessTargetOptions): Promise<RunningTarget> {
  if (!existsSync(options.cwd)) throw new HarnessError(`target cwd ${options.cwd} does not exist: fix target.cwd or --cwd`);
  const tail = new OutputTail();
  const grace = options.graceMs ?? DEFAULT_GRACE_MS;
  const pipes = openOutputPipes();
  const child = spawn('/bin/sh', ['-c', GUARDED_START, 'wh-conformance-target', options.command, String(Math.ceil(grace / 1000))], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', ...pipes.writeEnds, 'pipe'],
  });
  // The child has its copies: the read ends see end of file once every process of the target closed its own.
  pipes.closeWriteEnds();
  pipes.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
  pipes.stderr.on('data', (chunk: Buffer) => tail.push(chunk, 'stderr'));
  const guardian = child.stdio[3] as Writable | null;
  // The guardian may be gone already (killed with its group): a write to it then fails harmlessly.
  guardian?.on('error', () => undefined);

  let exit: TargetExit | undefined;
  // What it printed last is what explains its end: the exit counts once the pipes are drained (or
  // after a moment, when a process it left behind keeps them open).
  const closed = (stream: NodeJS.EventEmitter) => new Promise<void>((resolve) => stream.once('close', () => resolve()));
  const drained = Promise.race([Promise.all([closed(pipes.stdout), closed(pipes.stderr)]), sleep(DRAIN_MS)]);
  child.once('exit', (code, signal) => {
    void drained.then(() => (exit ??= { code, signal }));
  });
  child.once('error', (err) => {
    exit = { code: null, signal: null, error: err.message };
  });
  const pid = child.pid;
  // Last resort if the harness exits without its teardown: no orphaned listener.
  const killOnExit = () => pid !== undefined && signalGroup(pid, 'SIGKILL');
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.off('exit', killOnExit);
      guardian?.end('stop\n');
      if (pid !== undefined) {
        // The whole group gets the grace: with `sh -c "node server.js"` the shell dies on SIGTERM at
        // once, while the listener is still closing.
        if (signalGroup(pid, 'SIGTERM') && !(await groupEnded(pid, grace)) && signalGroup(pid, 'SIGKILL')) await groupEnded(pid, KILL_WAIT_MS);
      }
      // A process that left the group could hold the pipes open and keep the harness alive.
      pipes.stdout.destroy();
      pipes.stderr.destroy();
      for (const holder of portHolders(options.port)) {
        options.warn(
          `warning: pid ${holder.pid} (${holder.command}) still listens on port ${options.port} after the target was stopped: it left the target's process group (setsid, a daemon's double fork), so the harness could not stop it; stop it yourself\n`,
        );
      }
    })());

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
