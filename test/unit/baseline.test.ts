import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../../harness/judge/baseline-file.js';
import { HarnessError } from '../../harness/errors.js';
import type { ScenarioResult } from '../../harness/model.js';
import { exitCodeFor } from '../../harness/judge/results.js';
import { applyBaseline, renderBaselineFile, updateBaseline, type Baseline } from '../../harness/judge/baseline.js';
import { runFailures } from '../../harness/vocabulary.js';
import { renderConsole } from '../../reports/console.js';
import { renderJunit } from '../../reports/junit.js';
import { runResult, SCENARIOS } from '../fixtures/run-result.js';

const KNOWN = new Set(SCENARIOS.map((s) => s.id));
const byId = (scenarios: readonly ScenarioResult[], id: string) => scenarios.find((s) => s.id === id);

function judged(entries: Baseline['entries'], scenarios: ScenarioResult[] = SCENARIOS) {
  const { scenarios: marked, summary } = applyBaseline(scenarios, { file: 'baseline.json', entries });
  return { result: runResult(marked, { baseline: summary }), summary, marked };
}

describe('applyBaseline', () => {
  it('marks a listed failure as expected and a listed pass as unexpected; skips say nothing', () => {
    const { marked, summary } = judged([
      { id: 'mtls.expired', note: 'legacy CA' },
      { id: 'sig.valid', note: 'was broken' },
      { id: 'mtls.revoked-crl', note: 'no CRL yet' },
      { id: 'sig.gone', note: 'renamed' },
    ]);
    expect(byId(marked, 'mtls.expired')?.baseline).toEqual({ status: 'expected-failure', note: 'legacy CA' });
    expect(byId(marked, 'sig.valid')?.baseline).toEqual({ status: 'unexpected-pass', note: 'was broken' });
    expect(byId(marked, 'mtls.revoked-crl')?.baseline).toEqual({ status: 'not-run', note: 'no CRL yet' });
    expect(byId(marked, 'mtls.valid')?.baseline).toBeUndefined();
    expect(summary).toEqual({ file: 'baseline.json', expectedFailures: 1, unexpectedPasses: 1, unmatched: ['sig.gone'] });
    // Verdicts stay what was observed.
    expect(marked.map((s) => s.verdict)).toEqual(SCENARIOS.map((s) => s.verdict));
  });

  it('matches an entry with a profile only under that profile', () => {
    const { marked } = judged([{ id: 'sig.tampered-body', profile: 'stripe', note: 'n' }]);
    expect(byId(marked, 'sig.tampered-body')?.baseline).toBeUndefined();
    const profile = byId(SCENARIOS, 'sig.tampered-body')?.profile;
    if (!profile) throw new Error('the fixture gives sig.tampered-body a profile');
    const same = judged([{ id: 'sig.tampered-body', profile, note: 'n' }]).marked;
    expect(byId(same, 'sig.tampered-body')?.baseline).toMatchObject({ note: 'n' });
  });
});

describe('the exit code against a baseline', () => {
  const noErrors = SCENARIOS.filter((s) => s.verdict !== 'error');
  const failing = noErrors.filter((s) => s.verdict === 'fail' || s.verdict === 'inconclusive').map((s) => ({ id: s.id, note: 'accepted' }));

  it('is 0 when every failure is baselined, 1 without the baseline', () => {
    expect(exitCodeFor(judged(failing, noErrors).marked)).toBe(0);
    expect(exitCodeFor(noErrors)).toBe(1);
  });

  it('is 1 when a baselined scenario now passes, even with every failure baselined', () => {
    const { summary, marked } = judged([...failing, { id: 'mtls.valid', note: 'stale' }], noErrors);
    expect(summary.unexpectedPasses).toBe(1);
    expect(exitCodeFor(marked)).toBe(1);
  });

  it('stays 2 when a scenario errored', () => {
    expect(exitCodeFor(judged(failing).marked)).toBe(2);
  });

  it('agrees with the failures the reports list', () => {
    const { result } = judged([...failing, { id: 'mtls.valid', note: 'stale' }], noErrors);
    expect(runFailures(result).map((s) => s.id)).toEqual(['mtls.valid']);
  });
});

describe('updateBaseline', () => {
  it('keeps notes of entries still failing, drops passing ones, adds new failures, keeps what it cannot judge', () => {
    const entries = updateBaseline(
      SCENARIOS,
      [
        { id: 'mtls.expired', note: 'legacy CA' },
        { id: 'sig.valid', note: 'fixed since' },
        { id: 'mtls.revoked-crl', note: 'skipped now' },
        { id: 'other.shard', note: 'not in this run' },
      ],
      '2025-01-02',
    );
    expect(entries).toEqual([
      { id: 'mtls.expired', note: 'legacy CA' },
      { id: 'mtls.revoked-crl', note: 'skipped now' },
      { id: 'other.shard', note: 'not in this run' },
      { id: 'sig.forged', note: 'accepted on 2025-01-02: sig.valid did not pass, so this rejection proves nothing' },
      { id: 'sig.tampered-body', note: 'accepted on 2025-01-02: answered HTTP 500: verification failed on bad input' },
    ]);
  });

  it('names the profile of new entries when the run had several, and narrows an entry to the profiles still failing', () => {
    const stripe = SCENARIOS.filter((s) => s.layer === 'sig').map((s) => ({ ...s, profile: 'stripe', verdict: s.id === 'sig.forged' ? ('pass' as const) : s.verdict }));
    const entries = updateBaseline([...SCENARIOS, ...stripe], [{ id: 'sig.forged', note: 'old' }], 'today');
    expect(entries.filter((e) => e.id === 'sig.forged')).toEqual([{ id: 'sig.forged', profile: 'standard-webhooks', note: 'old' }]);
    expect(entries.filter((e) => e.id === 'sig.tampered-body').map((e) => e.profile)).toEqual(['standard-webhooks', 'stripe']);
  });

  it('writes a file that reads back', () => {
    const entries = [{ id: 'mtls.expired', note: 'legacy CA' }];
    expect(parseBaseline(renderBaselineFile(entries), 'b.json', KNOWN).entries).toEqual(entries);
  });
});

