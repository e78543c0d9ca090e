import type { Reporter, TestCase } from 'vitest/node';
import type { ScenarioRecord } from '../harness/model.js';

/** A test that ended without a record: the harness itself broke while running it. */
export interface BrokenTest {
  name: string;
  message: string;
}

/** The vitest reporter that gathers each scenario test's record from its meta. It prints nothing:
 * the console matrix is rendered from the whole run afterwards. */
export class RecordCollector implements Reporter {
  readonly records: ScenarioRecord[] = [];
  readonly broken: BrokenTest[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const record = testCase.meta().whc;
    if (record) {
      this.records.push(record);
      return;
    }
    const errors = testCase.result().errors ?? [];
    this.broken.push({ name: testCase.name, message: errors[0]?.message ?? `test ended ${testCase.result().state}` });
  }
}
