import type { Catalog, Scenario } from '../../harness/model.js';
import { MTLS_SCENARIOS } from './mtls.js';
import { SIG_SCENARIOS } from './sig.js';
import { DRILL_SCENARIOS } from './drills.js';
import { TRANSPORT_SCENARIOS } from './transport.js';

/** Every scenario, in the order reports list them. */
export const CATALOG: readonly Scenario[] = [...MTLS_SCENARIOS, ...TRANSPORT_SCENARIOS, ...SIG_SCENARIOS];

/** The drills (layer `drills`): run only when asked for (`--drills`). */
export { DRILL_SCENARIOS } from './drills.js';

/** The catalog the CLI hands to every command. */
export const DEFAULT_CATALOG: Catalog = { scenarios: CATALOG, drills: DRILL_SCENARIOS };
