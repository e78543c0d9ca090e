import type { Remediation, Scenario } from '../model.js';
import { findProfile } from '../profiles/index.js';

/** How to fix a failed scenario. A signature fix names the profile's verifier (its SDK call or
 * documented check); where that SDK is known to let this delivery through, the profile's own note
 * says which check to add instead. Pure. */
export function remediationFor(scenario: Scenario, profileName: string | null): Remediation | undefined {
  const remediation = scenario.remediation;
  const profile = profileName === null ? undefined : findProfile(profileName);
  if (remediation?.code === undefined || !profile) return remediation;
  const gap = profile.sdkGaps?.[scenario.id];
  return { ...remediation, code: gap ?? `${remediation.code}; with ${profile.verifier}` };
}
