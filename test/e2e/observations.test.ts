import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify } from '../../harness/deliver/classify.js';
import { recordObservations, type RecordedObservation } from '../fixtures/record-observations.mjs';

// The observations test/unit/classify.test.ts replays were recorded against real loopback servers by
// test/fixtures/record-observations.mjs (with the built harness). Recorded again here, on this
// machine's Node and OpenSSL: the stored ones must still be what `deliver` sees, shape for shape.
const stored = JSON.parse(readFileSync(new URL('../fixtures/observations.json', import.meta.url), 'utf8')) as Record<string, RecordedObservation>;
const shape = (entry: RecordedObservation | undefined) => {
  if (!entry) return undefined;
  const { kind, phase } = classify({ ...entry.observation, ms: 0 });
  // Whether the request went out, not how much of it: under TLS 1.3 that depends on when the alert lands.
  return { kind, phase, connected: entry.observation.connected, wroteRequest: entry.observation.bytesWritten > 0 };
};

describe('test/fixtures/observations.json', () => {
  it('holds every case the recorder records, each classified as a fresh recording is', async () => {
    const fresh = await recordObservations();
    expect(Object.keys(stored)).toEqual(Object.keys(fresh));
    for (const [name, entry] of Object.entries(fresh)) expect([name, shape(stored[name])]).toEqual([name, shape(entry)]);
    expect(new Set(Object.values(fresh).map((entry) => shape(entry)?.kind))).toEqual(
      new Set(['tls-alert', 'connection-closed', 'closed-during-handshake', 'connection-refused', 'timeout', 'protocol-error', 'connection-reset', 'accepted', 'http-rejected', 'http-other']),
    );
  });
});
