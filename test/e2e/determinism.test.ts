import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, readReport, runCli, verdictsOf } from './cli.js';

const RUNS = 20;
const out = mkdtempSync(join(tmpdir(), 'whc-determinism-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('determinism', () => {
  it(`the default matrix run ${RUNS} times in a row gives the same verdicts every time`, { timeout: RUNS * 30_000 }, async () => {
    const runs: Array<Record<string, string>> = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = join(out, String(i));
      const result = await runCli(['run', '--reporter', 'json', '--out', dir]);
      expect([i, result.code, result.stderr]).toEqual([i, 0, '']);
      runs.push(verdictsOf(readReport(dir)));
      expect(leftovers(result)).toEqual([]);
    }
    const [first, ...rest] = runs;
    expect(Object.keys(first ?? {}).length).toBeGreaterThan(40);
    for (const [i, verdicts] of rest.entries()) expect([i + 1, verdicts]).toEqual([i + 1, first]);
  });
});
