import picomatch from 'picomatch';
import type { Capability, Scenario } from './model.js';

export interface PlanOptions {
  mtls: boolean;
  /** null: no signature profile. */
  profile: string | null;
  capabilities: readonly Capability[];
  include: readonly string[];
  exclude: readonly string[];
}

export interface SkippedScenario {
  scenario: Scenario;
  reason: string;
}

export interface Plan {
  /** Scenarios to send, in catalog order. */
  run: Scenario[];
  /** Selected but not applicable to this listener. */
  skipped: SkippedScenario[];
}

function skipReason(scenario: Scenario, options: PlanOptions): string | undefined {
  if (scenario.layer === 'mtls' && !options.mtls) return 'mTLS is off for this listener (--no-mtls)';
  if (scenario.layer === 'sig' && options.profile === null) return 'no signature profile (--profile none)';
  const missing = scenario.needs.filter((c) => !options.capabilities.includes(c));
  if (missing.length > 0) {
    return `needs capability ${missing.join(', ')}, not declared: add it with --capabilities ${missing.join(',')} if the listener supports it`;
  }
  return undefined;
}

/** Selects scenarios: include/exclude globs over ids, then what applies to this listener. A layer's
 * control always comes with its negatives, whatever the globs say: without it a rejection proves
 * nothing. Pure. */
export function makePlan(catalog: readonly Scenario[], options: PlanOptions): Plan {
  const included = options.include.length > 0 ? picomatch([...options.include]) : () => true;
  const excluded = options.exclude.length > 0 ? picomatch([...options.exclude]) : () => false;
  const chosen = new Set(catalog.filter((s) => included(s.id) && !excluded(s.id)));
  const layersChosen = new Set([...chosen].map((s) => s.layer));
  const plan: Plan = { run: [], skipped: [] };
  for (const scenario of catalog) {
    if (!chosen.has(scenario) && !(scenario.control && layersChosen.has(scenario.layer))) continue;
    const reason = skipReason(scenario, options);
    if (reason) plan.skipped.push({ scenario, reason });
    else plan.run.push(scenario);
  }
  return plan;
}
