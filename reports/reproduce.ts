import type { RunResult, ScenarioResult } from '../harness/model.js';

/**
 * How to replay a failing scenario by hand: the `repro` command that writes its deliveries and
 * prints the curl command sending each. `repro` sends to a running listener, so a listener the run
 * started is named by the kit it must be started with. Undefined for drills (many deliveries). Pure.
 */
export function reproduceCommand(s: ScenarioResult, result: Pick<RunResult, 'target'>): string | undefined {
  if (s.layer === 'drills') return undefined;
  const profile = s.profile !== null ? ` --profile ${s.profile}` : '';
  const base = `npx wh-conformance repro ${s.id}${profile}`;
  return result.target.kind === 'url'
    ? `${base} --url ${result.target.url} (with this run's --certs DIR, or its own-trust flags)`
    : `npx wh-conformance certs --out whc-kit  # start the listener with it, then: ${base} --url https://127.0.0.1:PORT --certs whc-kit`;
}
