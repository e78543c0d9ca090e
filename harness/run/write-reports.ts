import { appendFile } from 'node:fs/promises';
import pc from 'picocolors';
import { renderAnnotations, renderConsole, renderMarkdown, writeHtml, writeJson, writeJunit, writeMarkdown } from '../../reports/index.js';
import type { ReporterName } from '../config/index.js';
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
  return { write: (text) => process.stdout.write(text), color: pc.isColorSupported, width: columns ? Math.max(100, columns) : LOG_WIDTH };
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

/** Every report of one result: the console matrix always, the files asked for, and inside a GitHub
 * Actions job the job summary and an annotation per failing scenario. Secrets are masked in all. */
export async function writeReports(unmasked: RunResult, options: ReportOptions, io: ReportIo, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const result = RUN_SECRETS.maskDeep(unmasked);
  io.write(renderConsole(result, { color: io.color, width: io.width }));
  for (const reporter of options.reporters) {
    if (reporter === 'console') continue;
    io.write(`report written: ${await FILE_WRITERS[reporter](result, options.outputDir)}\n`);
  }
  if (env.GITHUB_STEP_SUMMARY) {
    await appendFile(env.GITHUB_STEP_SUMMARY, renderMarkdown(result), 'utf8');
    io.write(renderAnnotations(result));
  }
}