describe('a baseline naming a former id', () => {
  it('reads it as the new id, with a one-line deprecation notice naming both', () => {
    const renamed = new Map([['robust.slow-headers', 'drills.slow-headers']]);
    const known = new Set([...KNOWN, 'drills.slow-headers']);
    const read = parseBaseline('{"expectedFailures": [{"id": "robust.slow-headers", "note": "no timeout"}]}', 'b.json', known, renamed);
    expect(read.entries).toEqual([{ id: 'drills.slow-headers', note: 'no timeout' }]);
    expect(read.notices).toEqual(['deprecated: b.json: expectedFailures.0.id names robust.slow-headers (now drills.slow-headers): write the new id']);
    expect(() => parseBaseline('{"expectedFailures": [{"id": "robust.slow-headers", "note": "x"}]}', 'b.json', known)).toThrow(/unknown scenario "robust\.slow-headers"/);
  });
});

describe('parseBaseline', () => {
  const problem = (text: string): string => {
    try {
      parseBaseline(text, 'b.json', KNOWN);
    } catch (error) {
      expect(error).toBeInstanceOf(HarnessError);
      return (error as Error).message;
    }
    throw new Error('parsed');
  };

  it('names the file, the entry and the fix in one line', () => {
    expect(problem('{')).toMatch(/^b\.json: not JSON \(.*\): expected \{"expectedFailures"/);
    expect(problem('[]')).toMatch(/^b\.json: expected an object like \{"expectedFailures"/);
    expect(problem('{"expectedFailures": [{"id": "mtls.expired"}]}')).toBe('b.json: expectedFailures.0.note: expected a note saying why the failure is accepted');
    expect(problem('{"expectedFailures": [{"id": "mtls.expired", "note": ""}]}')).toBe('b.json: expectedFailures.0.note: expected a note saying why the failure is accepted');
    expect(problem('{"expectedFailures": [{"id": "mtls.nope", "note": "x"}]}')).toBe('b.json: expectedFailures.0.id: unknown scenario "mtls.nope": see `wh-conformance list` for the ids, or drop the entry');
    expect(problem('{"expectedFailures": [{"id": "mtls.expired", "note": "x"}, {"id": "mtls.expired", "note": "y"}]}')).toBe('b.json: expectedFailures.1: "mtls.expired" is listed twice (also at 0): keep one entry');
    expect(problem('{"expectedFailures": [], "extra": 1}')).toMatch(/^b\.json: .*extra/);
    for (const text of ['{', '[]', '{"expectedFailures": 3}']) expect(problem(text)).not.toContain('\n');
  });
});

describe('the baseline in the console and JUnit reports', () => {
  const { result } = judged([
    { id: 'mtls.expired', note: 'legacy CA' },
    { id: 'mtls.valid', note: 'stale' },
  ]);

  it('console: a header line and the mark after the reason', () => {
    const text = renderConsole(result, { color: false, width: 400 });
    expect(text).toContain('baseline baseline.json: 1 expected failure, 1 unexpected pass');
    expect(text).toMatch(/mtls\.expired .* fail .*expected failure \(baseline: legacy CA\)/);
    expect(text).toMatch(/mtls\.valid .* pass .*unexpected pass: the baseline expects it to fail/);
  });

  it('JUnit: an expected failure is skipped, an unexpected pass a failure, and the counts follow', () => {
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(renderJunit(result)) as {
      testsuites: { failures: string; skipped: string; testsuite: Array<{ testcase: Array<{ name: string; failure?: { type: string; message: string }; skipped?: { message: string } }> }> };
    };
    const cases = parsed.testsuites.testsuite.flatMap((s) => s.testcase);
    const find = (id: string) => cases.find((c) => c.name.startsWith(`${id} `));
    expect(find('mtls.expired')?.skipped?.message).toMatch(/^expected failure \(baseline: legacy CA\); fail: /);
    expect(find('mtls.expired')?.failure).toBeUndefined();
    expect(find('mtls.valid')?.failure?.type).toBe('unexpected-pass');
    // fail: sig.tampered-body; inconclusive: sig.forged; unexpected pass: mtls.valid.
    expect(parsed.testsuites.failures).toBe('3');
    expect(parsed.testsuites.skipped).toBe('2');
  });
});
