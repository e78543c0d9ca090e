import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../processes.js';

/** `whc-<kind>-<owner pid>-<random>`: a directory a run made in TMPDIR, named for the run's process. */
const RUN_DIR = /^whc-[a-z]+-(\d+)-[A-Za-z0-9]{6}$/;

/** A private temporary directory of this run (mode 0700), its owner's pid in its name, so that a
 * later run can tell it was left by a run that died without its teardown (SIGKILL). Synchronous:
 * no signal is handled between creating it and registering its removal. */
export function makeRunDir(kind: string): string {
  return mkdtempSync(join(tmpdir(), `whc-${kind}-${process.pid}-`));
}

/** Removes what runs that are no longer alive left in `dir` (kits with their private keys, caches,
 * output pipes); returns the names removed. A kit kept with --keep-certs carries no pid and stays. */
export function removeDeadRunDirs(dir = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const dead = names.filter((name) => {
    const owner = RUN_DIR.exec(name)?.[1];
    return owner !== undefined && Number(owner) !== process.pid && !isAlive(Number(owner));
  });
  for (const name of dead) rmSync(join(dir, name), { recursive: true, force: true });
  return dead;
}
