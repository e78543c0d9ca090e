import type { SuiteContext } from './execute.js';
import type { ScenarioRecord } from '../model.js';

// What the harness provides to the suites and what each scenario test leaves in its meta.
declare module 'vitest' {
  interface ProvidedContext {
    whc: SuiteContext;
  }
  interface TaskMeta {
    whc?: ScenarioRecord;
  }
}
