import picomatch from 'picomatch';
import type { Capability, Layer, ProfileFeature, Scenario } from '../model.js';
import { findProfile, type GenericHmacSettings } from '../profiles/index.js';

export interface PlanOptions {
  mtls: boolean;
  /** false: a plain-http listener, with no TLS to test; default true. */
  tls?: boolean;
  /** null: no signature profile. */
  profile: string | null;
  capabilities: readonly Capability[];
  include: readonly string[];
  exclude: readonly string[];
  /** Only these layers are considered (the others are neither run nor listed); default all. */
  layers?: readonly Layer[];
  /** The generic-hmac profile's settings, which decide what it has. */
  genericHmac?: GenericHmacSettings;
  /** Capabilities declared but not testable in this setting, with the reason (see own-trust.ts). */
  unavailable?: Partial<Record<Capability, string>>;
}

/** Why a profile without the feature cannot express the scenario. */
const LACKS: Record<ProfileFeature, string> = {
  timestamp: 'signs no timestamp',
  'signed-id': 'signs no delivery id',
  'multiple-signatures': 'carries one signature per delivery',
  'scheme-label': 'puts no scheme label on its signatures',
  'shared-secret': 'is asymmetric: there is no shared secret',
};

export interface SkippedScenario {
  scenario: Scenario;
  reason: string;
}

export interface Plan<S extends Scenario = Scenario> {
  /** Scenarios to send, in catalog order. */
  run: S[];
  /** Selected but not applicable to this listener. */
  skipped: SkippedScenario[];
}


function skipReason(scenario: Scenario, options: PlanOptions, features: readonly ProfileFeature[]): string | undefined {
  if ((scenario.layer === 'mtls' || scenario.needsMtls) && !options.mtls) return 'mTLS is off for this listener (--no-mtls)';
  if (scenario.layer === 'sig' && options.profile === null) return 'no signature profile (--profile none)';
  if (scenario.layer === 'transport' && options.tls === false) return 'the listener speaks plain HTTP (an http:// URL): there is no TLS to test';
  const lacking = (scenario.requires ?? []).find((f) => !features.includes(f));
  if (lacking) return `not applicable: ${options.profile} ${LACKS[lacking]}`;
  const unavailable = scenario.needs.map((c) => options.unavailable?.[c]).find((reason) => reason !== undefined);
  if (unavailable) return unavailable;
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
  const features = options.profile === null ? [] : (findProfile(options.profile, options.genericHmac)?.features ?? []);
  const plan: Plan = { run: [], skipped: [] };
  for (const scenario of catalog) {
    if (options.layers && !options.layers.includes(scenario.layer)) continue;
    if (!chosen.has(scenario) && !(scenario.control && layersChosen.has(scenario.layer))) continue;
    const reason = skipReason(scenario, options, features);
    if (reason) plan.skipped.push({ scenario, reason });
    else plan.run.push(scenario);
  }
  return plan;
}
