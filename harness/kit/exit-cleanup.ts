import { rmSync } from 'node:fs';

/** Removes `dir` when the process exits, whatever way it exits but SIGKILL. The teardown removes it
 * first; this catches files written after that, by work still in flight when a signal or the run
 * deadline cut the run short (exit handlers run synchronously, so nothing writes after them).
 * Returns the function that cancels it. */
export function removeOnExit(dir: string): () => void {
  const remove = () => {
    // A write the thread pool still carries out can refill the directory while it is removed
    // (ENOTEMPTY): retried. And exit handlers run one after another, so one that threw would keep
    // the others from removing their directories: a removal that still fails is given up here.
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 10 });
    } catch {
      return;
    }
  };
  process.on('exit', remove);
  return () => process.off('exit', remove);
}
