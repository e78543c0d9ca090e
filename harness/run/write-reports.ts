import { appendFile } from 'node:fs/promises';
import { renderAnnotations, renderConsole, renderMarkdown, writeHtml, writeJson, writeJunit, writeMarkdown } from '../../reports/index.js';
import { stdoutColor } from './color.js';
import type { ReporterName } from '../config/index.js';
import { HarnessError } from '../errors.js';
import type { RunResult } from '../model.js';
import { RUN_SECRETS } from '../kit/index.js';

export interface ReportIo {
  write(text: string): void;
  color: boolean;
  /** Terminal columns, when writing to one. */
  width?: number;
}

/** A log or a pipe has no width to respect: rows get room to stay whole. */
const LOG_WIDTH = 160;

/** Reports to stdout: colors where supported, a terminal's own width (at least 100 columns). */
export function stdoutIo(): ReportIo {
  const { columns } = process.stdout;
  return { write: (text) => process.stdout.write(text), color: stdoutColor(), width: columns ? Math.max(100, columns) : LOG_WIDTH };
}

export interface ReportOptions {
  reporters: readonly ReporterName[];
  outputDir: string;
}

const FILE_WRITERS: Record<Exclude<ReporterName, 'console'>, (result: RunResult, outDir: string) => Promise<string>> = {
  json: writeJson,
  junit: writeJunit,
  html: writeHtml,
  markdown: writeMarkdown,
};

/** A write that failed, as one line naming what could not be done and where. */
const failedTo = (what: string) => (err: unknown): never => {
  throw new HarnessError(`cannot ${what}: ${err instanceof Error ? err.message : String(err)}`);
};

/** Every report of one result: the console matrix always, the files asked for, and inside a GitHub
 * Actions job the job summary and an annotation per failing scenario. Secrets are masked in all. */
export async function writeReports(unmasked: RunResult, options: ReportOptions, io: ReportIo, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const result = RUN_SECRETS.maskDeep(unmasked);
  io.write(renderConsole(result, { color: io.color, width: io.width }));
  for (const reporter of options.reporters) {
    if (reporter === 'console') continue;
    const written = await FILE_WRITERS[reporter](result, options.outputDir).catch(failedTo(`write the ${reporter} report in ${options.outputDir}`));
    io.write(`report written: ${written}\n`);
  }
  if (env.GITHUB_STEP_SUMMARY) {
    const summary = env.GITHUB_STEP_SUMMARY;
    await appendFile(summary, renderMarkdown(result), 'utf8').catch(failedTo(`append the job summary to GITHUB_STEP_SUMMARY (${summary})`));
    io.write(renderAnnotations(result));
  }
}
