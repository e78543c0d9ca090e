import { closeSync, mkdirSync, openSync, rmdirSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HTML_FILE, JSON_FILE, JUNIT_FILE, MARKDOWN_FILE } from '../../reports/index.js';
import type { ReporterName, ResolvedConfig } from '../config/index.js';
import { HarnessError } from '../errors.js';

const REPORT_FILES: Record<Exclude<ReporterName, 'console'>, string> = { json: JSON_FILE, junit: JUNIT_FILE, html: HTML_FILE, markdown: MARKDOWN_FILE };

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

/** Creates a file in `dir` and removes it: the one sure test that the run can write there. */
function probeWrite(dir: string, fail: (why: string) => never): void {
  const probe = join(dir, `.whc-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (err) {
    fail(`cannot write in ${dir} (${codeOf(err)})`);
  }
}

/** Makes `dir` and its missing parents one level at a time, each one syscall: Node's recursive
 * mkdir loops forever on some paths (`/proc/x`). Returns the directories it made, deepest last. */
function makeDirs(dir: string, fail: (why: string) => never): string[] {
  const missing: string[] = [];
  let at = dir;
  for (let stat = statOf(at); !stat; stat = statOf(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
    at = dirname(at);
  }
  const existing = statOf(at);
  if (existing && !existing.isDirectory()) fail(at === dir ? 'is a file, not a directory' : `${at} is a file, not a directory`);
  const made: string[] = [];
  for (const path of missing) {
    try {
      mkdirSync(path, { mode: 0o755 });
      made.push(path);
    } catch (err) {
      for (const done of made.reverse()) rmdirSync(done);
      fail(`cannot create ${path} (${codeOf(err)})`);
    }
  }
  return made;
}

/**
 * Checks, before anything starts, that every file the run will write can be written: the report
 * directory (made now if missing) and each report file in it, and the baseline. Each check is a
 * few bounded system calls. Throws a HarnessError naming the path; returns a function that removes
 * the directories it made if the run ends with them still empty.
 */
export function checkOutputPaths(config: Pick<ResolvedConfig, 'reporters' | 'outputDir' | 'baseline' | 'updateBaseline'>): () => void {
  let made: string[] = [];
  const removeMade = () => {
    for (const dir of made.reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // reports were written into it: it stays
      }
    }
    made = [];
  };
  try {
    checkReportDir(config, (dirs) => (made = dirs));
    checkBaseline(config);
  } catch (err) {
    removeMade();
    throw err;
  }
  return removeMade;
}

function checkReportDir(config: Pick<ResolvedConfig, 'reporters' | 'outputDir'>, madeDirs: (dirs: string[]) => void): void {
  const files = config.reporters.filter((r) => r !== 'console').map((r) => join(config.outputDir, REPORT_FILES[r]));
  if (files.length === 0) return;
  const fail = (why: string): never => {
    throw new HarnessError(`report directory ${config.outputDir}: ${why}: pass --out (outputDir) a directory the run can write to`);
  };
  madeDirs(makeDirs(config.outputDir, fail));
  for (const file of files) if (statOf(file)?.isDirectory()) fail(`${basename(file)} in it is a directory, where the report file goes`);
  probeWrite(config.outputDir, fail);
}

function checkBaseline(config: Pick<ResolvedConfig, 'baseline' | 'updateBaseline'>): void {
  const { baseline } = config;
  if (!baseline) return;
  const fail = (why: string): never => {
    throw new HarnessError(`baseline ${baseline}: ${why}: pass --baseline the path of a baseline file`);
  };
  if (statOf(baseline)?.isDirectory()) fail('is a directory');
  if (!config.updateBaseline) return;
  if (!statOf(dirname(baseline))?.isDirectory()) fail(`its directory ${dirname(baseline)} does not exist`);
  probeWrite(dirname(baseline), fail);
}
