import type { Remediation } from '../harness/model.js';

export interface Fix {
  label: string;
  text: string;
}

/** A remediation as labelled lines, the same in every report: Node, nginx, then the code to write
 * (labelled with the signature profile it is for). */
export function fixesOf(remediation: Remediation | undefined, profile: string | null): Fix[] {
  if (!remediation) return [];
  const fixes: Fix[] = [];
  if (remediation.node !== undefined) fixes.push({ label: 'fix (Node https)', text: remediation.node });
  if (remediation.nginx !== undefined) fixes.push({ label: 'fix (nginx)', text: remediation.nginx });
  if (remediation.code !== undefined) fixes.push({ label: profile === null ? 'fix (code)' : `fix (${profile})`, text: remediation.code });
  return fixes;
}
