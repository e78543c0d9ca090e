// The words of DESIGN.md as types. Every folder may import types from here.

export const LAYERS = ['mtls', 'sig'] as const;
export type Layer = (typeof LAYERS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Expectation = 'accept' | 'reject';

/** How a rejection must look to pass. `any`: any refusal (TLS or HTTP). `http-4xx`: the listener
 * read the request, so it must answer 4xx; a 5xx means its verification threw on hostile input. */
export type RejectionRule = 'any' | 'http-4xx';

export const CAPABILITIES = ['crl', 'ocsp', 'subject-pinning', 'replay-protection', 'events-file'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** What every scenario is, without how it is sent: what `list` prints and reports carry. */
export interface ScenarioInfo {
  id: string;
  layer: Layer;
  title: string;
  severity: Severity;
  reference: string;
  needs: readonly Capability[];
  expect: Expectation;
  rejection: RejectionRule;
  /** The layer's positive control: sent first and last; if it fails, the layer's negatives prove nothing. */
  control: boolean;
}

export const OUTCOME_KINDS = [
  'accepted',
  'http-rejected',
  'http-other',
  'tls-alert',
  'closed-during-handshake',
  'connection-closed',
  'connection-reset',
  'connection-refused',
  'timeout',
  'protocol-error',
] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** connect: before the TLS handshake finished; after-connect: the request was (being) written, no
 * response yet; response: an HTTP status line arrived. */
export type Phase = 'connect' | 'after-connect' | 'response';

/** What was observed, without judgement. */
export interface Outcome {
  kind: OutcomeKind;
  phase: Phase;
  status?: number;
  /** TLS alert name as the peer sent it, e.g. `certificate_required`, `unknown_ca`. */
  alert?: string;
  /** The error code the client saw, e.g. `ECONNRESET`, `UND_ERR_SOCKET`. */
  code?: string;
  /** One line a person can read: `HTTP 401`, `TLS alert certificate_required`, … */
  detail: string;
  ms: number;
}

export const VERDICTS = ['pass', 'fail', 'warn', 'skip', 'inconclusive', 'error'] as const;
export type VerdictKind = (typeof VERDICTS)[number];

export interface Verdict {
  verdict: VerdictKind;
  reason: string;
}

export interface ScenarioResult extends ScenarioInfo, Verdict {
  profile: string | null;
  outcome?: Outcome;
}

export type TargetKind = 'process' | 'url';

export interface TargetInfo {
  kind: TargetKind;
  /** The command line or the URL, as the user gave it. */
  description: string;
  /** Where deliveries went. */
  url: string;
}

export interface RunResult {
  schemaVersion: 1;
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  target: TargetInfo;
  profile: string | null;
  mtls: boolean;
  capabilities: Capability[];
  summary: Record<VerdictKind, number>;
  scenarios: ScenarioResult[];
}

/** Which header of a signature profile carries what. */
export type HeaderRole = 'signature' | 'timestamp' | 'id';

/** How a delivery's payload signature departs from a valid one; `{}` is a valid signature. */
export interface SignatureSpec {
  /** `wrong`: signed with another secret of the same form. */
  key?: 'valid' | 'wrong';
  /** `stale`/`future`: outside the tolerance by 60 s. */
  timestamp?: 'now' | 'stale' | 'future';
  omit?: readonly HeaderRole[];
  /** Signed over the original body, sent with one byte changed. */
  tamperBody?: boolean;
}

export interface DeliverySpec {
  /** A client identity by its name in the certs catalog; null sends no client certificate. */
  identity: string | null;
  signature: SignatureSpec;
}

/** A scenario as data: what it is, what it sends, what it expects. */
export interface Scenario extends ScenarioInfo {
  send: DeliverySpec;
}

/** Which run of a scenario: controls run first and last. */
export type RunPosition = 'first' | 'last' | 'only';

/** One scenario run, as a suite stores it in its test's meta. */
export interface ScenarioRecord extends Verdict {
  id: string;
  position: RunPosition;
  outcome: Outcome;
  webhookId: string;
}
