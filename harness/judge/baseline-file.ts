import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { relative } from 'node:path';
import { applyBaseline, renderBaselineFile, updateBaseline, type Baseline, type BaselineEntry } from './baseline.js';
import { HarnessError } from '../errors.js';
import type { Catalog, RunResult } from '../model.js';
import { formerIds, renamedNotice } from '../plan/index.js';


const EXAMPLE = '{"expectedFailures": [{"id": "mtls.revoked-crl", "note": "why it is accepted"}]}';

const BaselineSchema = z.strictObject(
  {
    expectedFailures: z.array(
      z.strictObject(
        {
          id: z.string({ error: 'expected a scenario id' }),
          profile: z.string({ error: 'expected a profile name' }).optional(),
          note: z.string({ error: 'expected a note saying why the failure is accepted' }).min(1, { error: 'expected a note saying why the failure is accepted' }),
        },
        { error: (issue) => (issue.code === 'invalid_type' ? `expected an entry like {"id": "mtls.revoked-crl", "note": "…"}` : undefined) },
      ),
      { error: 'expected an array of {"id", "note"} entries' },
    ),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? `expected an object like ${EXAMPLE}` : undefined) },
);

/** A baseline as read, with a deprecation notice for each entry naming a former id. */
export interface ReadBaseline extends Baseline {
  notices: string[];
}

/** Checks a baseline file's text: one line naming the file, the entry and the fix. Ids must be
 * scenarios of the catalog, each listed once; a former id (`renamed`) counts as its new one. Pure. */
export function parseBaseline(text: string, file: string, knownIds: ReadonlySet<string>, renamed: ReadonlyMap<string, string> = new Map()): ReadBaseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new HarnessError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)}): expected ${EXAMPLE}`);
  }
  const parsed = BaselineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    throw new HarnessError(`${file}: ${where}${issue?.message ?? 'invalid baseline'}`);
  }
  const notices: string[] = [];
  const entries: BaselineEntry[] = parsed.data.expectedFailures.map((entry, index) => {
    const id = renamed.get(entry.id);
    if (id === undefined) return entry;
    notices.push(renamedNotice(`${file}: expectedFailures.${index}.id`, [[entry.id, id]]));
    return { ...entry, id };
  });
  entries.forEach((entry, index) => {
    if (!knownIds.has(entry.id)) {
      throw new HarnessError(`${file}: expectedFailures.${index}.id: unknown scenario "${entry.id}": see \`wh-conformance list\` for the ids, or drop the entry`);
    }
    const twin = entries.findIndex((other) => other.id === entry.id && other.profile === entry.profile);
    if (twin !== index) throw new HarnessError(`${file}: expectedFailures.${index}: "${entry.id}" is listed twice (also at ${twin}): keep one entry`);
  });
  return { file, entries, notices };
}

/** Reads the baseline; a missing file is an error unless `missingOk` (updating creates it). */
export async function loadBaseline(path: string, shownAs: string, knownIds: ReadonlySet<string>, renamed: ReadonlyMap<string, string>, missingOk: boolean): Promise<ReadBaseline> {
  if (!existsSync(path)) {
    if (missingOk) return { file: shownAs, entries: [], notices: [] };
    throw new HarnessError(`${shownAs}: baseline file not found: check the --baseline path, or create it with --update-baseline`);
  }
  return parseBaseline(await readFile(path, 'utf8'), shownAs, knownIds, renamed);
}

export async function writeBaseline(path: string, entries: readonly BaselineEntry[]): Promise<void> {
  await writeFile(path, renderBaselineFile(entries), 'utf8');
}

/** How a run uses a baseline: the file, and whether to rewrite it from the run's failures. */
export interface BaselineUse {
  path: string;
  update: boolean;
}

/** Reads the run's baseline before anything starts, so a bad file costs nothing. */
export function readRunBaseline(use: BaselineUse, catalog: Catalog, cwd = process.cwd()): Promise<ReadBaseline> {
  const known = new Set([...catalog.scenarios, ...catalog.drills].map((s) => s.id));
  return loadBaseline(use.path, relative(cwd, use.path) || use.path, known, formerIds(catalog), use.update);
}

/** Judges the result against the baseline, after rewriting the file from this run when asked:
 * then every current failure is expected, and the run fails only on errors. */
export async function settleBaseline(result: RunResult, baseline: Baseline, use: BaselineUse, log: (text: string) => void, today = new Date()): Promise<RunResult> {
  let judgedBy = baseline;
  if (use.update) {
    const entries = updateBaseline(result.scenarios, baseline.entries, today.toISOString().slice(0, 10));
    await writeBaseline(use.path, entries);
    log(`baseline written: ${use.path} (${entries.length} expected ${entries.length === 1 ? 'failure' : 'failures'})\n`);
    judgedBy = { ...baseline, entries };
  }
  const { scenarios, summary } = applyBaseline(result.scenarios, judgedBy);
  return { ...result, scenarios, baseline: summary };
}
