import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { SkipReporter } from './test/skip-reporter.js';

// The project's own tests, as two projects: `unit` (in process, no listener processes, only
// openssl and a shell as oracles: `npm run test:unit` for the edit loop) and `e2e` (real listeners
// and the built CLI, which `npm test` builds first), with generous deadlines; each wait inside has
// its own. Unit files share their worker's modules (isolate: false): loading the harness once per
// worker rather than once per file halves `test:unit` (16 → 9.5 s); no unit test leaves state behind.
// vitest's default on a 2-core machine is one file at a time (cores − 1); files run side by side,
// one per core (WHC_TEST_WORKERS overrides it). One more than that made the end-to-end runs hit
// their deadlines on a loaded machine.
const workers = Number(process.env.WHC_TEST_WORKERS) || availableParallelism();

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: workers,
    reporters: ['default', new SkipReporter()],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      // Within a file, tests marked concurrent run a few CLI runs at a time, not vitest's default 5.
      // Files side by side make each slower: the processes' own deadlines (45–60 s) fire first.
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'], maxConcurrency: 3, testTimeout: 120_000 },
      },
    ],
  },
});
