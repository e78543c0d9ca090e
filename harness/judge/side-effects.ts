import { groupBy } from './group-by.js';
import type { Outcome, ScenarioInfo, ScenarioRecord, SentDelivery, Verdict } from '../model.js';

/** How many times each webhook id appears in the events file: one line per processed delivery. */
export function countProcessed(eventsFileText: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of eventsFileText.split('\n')) {
    const id = line.trim();
    if (id !== '') counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function answered(outcome: Outcome): string {
  return outcome.kind === 'accepted' || outcome.status !== undefined ? `answered ${outcome.detail}` : `refused it (${outcome.detail})`;
}

/** What the events file says about one webhook id's deliveries, when it contradicts the answers. */
function contradiction(deliveries: readonly SentDelivery[], times: number): Verdict | undefined {
  const last = deliveries[deliveries.length - 1];
  if (!last) return undefined;
  const acknowledged = deliveries.find((d) => d.outcome.kind === 'accepted');
  if (!acknowledged) {
    return times > 0 ? { verdict: 'fail', reason: `${answered(last.outcome)} but processed the event: a rejection must come before any side effect` } : undefined;
  }
  if (times > 1) {
    const again = deliveries.length > 1 ? ' again' : '';
    return { verdict: 'fail', reason: `${answered(last.outcome)} but processed the event${again}: ${times} times in WHC_EVENTS_FILE` };
  }
  if (times === 0) {
    return { verdict: 'warn', reason: `${answered(acknowledged.outcome)} but WHC_EVENTS_FILE has no line for it: append each processed delivery's webhook id before answering` };
  }
  return undefined;
}

/** Can the side-effect probe still change this record's verdict? Not a fail or an error, nor a
 * scenario that sent nothing. Pure. */
export function sideEffectsMayChange(record: Pick<ScenarioRecord, 'verdict' | 'sent'>): boolean {
  return record.verdict !== 'fail' && record.verdict !== 'error' && record.sent.length > 0;
}

/** A TLS-level rejection the harness could not prove: the connection ended after the request went
 * out. A drill's record sums up many deliveries: its reason says more than one close. */
function isPendingClose(record: ScenarioRecord, info: ScenarioInfo): boolean {
  const { kind, phase } = record.outcome;
  const closed = phase === 'after-request' && (kind === 'connection-closed' || kind === 'connection-reset');
  return closed && record.verdict === 'warn' && info.expect === 'reject' && info.rejection === 'any' && info.layer !== 'drills';
}

/** The side-effect probe: checks one scenario's answers against what the listener says it
 * processed. A rejected delivery must not appear; an acknowledged one exactly once, replays
 * included. A breach fails the scenario; an acknowledged replay that was not processed again
 * passes. Pure. */
export function probeSideEffects(record: ScenarioRecord, info: ScenarioInfo, processed: ReadonlyMap<string, number>): ScenarioRecord {
  if (!sideEffectsMayChange(record)) return record;
  const byId = groupBy(record.sent, (d) => d.webhookId);
  const found = [...byId].map(([id, deliveries]) => contradiction(deliveries, processed.get(id) ?? 0)).filter((v) => v !== undefined);
  const verdict = found.find((v) => v.verdict === 'fail') ?? found[0];
  // An acknowledged replay, or a close after the request went out, was judged `warn` until the
  // events file could say whether it was processed.
  const pendingReplay = info.rejection === 'not-processed' && record.outcome.kind === 'accepted';
  const pendingClose = isPendingClose(record, info);
  if (verdict) return verdict.verdict === 'fail' || record.verdict === 'pass' || pendingReplay ? { ...record, ...verdict } : record;
  if (pendingReplay) return { ...record, verdict: 'pass', reason: `acknowledged the replay (${record.outcome.detail}) without processing it again` };
  if (pendingClose) return { ...record, verdict: 'pass', reason: `${record.outcome.detail}, and did not process it (no line in WHC_EVENTS_FILE)` };
  return record;
}
