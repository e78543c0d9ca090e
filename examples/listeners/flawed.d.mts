// Types for flawed.mjs, so TypeScript tests can import it under strict settings.
import type { ServerOptions } from 'node:https';
import type { CheckResult, Env, ListenerOverrides, VerifyInput } from './secure.mjs';

export type Flaw =
  | 'accept-any-cert'
  | 'no-crl'
  | 'no-signature-check'
  | 'no-timestamp-check'
  | 'future-timestamps-ok'
  | '500-on-bad-signature';

export const FLAWS: readonly Flaw[];
export function parseFlaws(text?: string): Set<Flaw>;
export function flawedTlsOptions(flaws: ReadonlySet<Flaw>): (env: Env) => ServerOptions;
export function acceptAnyClient(): CheckResult;
export function flawedVerify(flaws: ReadonlySet<Flaw>): (input: VerifyInput) => CheckResult;
export function flawOverrides(flaws: ReadonlySet<Flaw>): ListenerOverrides;
