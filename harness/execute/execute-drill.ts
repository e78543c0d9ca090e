import { NEXT_ROOT_IDENTITY } from '../../certs/index.js';
import { classify, deliver, trickleHeaders } from '../deliver/index.js';
import { executeScenario, scenarioSender, type KitReader, type SuiteContext } from './execute.js';
import { judge, worstVerdict } from '../judge/index.js';
import type { Outcome, PlannedDrill, PlannedDrillScenario, Scenario, ScenarioRecord, Verdict } from '../model.js';
import { stillListening, targetWentDown } from '../target/index.js';

type Drill<K extends PlannedDrill['kind']> = Extract<PlannedDrill, { kind: K }>;

const percent = (part: number, whole: number) => `${Math.floor((part / Math.max(1, whole)) * 100)}%`;
const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** One record standing for several deliveries: the given verdict, shown with the delivery it is about. */
function combined(scenario: Scenario, about: ScenarioRecord, records: readonly ScenarioRecord[], verdict: Verdict): ScenarioRecord {
  return { ...about, id: scenario.id, position: 'only', sent: records.flatMap((r) => r.sent), ...verdict };
}

/** The controls again; the first that does not pass, if any. */
async function runControls(controls: readonly Scenario[], ctx: SuiteContext, kit: KitReader): Promise<{ records: ScenarioRecord[]; refused?: ScenarioRecord }> {
  const records: ScenarioRecord[] = [];
  for (const control of controls) records.push(await executeScenario(control, ctx, kit, 'only'));
  return { records, refused: records.find((r) => r.verdict !== 'pass') };
}

/** Runs `work` over `items`, `concurrency` at a time, keeping the order of the results. */
async function pooled<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

function describeRejections(records: readonly ScenarioRecord[]): string {
  const http = records.filter((r) => r.outcome.kind === 'http-rejected').length;
  const tls = records.filter((r) => ['tls-alert', 'closed-during-handshake', 'connection-closed', 'connection-reset'].includes(r.outcome.kind)).length;
  return [http > 0 ? `${http} with a 4xx` : '', tls > 0 ? `${tls} at the TLS layer` : ''].filter(Boolean).join(', ');
}

async function load(scenario: Scenario, drill: Drill<'load'>, ctx: SuiteContext, kit: KitReader): Promise<ScenarioRecord> {
  const sources = drill.sources ?? [];
  const jobs = Array.from({ length: drill.count }, (_, i) => sources[i % sources.length]).filter((s): s is Scenario => s !== undefined);
  const records = await pooled(jobs, drill.concurrency, (source) => executeScenario(source, ctx, kit, 'only'));
  const [head] = records;
  if (!head) throw new Error(`${scenario.id}: no negative scenario applies to this listener`);
  const rate = `${drill.concurrency} at a time`;
  const broken = records.find((r) => r.verdict === 'error');
  if (broken) return combined(scenario, broken, records, { verdict: 'error', reason: `${broken.id} under load: ${broken.reason}` });
  const failed = records.filter((r) => r.verdict === 'fail');
  const through = failed.filter((r) => r.outcome.kind === 'accepted');
  const worst = through[0] ?? failed[0];
  if (worst) {
    const what = through.length > 0 ? `${through.length} of ${records.length} bad deliveries got through` : `${failed.length} of ${records.length} bad deliveries were refused the wrong way`;
    const reason = `${what} at ${rate} (rejection rate ${percent(records.length - through.length, records.length)}); first: ${worst.id}: ${worst.reason}`;
    return combined(scenario, worst, records, { verdict: 'fail', reason });
  }
  const after = await runControls(drill.controls ?? [], ctx, kit);
  const all = [...records, ...after.records];
  if (after.refused) return combined(scenario, after.refused, all, { verdict: 'fail', reason: `every bad delivery was rejected, but afterwards ${after.refused.id} was: ${after.refused.reason}` });
  const sloppy = records.filter((r) => r.verdict === 'warn');
  const summary = `${records.length} of ${records.length} rejected at ${rate} (rejection rate 100%: ${describeRejections(records)})`;
  if (sloppy[0]) return combined(scenario, sloppy[0], all, { verdict: 'warn', reason: `${summary}, but ${sloppy.length} not well; first: ${sloppy[0].id}: ${sloppy[0].reason}` });
  return combined(scenario, head, all, { verdict: 'pass', reason: `${summary}; the controls passed afterwards` });
}

/** The valid delivery's headers, with a body of `bytes` that no signature covers. */
async function oversized(scenario: Scenario, drill: Drill<'oversized-body'>, ctx: SuiteContext, kit: KitReader): Promise<ScenarioRecord> {
  const sender = await scenarioSender(ctx, kit);
  const webhookId = sender.newId();
  const built = await sender.build(scenario.send, webhookId);
  const prefix = `{"type":"invoice.paid","id":"${webhookId}","padding":"`;
  const body = Buffer.alloc(drill.bytes, 'a');
  body.write(prefix);
  body.write('"}', drill.bytes - 2);
  const delivery = { ...built, body };
  const outcome = classify(await deliver(sender.endpoint, await sender.credentials(delivery.identity), delivery));
  const record: ScenarioRecord = {
    id: scenario.id,
    position: 'only',
    outcome,
    webhookId,
    sent: [{ webhookId, outcome, judged: true }],
    request: sender.summarize(delivery),
    verdict: 'pass',
    reason: '',
  };
  if (!(await stillListening(ctx.origin))) {
    return { ...record, verdict: 'fail', reason: `the listener fell over: it stopped listening after a ${mib(drill.bytes)} body (${outcome.detail})` };
  }
  const verdict = judge(scenario, outcome);
  if (verdict.verdict !== 'pass' && verdict.verdict !== 'warn') return { ...record, ...verdict };
  const after = await runControls(drill.controls ?? [], ctx, kit);
  if (after.refused) return combined(scenario, after.refused, [record, ...after.records], { verdict: 'fail', reason: `rejected the ${mib(drill.bytes)} body, but afterwards ${after.refused.id} was: ${after.refused.reason}` });
  return { ...record, sent: [...record.sent, ...after.records.flatMap((r) => r.sent)], ...verdict, reason: `${verdict.reason} (${outcome.detail} for ${mib(drill.bytes)}); still serving afterwards` };
}

