import type { Teardown } from '../teardown.js';

export interface RunGuardOptions {
  teardown: Teardown;
  write(text: string): void;
  /** The whole run's deadline (`--run-timeout`); none when absent. */
  runTimeoutMs?: number;
  /** How to leave; process.exit unless a test says otherwise. */
  exit?: (code: number) => void;
  /** How long the teardown gets; TEARDOWN_DEADLINE_MS unless a test says otherwise. */
  teardownDeadlineMs?: number;
}

/** Exit codes of a run that was stopped: the shell's 128 + signal number, and 2 for a run that
 * could not be carried out (its deadline passed). */
export const STOPPED_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, deadline: 2 } as const;

/** The teardown itself gets this long before the harness leaves anyway: stopping a target is
 * bounded already (SIGTERM, SIGKILL after 3 s), so this only catches a step that hangs. */
export const TEARDOWN_DEADLINE_MS = 10_000;

/** Stops the run on SIGINT, SIGTERM or when its deadline passes: tears down what it started
 * (target, responder, kit) and exits. Returns the function that disarms the guard. */
export function guardRun(options: RunGuardOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = (message: string, code: number) => {
    if (stopping) return;
    stopping = true;
    options.write(`\n${message}: stopping the target and removing the kit\n`);
    const deadlineMs = options.teardownDeadlineMs ?? TEARDOWN_DEADLINE_MS;
    const cut = new Promise<'cut'>((resolve) => setTimeout(() => resolve('cut'), deadlineMs).unref());
    void Promise.race([options.teardown.run().then(() => 'done' as const), cut]).then((how) => {
      if (how === 'cut') options.write(`the teardown did not finish within ${deadlineMs} ms: what the run started may still run, and its kit may be left in the temporary directory\n`);
      exit(code);
    });
  };
  const onSignal = (signal: NodeJS.Signals) => stop(signal, signal === 'SIGINT' ? STOPPED_EXIT_CODES.SIGINT : STOPPED_EXIT_CODES.SIGTERM);
  // `on`, not `once`: signal-exit (loaded with testcontainers) kills the process at once when it
  // sees no other listener for the signal, before the teardown has run.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const deadline =
    options.runTimeoutMs === undefined
      ? undefined
      : setTimeout(() => stop(`the run did not finish within its deadline of ${options.runTimeoutMs} ms (--run-timeout)`, STOPPED_EXIT_CODES.deadline), options.runTimeoutMs);
  deadline?.unref();
  return () => {
    clearTimeout(deadline);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
