import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DRILL_SCENARIOS } from '../../suites/catalog/index.js';
import { FLAWED, leftovers, readReport, runCli, SECURE, verdictsOf } from './cli.js';

const out = mkdtempSync(join(tmpdir(), 'whc-drills-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const DRILLS = ['--drills', '--include', 'drills.*'];
const ALL_PASS = Object.fromEntries(DRILL_SCENARIOS.map((s) => [s.id, 'pass']));
// drills.slow-headers waits out the listener's header timeout (2 s on the secure listener, 10 s
// without one): only the flaw it is about runs it.
const { 'drills.slow-headers': _slow, ...WITHOUT_SLOW_HEADERS } = ALL_PASS;

async function drill(name: string, command: string, flaws: string, args: string[]) {
  const dir = join(out, name);
  const result = await runCli(['run', '--command', command, ...args, '--reporter', 'json', '--out', dir], { env: { WHC_FLAWS: flaws }, deadlineMs: 100_000 });
  const report = readReport(dir);
  expect(leftovers(result)).toEqual([]);
  return { result, report, verdicts: verdictsOf(report) };
}

describe.concurrent('the drills (--drills)', { timeout: 120_000 }, () => {
  it('all pass on the secure listener, and a load reports its rejection rate', async () => {
    const { result, report, verdicts } = await drill('secure', `node ${SECURE}`, '', DRILLS);
    expect(verdicts).toEqual(ALL_PASS);
    expect(result.code).toBe(0);
    expect(report.scenarios.find((s) => s.id === 'drills.reject-under-load')?.reason).toMatch(/^200 of 200 rejected at 50 at a time \(rejection rate 100%: \d+ with a 4xx, \d+ at the TLS layer\); the controls passed afterwards$/);
  });

  it('with several profiles, the drills run against a listener started with the first one; a former id still selects its drill', async () => {
    // Named by its former id: it still runs, with a one-line notice.
    const args = ['--profile', 'standard-webhooks,github', '--drills', '--include', 'sig.valid', '--include', 'robust.survives-bad-input'];
    const { result, report } = await drill('profiles', `node ${SECURE}`, '', args);
    expect(result.stdout.split('\n')).toContain('deprecated: --include robust.survives-bad-input names robust.survives-bad-input (now drills.survives-bad-input): write the new id');
    expect(report.scenarios.map((s) => [s.id, s.profile, s.verdict])).toEqual([
      ['sig.valid', 'standard-webhooks', 'pass'],
      ['sig.valid', 'github', 'pass'],
      ['drills.survives-bad-input', 'standard-webhooks', 'pass'],
    ]);
    expect(result.code).toBe(0);
  });

  const flawed = (flaw: string, expected: Record<string, string>, code: number, args = [...DRILLS, '--exclude', 'drills.slow-headers']) =>
    it(`${flaw} fails ${Object.entries(expected).filter(([id, v]) => v !== ALL_PASS[id]).map(([id]) => id).join(', ')}`, async () => {
      const { result, verdicts } = await drill(flaw, `node ${FLAWED}`, flaw, args);
      expect(verdicts).toEqual(expected);
      expect(result.code).toBe(code);
    });

  flawed('fails-open-under-load', { ...WITHOUT_SLOW_HEADERS, 'drills.reject-under-load': 'fail' }, 1);
  flawed('lockout-after-rejections', { ...WITHOUT_SLOW_HEADERS, 'drills.reject-under-load': 'fail', 'drills.oversized-body': 'fail', 'drills.survives-bad-input': 'fail' }, 1);
  flawed('first-ca-only', { ...WITHOUT_SLOW_HEADERS, 'drills.client-ca-overlap': 'fail' }, 1);
  flawed('keeps-retired-roots', { ...WITHOUT_SLOW_HEADERS, 'drills.client-ca-cutover': 'fail' }, 1);
  flawed('no-header-timeout', { 'drills.slow-headers': 'warn' }, 0, ['--drills', '--include', 'drills.slow-headers']);

  it('throws-on-large-body falls over on the 20 MiB body: a fail, the rest error with its exit, exit 2', async () => {
    const { result, report, verdicts } = await drill('throws-on-large-body', `node ${FLAWED}`, 'throws-on-large-body', [...DRILLS, '--exclude', 'drills.slow-headers']);
    expect(verdicts).toEqual({ ...WITHOUT_SLOW_HEADERS, 'drills.oversized-body': 'fail', 'drills.survives-bad-input': 'error' });
    expect(report.scenarios.find((s) => s.id === 'drills.oversized-body')?.reason).toMatch(/^the listener fell over: it stopped listening after a 20 MiB body/);
    expect(report.scenarios.find((s) => s.id === 'drills.survives-bad-input')?.reason).toBe('target exited with code 1: the scenario could not be judged');
    expect(report.targetExit?.output.join('\n')).toContain('body larger than 16777216 bytes');
    expect(result.code).toBe(2);
  });
});
