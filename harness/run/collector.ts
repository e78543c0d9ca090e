import type { Reporter, TestCase } from 'vitest/node';
import type { BrokenTest, ScenarioRecord } from '../model.js';

/** A scenario test ended: its record, or what broke it. */
export type TestListener = (ended: { record: ScenarioRecord } | { broken: BrokenTest }) => void;

/** The vitest reporter that gathers each scenario test's record from its meta. It prints nothing:
 * the console matrix is rendered from the whole run afterwards. */
export class RecordCollector implements Reporter {
  private records: ScenarioRecord[] = [];
  private broken: BrokenTest[] = [];
  private onTest: TestListener | undefined;

  /** Starts a suite run's collection: `onTest` hears of each test as it ends (progress). */
  begin(onTest?: TestListener): void {
    this.records = [];
    this.broken = [];
    this.onTest = onTest;
  }

  /** What the suite run left. */
  take(): { records: ScenarioRecord[]; broken: BrokenTest[] } {
    return { records: this.records, broken: this.broken };
  }

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
