import type { ResolvedConfig } from '../config/index.js';
import { ROTATION_NEEDS_HARNESS_CA } from '../config/index.js';
import type { Catalog, DrillSpec, PlannedDrill, PlannedDrillScenario, RotationTrust, Scenario } from '../model.js';
import { makePlan, type Plan } from './plan.js';

/** A pass of drills over the listener: as it runs, or restarted trusting other client roots. */
export interface DrillPhase {
  plan: Plan<PlannedDrillScenario>;
  restart?: RotationTrust;
}

const NO_SOURCES = 'no negative scenario of the mTLS or signature layers applies to this listener, so there is nothing to load it with';
const NEEDS_STARTED_TARGET = 'needs a listener the harness starts with a command: the drill restarts it with other client roots';

/** The bad deliveries a load is made of: each negative of the mTLS and signature layers that is
 * sent on an ordinary connection and needs no setup; its own send, not its variants. */
function loadSources(plan: Plan): Scenario[] {
  return plan.run
    .filter((s) => !s.control && s.expect === 'reject' && !s.setup && !s.followUp && !s.send.connection && (s.layer === 'mtls' || s.layer === 'sig'))
    .map(({ variants: _variants, ...source }) => source);
}

/** The drill with the run's scenarios it needs filled in. */
function materialize(drill: DrillSpec, matrix: Plan): PlannedDrill {
  const controls = matrix.run.filter((s) => s.control);
  switch (drill.kind) {
    case 'load':
      return { ...drill, sources: loadSources(matrix), controls };
    case 'oversized-body':
    case 'controls-after':
      return { ...drill, controls };
    default:
      return drill;
  }
}

/**
 * The drills this run sends (`--drills`), after everything else: the drills against the
 * listener as it runs, then one phase per rotation step. Controls and load sources come from the
 * whole matrix, whatever the globs selected. Pure.
 */
export function planDrills(catalog: Catalog, config: ResolvedConfig): DrillPhase[] {
  const options = { ...config, profile: config.profile };
  const selected = makePlan(catalog.drills, options);
  const matrix = makePlan(catalog.scenarios, { ...options, include: [], exclude: [] });
  const planned = (s: Scenario): PlannedDrillScenario[] => (s.drill ? [{ ...s, drill: materialize(s.drill, matrix) }] : []);
  const restartable = config.target.kind === 'process';
  const rotation = (s: Scenario) => s.drill?.kind === 'client-ca-rotation';
  const rotatable = restartable && !config.own.clientCa;

  const drills = selected.run.filter((s) => !rotation(s)).flatMap(planned);
  const empty = (s: PlannedDrillScenario) => s.drill.kind === 'load' && s.drill.sources.length === 0;
  const asItRuns: Plan<PlannedDrillScenario> = {
    run: drills.filter((s) => !empty(s)),
    skipped: [
      ...selected.skipped,
      ...drills.filter(empty).map((scenario) => ({ scenario, reason: NO_SOURCES })),
      ...(rotatable ? [] : selected.run.filter(rotation).map((scenario) => ({ scenario, reason: restartable ? ROTATION_NEEDS_HARNESS_CA : NEEDS_STARTED_TARGET }))),
    ],
  };
  const steps = selected.run.flatMap(planned).flatMap((s): DrillPhase[] => (rotatable && s.drill.kind === 'client-ca-rotation' ? [{ plan: { run: [s], skipped: [] }, restart: s.drill.trust }] : []));
  return [{ plan: asItRuns }, ...steps];
}

/** What drills send on behalf of other scenarios (load sources, controls), as one plan: the kit
 * must hold their client identities too. */
export function drillSourcePlan(phases: readonly DrillPhase[]): Plan {
  const run = phases.flatMap(({ plan }) => plan.run).flatMap(({ drill }) => [...('sources' in drill ? drill.sources : []), ...('controls' in drill ? drill.controls : [])]);
  return { run, skipped: [] };
}
