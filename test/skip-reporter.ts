import type { Reporter, TestModule } from 'vitest/node';
import { MARKER, REQUIRE_ENV } from './system-parts.js';

/** After vitest's own summary: one block listing the system parts that were missing, which test
 * files skipped for each, and the command that enables them (see test/system-parts.ts). */
export class SkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped = new Map<string, { reason: string; files: string[] }>();
    for (const module of testModules) {
      for (const test of module.children.allTests('skipped')) {
        const result = test.result();
        const note = result.state === 'skipped' ? result.note : undefined;
        if (!test.name.startsWith(MARKER) || note === undefined) continue;
        const part = test.name.slice(MARKER.length);
        const entry = skipped.get(part) ?? { reason: note, files: [] };
        entry.files.push(module.relativeModuleId);
        skipped.set(part, entry);
      }
    }
    if (skipped.size === 0) return;
    const lines = [...skipped].map(([part, { reason, files }]) => `  ${part}: ${reason}\n    skipped in ${files.join(', ')}`);
    process.stdout.write(
      `\nSkipped for missing system parts (${REQUIRE_ENV}=1 makes these failures; .ci/run installs them all):\n${lines.join('\n')}\n\n`,
    );
  }
}
