import { readFile } from 'node:fs/promises';
import { kitPaths } from '../../certs/index.js';
import { classify, deliverOnOneConnection, type ClientCredentials, type Delivery, type Endpoint, buildDelivery, PROXIED_IDENTITY, summarizeRequest } from '../deliver/index.js';
import { judge, judgeFollowUp, judgeSetup, worstVerdict } from '../judge/index.js';
import type { DeliverySpec, Outcome, PlannedDrillScenario, RequestSummary, RunPosition, Scenario, ScenarioRecord, SentDelivery, Verdict } from '../model.js';
import { findProfile, newHomeGrownId, type GenericHmacSettings, type Profile } from '../profiles/index.js';
import { targetWentDown, type ServerCheck } from '../target/index.js';

/** What the harness hands the suites (through vitest's `provide`): plain data. */
export interface SuiteContext {
  /** The layers' scenarios this phase sends. */
  scenarios: Scenario[];
  /** The drills this phase sends, planned (none in a layer phase). */
  drills: PlannedDrillScenario[];
  kitDir: string;
  origin: string;
  servername: string;
  /** The listener's certificate is checked against this file (PEM); null: not checked (`--insecure-server-cert`). */
  serverCaFile: string | null;
  path: string;
  mtls: boolean;
  /** null: the listener checks no signature. */
  profile: string | null;
  /** The generic-hmac profile's settings, when that is the profile. */
  genericHmac?: GenericHmacSettings;
  /** What the harness signs with: the shared secret, or an asymmetric profile's private key. */
  signingKey: string;
  toleranceSeconds: number;
  timeoutMs: number;
  /** Precise rejections asked for (`--strict`). */
  strict: boolean;
}

/** What the suites inject: the phase's context but for the listener's origin, which comes through
 * the target gate once the listener is ready (target-gate.ts), and each scenario test's deadline,
 * which the scenario's own deadlines reach first (it only catches a harness bug). */
export interface ProvidedSuiteContext extends Omit<SuiteContext, 'origin'> {
  /** The name of the BroadcastChannel the origin comes on. */
  targetGate: string;
  testTimeoutMs: number;
}

/** Reads the kit once per worker and hands out credentials by identity name. */
export class KitReader {
  private readonly cache = new Map<string, Promise<string>>();
  constructor(private readonly dir: string) {}

  private read(file: string): Promise<string> {
    let text = this.cache.get(file);
    if (!text) {
      text = readFile(file, 'utf8');
      this.cache.set(file, text);
    }
    return text;
  }

  /** How to check the listener's certificate: nothing to check over plain HTTP. */
  async serverCheck(ctx: Pick<SuiteContext, 'origin' | 'serverCaFile'>): Promise<ServerCheck> {
    if (!ctx.origin.startsWith('https:')) return {};
    return ctx.serverCaFile === null ? { insecure: true } : { serverCa: await this.read(ctx.serverCaFile) };
  }

  async credentials(identity: string | null): Promise<ClientCredentials> {
    if (identity === null) return {};
    const paths = kitPaths(this.dir);
    const [cert, key] = await Promise.all([this.read(paths.clientCert(identity)), this.read(paths.clientKey(identity))]);
    return { cert, key };
  }
}

export { newHomeGrownId as newWebhookId } from '../profiles/index.js';

/** What every delivery of one scenario shares: where it goes, the profile it is signed with as of
 * one moment, the client credentials mTLS presents, and how reports show it. Drills send through it too. */
export interface ScenarioSender {
  endpoint: Endpoint;
  profile: Profile | undefined;
  /** A delivery id in the profile's format: an SDK may check it (GitHub's are UUIDs). */
  newId(): string;
  build(spec: DeliverySpec, webhookId: string): Promise<Delivery>;
  /** The client credentials to present; none when the listener does not ask for any. */
  credentials(identity: string | null): Promise<ClientCredentials>;
  summarize(delivery: Delivery): RequestSummary;
}

export async function scenarioSender(ctx: SuiteContext, kit: KitReader): Promise<ScenarioSender> {
  const profile = ctx.profile ? findProfile(ctx.profile, ctx.genericHmac) : undefined;
  if (ctx.profile && !profile) throw new Error(`unknown profile "${ctx.profile}"`);
  const now = Math.floor(Date.now() / 1000);
  const wrongKeys = [profile?.generateKeys().signingKey ?? '', profile?.generateKeys().signingKey ?? ''] as const;
  return {
    endpoint: {
      origin: ctx.origin,
      servername: ctx.servername,
      server: await kit.serverCheck(ctx),
      timeoutMs: ctx.timeoutMs,
    },
    profile,
    newId: profile?.newId ?? newHomeGrownId,
    build: async (spec, webhookId) =>
      buildDelivery(spec, {
        profile: profile ?? null,
        signingKey: ctx.signingKey,
        wrongKeys,
        toleranceSeconds: ctx.toleranceSeconds,
        path: ctx.path,
        now,
        webhookId,
        ...(spec.headers ? { proxiedCertPem: (await kit.credentials(PROXIED_IDENTITY)).cert } : {}),
      }),
    credentials: (identity) => (ctx.mtls ? kit.credentials(identity) : Promise.resolve({})),
    summarize: (delivery) => summarizeRequest(ctx.mtls ? delivery : { ...delivery, identity: null }, profile?.headers.signature),
  };
}

