import type { Scenario } from '../../harness/model.js';
import { MTLS_SCENARIOS } from './mtls.js';
import { SIG_SCENARIOS } from './sig.js';

/** Every scenario, in the order reports list them. */
export const CATALOG: readonly Scenario[] = [...MTLS_SCENARIOS, ...SIG_SCENARIOS];
