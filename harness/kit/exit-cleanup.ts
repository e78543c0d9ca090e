import { rmSync } from 'node:fs';

/** Removes `dir` when the process exits, whatever way it exits but SIGKILL. The teardown removes it
 * first; this catches files written after that, by work still in flight when a signal or the run
 * deadline cut the run short (exit handlers run synchronously, so nothing writes after them).
 * Returns the function that cancels it. */
export function removeOnExit(dir: string): () => void {
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.on('exit', remove);
  return () => process.off('exit', remove);
}
