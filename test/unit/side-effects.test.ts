import { describe, expect, it } from 'vitest';
import { judge } from '../../harness/judge/judge.js';
import type { Outcome, ScenarioInfo, ScenarioRecord, SentDelivery } from '../../harness/model.js';
import { countProcessed, probeSideEffects } from '../../harness/judge/side-effects.js';
import { CATALOG } from '../../suites/catalog/index.js';

const ACCEPTED: Outcome = { kind: 'accepted', phase: 'response', status: 204, detail: 'HTTP 204', ms: 2 };
const REJECTED: Outcome = { kind: 'http-rejected', phase: 'response', status: 401, detail: 'HTTP 401', ms: 2 };
const CLOSED: Outcome = { kind: 'connection-closed', phase: 'after-request', code: 'UND_ERR_SOCKET', detail: 'connection closed after the request was sent, with no answer', ms: 2 };

function info(id: string): ScenarioInfo {
  const scenario = CATALOG.find((s) => s.id === id);
  if (!scenario) throw new Error(id);
  return scenario;
}

/** A record as executeScenario makes it: the last judged delivery decides. */
function record(id: string, sent: SentDelivery[]): ScenarioRecord {
  const judged = sent.filter((d) => d.judged);
  const last = judged[judged.length - 1];
  if (!last) throw new Error('nothing judged');
  return { id, position: 'only', outcome: last.outcome, webhookId: last.webhookId, sent, ...judge(info(id), last.outcome) };
}
const sent = (webhookId: string, outcome: Outcome, judged = true): SentDelivery => ({ webhookId, outcome, judged });
const probe = (r: ScenarioRecord, lines: string) => probeSideEffects(r, info(r.id), countProcessed(lines));

describe('countProcessed', () => {
  it('counts each id once per line, ignoring blank lines and surrounding space', () => {
    expect(countProcessed('msg_a\nmsg_b\n\n msg_a \n')).toEqual(new Map([['msg_a', 2], ['msg_b', 1]]));
    expect(countProcessed('')).toEqual(new Map());
  });
});

describe('probeSideEffects', () => {
  it('leaves a rejected delivery that was not processed as it was', () => {
    const r = record('sig.wrong-secret', [sent('msg_1', REJECTED)]);
    expect(probe(r, 'msg_other\n')).toEqual(r);
  });

  it('fails a rejection whose event was processed anyway: the silent breach', () => {
    const r = probe(record('sig.wrong-secret', [sent('msg_1', REJECTED)]), 'msg_1\n');
    expect(r).toMatchObject({ verdict: 'fail', reason: 'answered HTTP 401 but processed the event: a rejection must come before any side effect' });
  });

  it('names a TLS-level refusal that was processed as such', () => {
    const r = probe(record('mtls.expired', [sent('msg_1', CLOSED)]), 'msg_1\n');
    expect(r.verdict).toBe('fail');
    expect(r.reason).toMatch(/^refused it \(connection closed after the request was sent, with no answer\) but processed the event/);
  });

  it('passes a close after the request when the events file shows it was not processed', () => {
    const r = record('mtls.expired', [sent('msg_1', CLOSED)]);
    expect(r.verdict).toBe('warn');
    expect(probe(r, 'msg_other\n')).toMatchObject({ verdict: 'pass', reason: 'connection closed after the request was sent, with no answer, and did not process it (no line in WHC_EVENTS_FILE)' });
  });

  it('leaves a close after the request a warn where a 4xx is required, events file or not', () => {
    const r = record('sig.wrong-secret', [sent('msg_1', CLOSED)]);
    expect(probe(r, '')).toMatchObject({ verdict: 'warn' });
  });

  it('passes an accepted delivery processed exactly once', () => {
    const r = record('sig.valid', [sent('msg_1', ACCEPTED)]);
    expect(probe(r, 'msg_1\n')).toEqual(r);
  });

  it('fails an accepted delivery processed twice', () => {
    expect(probe(record('sig.valid', [sent('msg_1', ACCEPTED)]), 'msg_1\nmsg_1\n')).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/2 times/) });
  });

  it('warns when an accepted delivery left no line: the listener does not keep the contract', () => {
    expect(probe(record('sig.valid', [sent('msg_1', ACCEPTED)]), '')).toMatchObject({ verdict: 'warn', reason: expect.stringMatching(/WHC_EVENTS_FILE has no line/) });
  });

  describe('a replay (the same id sent twice)', () => {
    const acknowledged = record('sig.replayed-delivery', [sent('msg_1', ACCEPTED, false), sent('msg_1', ACCEPTED)]);
    const refused = record('sig.replayed-delivery', [sent('msg_1', ACCEPTED, false), sent('msg_1', REJECTED)]);

    it('is judged warn until the events file speaks', () => {
      expect(acknowledged.verdict).toBe('warn');
      expect(acknowledged.reason).toMatch(/declare the events-file capability/);
      expect(refused.verdict).toBe('pass');
    });

    it('acknowledged and processed once passes', () => {
      expect(probe(acknowledged, 'msg_1\n')).toMatchObject({ verdict: 'pass', reason: 'acknowledged the replay (HTTP 204) without processing it again' });
    });

    it('acknowledged and processed again fails', () => {
      expect(probe(acknowledged, 'msg_1\nmsg_1\n')).toMatchObject({ verdict: 'fail', reason: 'answered HTTP 204 but processed the event again: 2 times in WHC_EVENTS_FILE' });
    });

    it('rejected and processed once passes; processed again fails', () => {
      expect(probe(refused, 'msg_1\n')).toEqual(refused);
      expect(probe(refused, 'msg_1\nmsg_1\n')).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/^answered HTTP 401 but processed the event again/) });
    });

    it('acknowledged but never processed at all is a warning, not a pass', () => {
      expect(probe(acknowledged, '')).toMatchObject({ verdict: 'warn', reason: expect.stringMatching(/no line/) });
    });
  });

  it('checks every judged variant on its own id', () => {
    const r = record('sig.malformed-signature', [sent('msg_1', REJECTED), sent('msg_2', REJECTED), sent('msg_3', REJECTED)]);
    expect(probe(r, 'msg_3\n')).toMatchObject({ verdict: 'fail' });
    expect(probe(r, 'msg_4\n')).toEqual(r);
  });

  it('does not touch a verdict that is already fail or error', () => {
    const accepted = record('sig.wrong-secret', [sent('msg_1', ACCEPTED)]);
    expect(accepted.verdict).toBe('fail');
    expect(probe(accepted, 'msg_1\n')).toEqual(accepted);
    const broken = { ...record('sig.valid', [sent('msg_1', ACCEPTED)]), verdict: 'error' as const, reason: 'x' };
    expect(probe(broken, '')).toEqual(broken);
  });

  it('keeps an earlier warning rather than replace it with the missing-line one', () => {
    // The swap's accepted setup delivery left no line (a missing-line warning), but the judged 410
    // warned first: that warning stays.
    const gone: Outcome = { kind: 'http-rejected', phase: 'response', status: 410, detail: 'HTTP 410', ms: 1 };
    const r = record('sig.timestamp-swap', [sent('msg_1', ACCEPTED, false), sent('msg_1', gone)]);
    expect(r.verdict).toBe('warn');
    expect(probe(r, '')).toEqual(r);
  });
});
