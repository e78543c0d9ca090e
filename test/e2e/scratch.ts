import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { CliResult } from './cli.js';

/** A user's shell has none of the variables `npm test` and vitest set for this repository; a nested
 * npm would take the script's `npm_config_*` (`call`, `local_prefix`…) as its own settings. A user's
 * own `NPM_CONFIG_*` stays. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|VITEST|INIT_CWD$)/.test(key)) env[key] = value;
  }
  // No registry round trip to ask whether npm itself is outdated.
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...extra };
}

/** Runs a command with a deadline (killed at it, so a hang fails the test) and collects its output.
 * `tmp` is a private TMPDIR, so what the command leaves there can be checked with `leftovers`. */
export function runCommand(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; deadlineMs: number }): Promise<CliResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'whc-installed-run-'));
  return new Promise((done) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: userEnv({ TMPDIR: tmp, ...options.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.deadlineMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => done({ code: null, stdout, stderr: `${stderr}${err.message}\n`, tmp }));
    child.on('close', (code) => done({ code, stdout, stderr, tmp }));
  });
}

/** Writes a project's files (paths relative to `dir`, folders created as needed). */
export function writeProject(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = join(dir, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
}

/** Every entry under `dir` with its type, size, mode and modification time: two snapshots differ
 * when anything was created, removed, written or re-moded. Symlinks are not followed. */
export function snapshot(dir: string): string[] {
  const lines: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const s = lstatSync(path);
      const type = s.isDirectory() ? 'd' : s.isSymbolicLink() ? 'l' : 'f';
      lines.push(`${relative(dir, path)} ${type} ${s.isDirectory() ? '' : s.size} ${s.mode.toString(8)} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return lines;
}

/** `chmod -R a-w` (or `u+w` to undo it). Root ignores these bits, so a test that needs to know
 * nothing was written compares snapshots as well. */
export function setWritable(dir: string, writable: boolean): void {
  const result = spawnSync('chmod', ['-R', writable ? 'u+w' : 'a-w', dir], { timeout: 10_000 });
  if (result.status !== 0) throw new Error(`chmod ${dir}: ${result.stderr.toString() || result.error?.message}`);
}

/** What differs between two snapshots: `+ entry` appeared or changed, `- entry` vanished or changed. */
export function changes(before: readonly string[], after: readonly string[]): string[] {
  const was = new Set(before);
  const is = new Set(after);
  return [...after.filter((line) => !was.has(line)).map((line) => `+ ${line}`), ...before.filter((line) => !is.has(line)).map((line) => `- ${line}`)];
}
