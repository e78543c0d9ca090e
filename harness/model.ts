// The words of docs/ARCHITECTURE.md as types. Every folder may import types from here; the value
// lists the types are made of live in vocabulary.ts (re-exported here).
import type { BASELINE_STATUSES, CAPABILITIES, CONNECTION_PHASES, LAYERS, OUTCOME_KINDS, PROFILE_FEATURES, SEVERITIES, VERDICTS } from './vocabulary.js';

export { LAYERS, SEVERITIES, CAPABILITIES, PROFILE_FEATURES, OUTCOME_KINDS, CONNECTION_PHASES, VERDICTS, FAILING_VERDICTS, BASELINE_STATUSES } from './vocabulary.js';

/** `drills`: what stresses or restarts the listener, run after the others only when asked (`--drills`). */
export type Layer = (typeof LAYERS)[number];

export type Severity = (typeof SEVERITIES)[number];

export type Expectation = 'accept' | 'reject';

/** How a rejection must look to pass. `any`: any refusal (TLS or HTTP). `http-4xx`: the listener
 * read the request, so it must answer 4xx; a 5xx means its verification threw on hostile input.
 * `not-processed`: a 4xx, or a 2xx for a delivery the listener recognises and does not process
 * again (a replay); the side-effect probe tells the two apart. */
export type RejectionRule = 'any' | 'http-4xx' | 'not-processed';

export type Capability = (typeof CAPABILITIES)[number];

/** What a signature scheme has. A scenario about a feature its profile lacks is skipped, never passed:
 * `timestamp` a signed timestamp; `signed-id` a delivery id inside the signed content;
 * `multiple-signatures` several signatures in one header (key rotation); `scheme-label` a version
 * label on each signature (`v1,`, `sha256=`); `shared-secret` an HMAC key (not an asymmetric pair). */
export type ProfileFeature = (typeof PROFILE_FEATURES)[number];

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
  /** Signature-scheme features the scenario is about; skipped with a profile that lacks one. */
  requires?: readonly ProfileFeature[];
  /** Needs mutual TLS on as well as its own layer (a bad certificate with a good signature). */
  needsMtls?: boolean;
  /** What a precise rejection looks like; with `--strict`, any other rejection is a warn. */
  precise?: PreciseRejection;
}

/** The rejections that say exactly what was wrong: TLS alerts by name (`certificate_expired`) or HTTP statuses. */
export interface PreciseRejection {
  alerts?: readonly string[];
  statuses?: readonly number[];
}

/** How to fix a listener that fails a scenario: Node `https` options and nginx directives (mTLS,
 * transport), and for signatures the code to write (`code`), naming the profile's SDK call. */
export interface Remediation {
  node?: string;
  nginx?: string;
  code?: string;
}

export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** When the listener ended the exchange. connect: before the TLS handshake finished;
 * before-request: after the handshake, before any byte of the request was written, or before the
 * whole of a large body was handed to the socket (the listener cannot have had the request); after-request: the request was (being) written, no status line came, so
 * the listener may have read and processed it; response: an HTTP status line arrived. */
export type ConnectionPhase = (typeof CONNECTION_PHASES)[number];

/** What was observed, without judgement. */
export interface Outcome {
  kind: OutcomeKind;
  phase: ConnectionPhase;
  status?: number;
  /** TLS alert name as the peer sent it, e.g. `certificate_required`, `unknown_ca`. */
  alert?: string;
  /** The error code the client saw, e.g. `ECONNRESET`, `UND_ERR_SOCKET`. */
  code?: string;
  /** One line a person can read: `HTTP 401`, `TLS alert certificate_required`, … */
  detail: string;
  ms: number;
  /** How long the connection took to set up (TCP and TLS handshake); absent when none was made. */
  connectMs?: number;
}

export type VerdictKind = (typeof VERDICTS)[number];

export interface Verdict {
  verdict: VerdictKind;
  reason: string;
}

export interface ScenarioResult extends ScenarioInfo, Verdict {
  /** The signature profile the scenario ran with (mTLS scenarios: the first profile's). */
  profile: string | null;
  outcome?: Outcome;
  /** How to fix it: set on failed scenarios whose catalog entry has one. */
  remediation?: Remediation;
  /** The judged request, as reports show it. */
  request?: RequestSummary;
  /** Set when the run had a baseline that lists this scenario. */
  baseline?: BaselineMark;
}

/** What one request carried, for reports: signature values are cut short, so a report holds no
 * usable signature. */
export interface RequestSummary {
  /** The client identity presented, or null for none. */
  identity: string | null;
  method: string;
  path: string;
  headers: Record<string, string>;
  bodyBytes: number;
}

