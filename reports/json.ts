import type { RunResult } from '../harness/model.js';
import { writeReport } from './write.js';

export const JSON_FILE = 'wh-conformance.json';

export function renderJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** Writes `outDir/wh-conformance.json`; returns its path. */
export function writeJson(result: RunResult, outDir: string): Promise<string> {
  return writeReport(outDir, JSON_FILE, renderJson(result));
}
