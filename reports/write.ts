import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes one rendered report into `outDir` (created if missing) and returns the file's path. */
export async function writeReport(outDir: string, fileName: string, content: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, fileName);
  await writeFile(path, content, 'utf8');
  return path;
}
