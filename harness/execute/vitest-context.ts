import type { ProvidedSuiteContext } from './execute.js';
import type { ScenarioRecord } from '../model.js';
// Names the module it augments, so the augmentation holds wherever this file is loaded from.
import type {} from 'vitest';

// What the harness provides to the suites and what each scenario test leaves in its meta.
declare module 'vitest' {
  interface ProvidedContext {
    whc: ProvidedSuiteContext;
  }
  interface TaskMeta {
    whc?: ScenarioRecord;
  }
}
