import { resolve } from 'node:path';
import { Command } from 'commander';
import { collect } from './run-command.js';
import { readRunBaseline, exitCodeFor } from '../judge/index.js';
import { REPORTERS, type ReporterName } from '../config/index.js';
import { HarnessError } from '../errors.js';
import type { Catalog } from '../model.js';
import { stdoutIo, writeReports } from '../run/index.js';

interface MergeFlags {
  out: string;
  reporter?: string[];
  baseline?: string;
}

function reporters(names: readonly string[] | undefined): ReporterName[] {
  const chosen = (names ?? []).flatMap((r) => r.split(',')).map((r) => r.trim());
  const unknown = chosen.find((r) => !(REPORTERS as readonly string[]).includes(r));
  if (unknown !== undefined) throw new HarnessError(`--reporter: unknown reporter "${unknown}": expected some of ${REPORTERS.join(', ')}`);
  return REPORTERS.filter((r) => r === 'console' || chosen.includes(r));
}

/** `wh-conformance merge OUT1 OUT2 …`: the shards' JSON reports as one run, through every writer. */
export function mergeCommand(catalog: Catalog): Command {
  const ids = [...catalog.scenarios, ...catalog.drills].map((s) => s.id);
  return new Command('merge')
    .description('combine the JSON reports of a run split across jobs (--shard) into one, with every report format')
    .argument('<reports...>', 'output directories of the shards (or their wh-conformance.json files)')
    .option('--out <dir>', 'directory for the merged reports', 'wh-conformance-report')
    .option('--reporter <name>', `report format besides the console: ${REPORTERS.join('|')} (repeatable)`, collect)
    .option('--baseline <file>', 'judge the merged run against this baseline instead of the one the shards used')
    .action(async (paths: string[], options: MergeFlags) => {
      const chosen = reporters(options.reporter);
      // Loaded here: its schema validator (ajv) is no cost of the other commands.
      const { catalogOrder, mergeReports, readReportInput } = await import('./merge.js');
      const inputs = await Promise.all(paths.map((path) => readReportInput(path)));
      const baseline = options.baseline ? await readRunBaseline({ path: resolve(options.baseline), update: false }, catalog) : undefined;
      for (const notice of baseline?.notices ?? []) process.stdout.write(`${notice}\n`);
      const profiles = inputs[0]?.report.profiles ?? [];
      const result = mergeReports(inputs, catalogOrder(ids, profiles), baseline);
      await writeReports(result, { reporters: chosen, outputDir: resolve(options.out) }, stdoutIo());
      process.exitCode = exitCodeFor(result.scenarios);
    });
}
