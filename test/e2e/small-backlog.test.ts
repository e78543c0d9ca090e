import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../suites/catalog/index.js';
import { lacks } from '../system-parts.js';
import { leftovers, readReport, REPO, runCli, verdictsOf } from './cli.js';

// Python's http.server: one request at a time, an accept queue of 5. The negatives are paced to it
// (harness/pace.ts); how fast that is, `npm run bench` measures.
const LISTENER = join(REPO, 'test/fixtures/small-backlog-listener.py');
const out = mkdtempSync(join(tmpdir(), 'whc-backlog-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(lacks('python3'))('a listener with a small accept queue (Python http.server)', () => {
  it('gets every mTLS and transport scenario judged, and passes them all, nothing left behind', async () => {
    // http.server speaks HTTP/1.0 and closes the connection after each answer: the keep-alive
    // scenario has no second request to send on it, and says so.
    const closesAfterAnswer = new Set(['mtls.keepalive-after-rejection']);
    const result = await runCli(['run', '--command', `python3 ${LISTENER}`, '--profile', 'none', '--capabilities', 'crl,subject-pinning', '--reporter', 'json', '--out', out]);
    const report = readReport(out);
    const judged = CATALOG.filter((s) => (s.layer === 'mtls' || s.layer === 'transport') && s.id !== 'mtls.revoked-ocsp').map((s) => s.id);
    const verdicts = verdictsOf(report);
    expect(Object.fromEntries(judged.map((id) => [id, verdicts[id]]))).toEqual(Object.fromEntries(judged.map((id) => [id, closesAfterAnswer.has(id) ? 'skip' : 'pass'])));
    expect(report.summary).toMatchObject({ pass: judged.length - closesAfterAnswer.size, fail: 0, error: 0, inconclusive: 0 });
    expect(result.code).toBe(0);
    expect(leftovers(result)).toEqual([]);
  });
});
