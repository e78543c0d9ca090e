import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionPhase } from '../../harness/model.js';
import { leftovers, processesWith, readReport, REPO, runCli } from './cli.js';

const STALLING = join(REPO, 'test/fixtures/stalling-listener.mjs');
const out = mkdtempSync(join(tmpdir(), 'whc-deadlines-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Where each stall shows: before the handshake ends, while waiting for the answer, or in its body
 * (where the status line has arrived and decides: the stalled body is a note in the detail). */
const STALLS: ReadonlyArray<readonly [stage: string, phase: ConnectionPhase, code: string | undefined, kind: string]> = [
  ['handshake', 'connect', 'UND_ERR_CONNECT_TIMEOUT', 'timeout'],
  ['request', 'after-request', 'UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ['response', 'after-request', 'UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ['body', 'response', undefined, 'http-rejected'],
];

describe.concurrent('a listener that stalls gives timeouts within the per-delivery deadline, never a hang', () => {
  for (const [stage, phase, code, kind] of STALLS) {
    it(`at the ${stage}`, async () => {
      const dir = join(out, stage);
      const marker = `whc-stall-${stage}-${process.pid}`;
      // The runCli deadline fails the test if the run hangs.
      const result = await runCli(['run', '--command', `node ${STALLING} ${marker}`, '--include', 'mtls.expired', '--timeout', '500', '--reporter', 'json', '--out', dir], {
        env: { STALL: stage },
        deadlineMs: 30_000,
      });
      expect(result.code).toBe(1);
      const report = readReport(dir);
      expect(report.scenarios.map((s) => [s.id, s.outcome?.kind, s.outcome?.phase, s.outcome?.code])).toEqual([
        ['mtls.valid-client-cert', kind, phase, code],
        ['mtls.expired', kind, phase, code],
      ]);
      const [control, negative] = report.scenarios;
      expect(control?.verdict).toBe('fail');
      // Judged alone, no answer before the deadline is a warn; the control's failure makes it prove nothing.
      expect(negative?.verdict).toBe('inconclusive');
      if (kind === 'timeout') expect(negative?.reason).toMatch(/no rejection seen before the deadline/);
      else expect(negative?.outcome?.detail).toMatch(/^HTTP 401 \(body cut short after 0 bytes \(UND_ERR_BODY_TIMEOUT\)\)$/);
      expect(await processesWith(marker)).toEqual([]);
      expect(leftovers(result)).toEqual([]);
    });
  }
});

describe('--run-timeout, the deadline of the whole run', () => {
  it('stops a run whose deliveries would wait longer: tears down, one line, exit 2, nothing left behind', async () => {
    const marker = `whc-run-timeout-${process.pid}`;
    const result = await runCli(['run', '--command', `node ${STALLING} ${marker}`, '--include', 'mtls.expired', '--timeout', '60000', '--run-timeout', '1500'], {
      env: { STALL: 'response' },
      deadlineMs: 30_000,
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('the run did not finish within its deadline of 1500 ms (--run-timeout): stopping the target and removing the kit\n');
    expect(await processesWith(marker)).toEqual([]);
    expect(leftovers(result)).toEqual([]);
  });

  it('is checked like any field: a bad value is one line naming the flag, exit 2', async () => {
    const result = await runCli(['run', '--command', 'node listener.mjs', '--run-timeout', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('wh-conformance: --run-timeout: expected a number of milliseconds for the whole run, got "soon"\n');
    expect(leftovers(result)).toEqual([]);
  });
});