function judgeTrickle(outcome: Outcome, drill: Drill<'slow-headers'>): Verdict {
  switch (outcome.kind) {
    case 'timeout':
      if (outcome.phase === 'connect') return { verdict: 'error', reason: `could not open a connection to trickle headers into: ${outcome.detail}` };
      return {
        verdict: 'warn',
        reason: `kept the connection open for ${drill.withinMs / 1000} s while the headers trickled in: a few hundred such connections tie the listener up; set a header timeout`,
      };
    case 'connection-refused':
    case 'closed-during-handshake':
      return { verdict: 'error', reason: `could not open a connection to trickle headers into: ${outcome.detail}` };
    default:
      return { verdict: 'pass', reason: `closed it: ${outcome.detail}` };
  }
}

async function slowHeaders(scenario: Scenario, drill: Drill<'slow-headers'>, ctx: SuiteContext, kit: KitReader): Promise<ScenarioRecord> {
  const sender = await scenarioSender(ctx, kit);
  const outcome = await trickleHeaders({
    origin: sender.endpoint.origin,
    servername: sender.endpoint.servername,
    server: sender.endpoint.server,
    credentials: await sender.credentials(scenario.send.identity),
    path: ctx.path,
    byteIntervalMs: drill.byteIntervalMs,
    withinMs: drill.withinMs,
    connectTimeoutMs: ctx.timeoutMs,
  });
  const down = await targetWentDown(outcome, ctx.origin);
  const verdict = down ? { verdict: 'error' as const, reason: down } : judgeTrickle(outcome, drill);
  const webhookId = sender.newId();
  return { id: scenario.id, position: 'only', outcome, webhookId, sent: [], ...verdict };
}

async function controlsAfter(scenario: Scenario, drill: Drill<'controls-after'>, ctx: SuiteContext, kit: KitReader): Promise<ScenarioRecord> {
  const { records, refused } = await runControls(drill.controls ?? [], ctx, kit);
  const [first] = records;
  if (!first) throw new Error(`${scenario.id}: the run has no control to send again`);
  if (refused) return combined(scenario, refused, records, { verdict: refused.verdict === 'error' ? 'error' : 'fail', reason: `${refused.id} no longer passes: ${refused.reason}` });
  return combined(scenario, first, records, { verdict: 'pass', reason: `${records.map((r) => r.id).join(', ')} still accepted after every negative scenario and drill` });
}

const clientUnder = (identity: string) => (identity === NEXT_ROOT_IDENTITY ? 'the client under the next root' : 'the client under the current root');

async function rotation(scenario: Scenario, drill: Drill<'client-ca-rotation'>, ctx: SuiteContext, kit: KitReader): Promise<ScenarioRecord> {
  const step = (identity: string, expect: 'accept' | 'reject'): Scenario => {
    const { drill: _drill, ...plain } = scenario;
    return { ...plain, expect, rejection: 'any', send: { identity, signature: {} } };
  };
  const checks = [...drill.accept.map((id) => ({ identity: id, scenario: step(id, 'accept') })), ...drill.reject.map((id) => ({ identity: id, scenario: step(id, 'reject') }))];
  const records: Array<ScenarioRecord & { identity: string }> = [];
  for (const check of checks) records.push({ ...(await executeScenario(check.scenario, ctx, kit, 'only')), identity: check.identity });
  const [first, ...others] = records;
  if (!first) throw new Error(`${scenario.id} checks no client`);
  const worst = worstVerdict([first, ...others]);
  if (worst.verdict !== 'pass') return combined(scenario, worst, records, { verdict: worst.verdict, reason: `${clientUnder(worst.identity)}: ${worst.reason}` });
  const reason = drill.trust === 'old+new' ? 'clients under the current and the next root accepted' : 'the client under the retired root rejected, the one under the next root accepted';
  // Shown with a delivery of the kind the scenario is about: the rejection, in a cutover.
  const about = records.find((r) => drill.reject.includes(r.identity) === (scenario.expect === 'reject')) ?? first;
  return combined(scenario, about, records, { verdict: 'pass', reason });
}

/** Runs one drill and gives the record its test stores. */
export function executeDrill(scenario: PlannedDrillScenario, ctx: SuiteContext, kit: KitReader): Promise<ScenarioRecord> {
  const { drill } = scenario;
  if (!drill) throw new Error(`${scenario.id} is not a drill`);
  switch (drill.kind) {
    case 'load':
      return load(scenario, drill, ctx, kit);
    case 'oversized-body':
      return oversized(scenario, drill, ctx, kit);
    case 'slow-headers':
      return slowHeaders(scenario, drill, ctx, kit);
    case 'controls-after':
      return controlsAfter(scenario, drill, ctx, kit);
    case 'client-ca-rotation':
      return rotation(scenario, drill, ctx, kit);
  }
}
