// Types for flawed.mjs, so TypeScript tests can import it under strict settings.
import type { ConnectionFlaw } from './connection-flaws.mjs';
import type { DrillFlaw } from './drill-flaws.mjs';
import type { ListenerOverrides, ReplayStore } from './secure.mjs';
import type { CheckResult, DeliveryInput } from './signatures.mjs';

export type Flaw =
  | ConnectionFlaw
  | 'no-signature-check'
  | 'no-timestamp-check'
  | 'future-timestamps-ok'
  | '500-on-bad-signature'
  | 'missing-headers-ok'
  | 'empty-secret-fallback'
  | 'length-truncating-compare'
  | 'unchecked-length-compare'
  | 'any-scheme-label'
  | 'first-signature-only'
  | 'nan-timestamp-ok'
  | 'reserialized-body'
  | 'no-replay-store'
  | 'dedupe-before-verify'
  | 'processes-then-rejects'
  | DrillFlaw;

export const FLAWS: readonly Flaw[];
export function parseFlaws(text?: string): Set<Flaw>;
export function flawedVerify(flaws: ReadonlySet<Flaw>): (input: DeliveryInput) => CheckResult;
export function forgetfulReplayStore(): ReplayStore;
export function flawOverrides(flaws: ReadonlySet<Flaw>): ListenerOverrides;
