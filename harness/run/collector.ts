import type { Reporter, TestCase } from 'vitest/node';
import type { BrokenTest, ScenarioRecord } from '../model.js';

/** A scenario test ended: its record, or what broke it. */
export type TestListener = (ended: { record: ScenarioRecord } | { broken: BrokenTest }) => void;

/** The vitest reporter that gathers each scenario test's record from its meta. It prints nothing:
 * the console matrix is rendered from the whole run afterwards. */
export class RecordCollector implements Reporter {
  readonly records: ScenarioRecord[] = [];
  readonly broken: BrokenTest[] = [];

  /** `onTest` hears of each test as it ends (progress). */
  constructor(private readonly onTest?: TestListener) {}

  onTestCaseResult(testCase: TestCase): void {
    const record = testCase.meta().whc;
    if (record) {
      this.records.push(record);
      this.onTest?.({ record });
      return;
    }
    const errors = testCase.result().errors ?? [];
    const broken = { name: testCase.name, message: errors[0]?.message ?? `test ended ${testCase.result().state}` };
    this.broken.push(broken);
    this.onTest?.({ broken });
  }
}