/** A baselined scenario's standing: `expected-failure` still fails, as the baseline says, and does
 * not fail the run; `unexpected-pass` no longer fails, so the entry is stale and the run fails;
 * `not-run` was skipped or broke, which says nothing either way. */
export type BaselineStatus = (typeof BASELINE_STATUSES)[number];

export interface BaselineMark {
  status: BaselineStatus;
  /** Why the failure is accepted, from the baseline file. */
  note: string;
}

/** The baseline a run was judged against. */
export interface BaselineSummary {
  /** The file as the user named it. */
  file: string;
  expectedFailures: number;
  unexpectedPasses: number;
  /** Entries that match no scenario of this run (excluded, in another shard, or renamed). */
  unmatched: string[];
}

/** Which slice of the scenarios a sharded run sent: `index` of `count`, from 1. */
export interface ShardInfo {
  index: number;
  count: number;
}

export type TargetKind = 'process' | 'container' | 'url';

export interface TargetInfo {
  kind: TargetKind;
  /** The command line or the URL, as the user gave it. */
  description: string;
  /** Where deliveries went. */
  url: string;
}

/** 2: the outcome phase `after-connect` became `before-request` and `after-request`. 3: the drills'
 * layer `robust` became `drills`, their ids `robust.*` and `rotation.*` became `drills.*`. */
export const REPORT_SCHEMA_VERSION = 3;

export interface RunResult {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  target: TargetInfo;
  /** The first of `profiles`, or null: the one mTLS deliveries were signed with. */
  profile: string | null;
  /** Every profile the signature layer ran with, in order. */
  profiles: string[];
  mtls: boolean;
  capabilities: Capability[];
  /** Precise rejections asked for (`--strict`). */
  strict?: boolean;
  summary: Record<VerdictKind, number>;
  scenarios: ScenarioResult[];
  /** Present when the run was judged against a baseline file. */
  baseline?: BaselineSummary;
  /** Present when the run sent one shard of the scenarios (`--shard`). */
  shard?: ShardInfo;
  /** Present when a target the harness started exited while scenarios ran. */
  targetExit?: TargetExitInfo;
  /** What weakens every verdict of this run, such as an unverified listener certificate; every report shows them. */
  warnings?: string[];
}

/** A started target that exited mid-run: how, and the last lines it printed (secrets masked). */
export interface TargetExitInfo {
  /** `target exited with code 1`, `target was killed by SIGKILL`. */
  reason: string;
  output: string[];
}

/** Which header of a signature profile carries what. */
export type HeaderRole = 'signature' | 'timestamp' | 'id';

/** How a delivery's payload signature departs from a valid one; `{}` is a valid signature. Each
 * field is one way to depart, and a scenario uses one. */
export interface SignatureSpec {
  /** `wrong`: signed with another key of the same form; `empty`: an HMAC with an empty key. */
  key?: 'valid' | 'wrong' | 'empty';
  /** The timestamp signed and sent. `stale`/`future`: outside the tolerance by 60 s; `earlier`:
   * inside it, half the tolerance ago; `not-numeric`: the current time as ISO 8601 text. */
  timestamp?: 'now' | 'stale' | 'future' | 'earlier' | 'not-numeric';
  /** The timestamp header claims this instead of the signed one (the signature is left as it was). */
  sentTimestamp?: 'now';
  /** Headers left out. An omitted id or timestamp is signed as empty text, so only a listener that
   * carries on without it can accept. */
  omit?: readonly HeaderRole[];
  /** Signed over the original body, sent with one byte changed. */
  tamperBody?: boolean;
  /** The valid signature value, altered: cut to half its length; characters outside its encoding;
   * one character too many; non-ASCII characters at the same character count. */
  value?: 'truncated' | 'not-encoded' | 'odd-length' | 'multibyte';
  /** The valid signature under another scheme label (`v2,` where `v1,` is required). */
  wrongLabel?: boolean;
  /** Several signatures in the header: a wrong one before the valid one, or two wrong ones. */
  signatures?: 'wrong-then-valid' | 'two-wrong';
  /** Body bytes: `non-canonical` JSON (odd whitespace, escapes, key order, trailing newline). */
  body?: 'canonical' | 'non-canonical';
  /** Header names in unusual letter case. */
  headerCase?: 'unusual';
}