/** Builds, sends, classifies and judges one scenario: its setup deliveries first, in order, then the
 * judged ones. The worst judged verdict counts. */
export async function executeScenario(scenario: Scenario, ctx: SuiteContext, kit: KitReader, position: RunPosition): Promise<ScenarioRecord> {
  const sender = await scenarioSender(ctx, kit);
  // The last request sent under each webhook id, for reports.
  const requests = new Map<string, RequestSummary>();
  const sent: SentDelivery[] = [];
  /** Sends deliveries on one connection (the first one's identity); undefined outcomes were not sent. */
  const sendOnOneConnection = async (steps: ReadonlyArray<{ spec: DeliverySpec; webhookId: string }>, judged: boolean) => {
    const deliveries = await Promise.all(steps.map((step) => sender.build(step.spec, step.webhookId)));
    deliveries.forEach((delivery, i) => requests.set(steps[i]?.webhookId ?? '', sender.summarize(delivery)));
    const credentials = await sender.credentials(deliveries[0]?.identity ?? null);
    const outcomes = (await deliverOnOneConnection(sender.endpoint, credentials, deliveries)).map(classify);
    outcomes.forEach((outcome, i) => sent.push({ webhookId: steps[i]?.webhookId ?? '', outcome, judged }));
    // A connection that closed because the target died is no rejection.
    const last = outcomes[outcomes.length - 1];
    const down = last ? await targetWentDown(last, ctx.origin) : undefined;
    return { outcomes, ...(down ? { down: { verdict: 'error', reason: down } satisfies Verdict } : {}) };
  };
  const send = async (spec: DeliverySpec, webhookId: string, judged: boolean): Promise<{ outcome: Outcome; down?: Verdict }> => {
    const { outcomes, down } = await sendOnOneConnection([{ spec, webhookId }], judged);
    const [outcome] = outcomes;
    if (!outcome) throw new Error(`${scenario.id}: a delivery observed nothing`);
    return { outcome, ...(down ? { down } : {}) };
  };

  if (scenario.followUp) {
    const steps = [
      { spec: scenario.send, webhookId: sender.newId() },
      { spec: { ...scenario.send, signature: scenario.followUp.signature }, webhookId: sender.newId() },
    ];
    const { outcomes, down } = await sendOnOneConnection(steps, true);
    const [first, second] = outcomes;
    if (!first) throw new Error(`${scenario.id}: a delivery observed nothing`);
    const verdict = down ?? judgeFollowUp(scenario, first, second, { strict: ctx.strict });
    const outcome = second ? { ...second, detail: `${first.detail}, then ${second.detail} on the same connection` } : first;
    const judgedId = second ? (steps[1]?.webhookId ?? '') : (steps[0]?.webhookId ?? '');
    return { id: scenario.id, position, outcome, webhookId: judgedId, sent, request: requests.get(judgedId), verdict: verdict.verdict, reason: verdict.reason };
  }

  const webhookId = sender.newId();
  const setupVerdicts: Verdict[] = [];
  for (const spec of scenario.setup ?? []) {
    const { outcome, down } = await send(spec, webhookId, false);
    const refused = down ?? judgeSetup(outcome);
    if (refused) setupVerdicts.push(refused);
  }
  const judged: Array<{ spec: DeliverySpec; webhookId: string }> = [
    { spec: scenario.send, webhookId },
    ...(scenario.variants ?? []).map((spec) => ({ spec, webhookId: sender.newId() })),
  ];
  const results: Array<Verdict & { outcome: Outcome; webhookId: string }> = [];
  for (const step of judged) {
    const { outcome, down } = await send(step.spec, step.webhookId, true);
    const verdict = down ?? judge(scenario, outcome, { strict: ctx.strict });
    // Which form of the fault went wrong; a pass needs no such name.
    const named = scenario.variants && step.spec.variant && verdict.verdict !== 'pass';
    const reason = named ? `${step.spec.variant}: ${verdict.reason}` : verdict.reason;
    results.push({ ...verdict, reason, outcome, webhookId: step.webhookId });
  }
  const [first, ...others] = results;
  if (!first) throw new Error(`${scenario.id} sends nothing`);
  const worst = worstVerdict([first, ...others]);
  // A refused setup makes the rest inconclusive, unless something worse happened.
  const verdict = worstVerdict<Verdict>([worst, ...setupVerdicts]);
  return { id: scenario.id, position, outcome: worst.outcome, webhookId: worst.webhookId, sent, request: requests.get(worst.webhookId), verdict: verdict.verdict, reason: verdict.reason };
}