export interface DeliverySpec {
  /** A client identity by its name in the certs catalog (or `NEXT_ROOT_IDENTITY`; test/unit/catalog-export.test.ts
   * checks every one); null sends no client certificate. A string, so the public types need nothing of certs/. */
  identity: string | null;
  signature: SignatureSpec;
  /** Names this delivery in a verdict's reason when a scenario sends several forms of one fault. */
  variant?: string;
  /** How the connection departs from the default one; absent: TLS as both sides prefer, a fresh session. */
  connection?: ConnectionSpec;
  /** Extra request headers, by the name of a set: `client-cert-proxy` claims a proxy verified the valid client certificate. */
  headers?: 'client-cert-proxy';
}

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** Transport departures, each one way a connection can differ from a provider's. */
export interface ConnectionSpec {
  /** `http`: plain HTTP to the listener's TLS port. */
  scheme?: 'https' | 'http';
  /** Only this TLS version is offered. */
  tlsVersion?: TlsVersion;
  /** Only these cipher suites are offered: `legacy-cbc`, CBC suites with SHA-1 MACs (static RSA and ECDHE). */
  ciphers?: 'legacy-cbc';
  /** `resumed`: first a handshake with the same identity; the delivery then goes on a connection
   * resuming that handshake's TLS session, if the listener granted one. */
  session?: 'resumed';
}

/** A scenario as data: what it is, what it sends, what it expects. */
export interface Scenario extends ScenarioInfo {
  /** Ids it had before a rename: still accepted in baselines and `--include/--exclude` globs,
   * each use with a deprecation notice naming `id`. */
  formerIds?: readonly string[];
  send: DeliverySpec;
  /** How to fix a listener that fails this scenario. */
  remediation?: Remediation;
  /** Sent first, in order, with the same webhook id and expected to be accepted: the genuine
   * delivery that `send` replays or alters. Scenarios with setup run one at a time. */
  setup?: readonly DeliverySpec[];
  /** More forms of the same fault, each judged like `send` on a webhook id of its own; the worst
   * verdict counts. */
  variants?: readonly DeliverySpec[];
  /** A drill: how it departs from sending `send` once (layer `drills`). */
  drill?: DrillSpec;
  /** Sent on the same kept-alive connection (same client certificate) once `send` was answered
   * 4xx, on a webhook id of its own: a listener that authorizes each request instead of the
   * connection lets it through. Judged with `send`; skipped when there is no connection left. */
  followUp?: FollowUpSpec;
}

/** A request on a connection another delivery opened: only its signature is its own. */
export type FollowUpSpec = Pick<DeliverySpec, 'signature'>;

/** The scenarios a run can send, handed to the run by its caller (the CLI passes `suites/catalog`),
 * never imported by the harness: the layers every run sends, and the drills `--drills` adds. */
export interface Catalog {
  scenarios: readonly Scenario[];
  drills: readonly Scenario[];
}

/** What a drill does, as catalog data. */
export type DrillSpec =
  | { kind: 'controls-after' }
  | { kind: 'load'; count: number; concurrency: number }
  | { kind: 'oversized-body'; bytes: number }
  | { kind: 'slow-headers'; byteIntervalMs: number; withinMs: number }
  | { kind: 'client-ca-rotation'; trust: RotationTrust; accept: readonly string[]; reject: readonly string[] };

type DrillOf<K extends DrillSpec['kind']> = Extract<DrillSpec, { kind: K }>;

/** A drill as one run's plan holds it (`plan/drill-plan.ts`): its spec with the run's own scenarios
 * it sends besides its own delivery: `sources`, the bad deliveries a load is made of; `controls`,
 * the good ones that must still pass afterwards. */
export type PlannedDrill =
  | (DrillOf<'load'> & { sources: readonly Scenario[]; controls: readonly Scenario[] })
  | (DrillOf<'oversized-body' | 'controls-after'> & { controls: readonly Scenario[] })
  | DrillOf<'slow-headers' | 'client-ca-rotation'>;

/** A drill scenario as a run's plan holds it: its drill planned. */
export interface PlannedDrillScenario extends Scenario {
  drill: PlannedDrill;
}

/** Which client roots a restarted listener trusts in a rotation drill: the kit's root and the next
 * one, or the next one alone. */
export type RotationTrust = 'old+new' | 'new';

/** Which run of a scenario: controls run first and last. */
export type RunPosition = 'first' | 'last' | 'only';

/** One request a scenario sent and what came of it. */
export interface SentDelivery {
  webhookId: string;
  outcome: Outcome;
  /** false for setup deliveries, which only prepare the judged ones. */
  judged: boolean;
}

/** One scenario run, as a suite stores it in its test's meta. */
export interface ScenarioRecord extends Verdict {
  id: string;
  position: RunPosition;
  /** The judged delivery the verdict comes from. */
  outcome: Outcome;
  webhookId: string;
  /** Every delivery sent, setup included, in order: the side-effect probe reads them. */
  sent: SentDelivery[];
  /** The judged request the verdict comes from. */
  request?: RequestSummary;
}

/** A scenario test that ended without a record: the harness itself broke while running it. */
export interface BrokenTest {
  name: string;
  message: string;
}
