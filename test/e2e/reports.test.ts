import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/model.js';
import { FLAWED, leftovers, readReport, runCli, verdictsOf, type CliResult } from './cli.js';

const out = mkdtempSync(join(tmpdir(), 'whc-report-formats-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface JunitCase {
  classname: string;
  name: string;
  failure?: { message: string; type: string };
  error?: { message: string };
  skipped?: { message: string };
}
interface Junit {
  testsuites: { tests: string; failures: string; testsuite: Array<{ name: string; testcase: JunitCase[] }> };
}

const FLAWS = 'no-crl,500-on-bad-signature';

/** The console matrix with wrapped reasons joined back onto their rows. */
const unwrapped = (stdout: string) => stdout.replace(/\n {6}/g, ' ');

describe('one run of a flawed listener, every report format, in CI on GitHub Actions', () => {
  const dir = join(out, 'all');
  const stepSummary = join(out, 'step-summary.md');
  let run: CliResult;
  let report: RunResult;

  beforeAll(async () => {
    writeFileSync(stepSummary, '# earlier step\n');
    run = await runCli(['run', '--command', `node ${FLAWED}`, '--reporter', 'json,junit', '--reporter', 'html', '--reporter', 'markdown', '--out', dir], {
      env: { WHC_FLAWS: FLAWS, CI: 'true', GITHUB_STEP_SUMMARY: stepSummary },
    });
    report = readReport(dir);
  });

  it('exits 1 and writes a JSON report that matches the published schema', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(verdictsOf(report)['mtls.revoked-crl']).toBe('fail');
    expect(verdictsOf(report)['sig.wrong-secret']).toBe('fail');
    expect(report.scenarios.find((s) => s.id === 'sig.wrong-secret')?.request).toMatchObject({ identity: 'valid', method: 'POST', path: '/webhook' });
    leftovers(run);
  });

  it('writes JUnit with one testcase per scenario: classname the layer, name id and title, failure message the reason', () => {
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(xml) as Junit;
    const cases = junit.testsuites.testsuite.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(report.scenarios.length);
    for (const s of report.scenarios) {
      const c = cases.find((k) => k.name === `${s.id} — ${s.title}`);
      expect(c?.classname, s.id).toBe(s.layer);
      if (s.verdict === 'fail') expect(c?.failure?.message, s.id).toBe(s.reason);
      if (s.verdict === 'skip') expect(c?.skipped?.message, s.id).toBe(s.reason);
      if (s.verdict === 'pass') expect(Object.keys(c ?? {}).sort(), s.id).toEqual(['classname', 'name', 'time']);
    }
    expect(Number(junit.testsuites.failures)).toBe(report.summary.fail + report.summary.inconclusive);
  });

  it('writes the HTML and Markdown reports from the same result', () => {
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const rows = [...html.matchAll(/<details class="scenario" id="[^"]*" data-id="([^"]+)" data-verdict="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    // Grouped by layer, so compared without order.
    expect(rows.sort()).toEqual(report.scenarios.map((s) => [s.id, s.verdict]).sort());
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toContain(`## ❌ wh-conformance: ${report.summary.fail} scenarios fail the run`);
    for (const s of report.scenarios) expect(md).toContain(`| \`${s.id}\` |`);
  });

  it('appends the summary to the GitHub job summary and annotates each failure', () => {
    expect(readFileSync(stepSummary, 'utf8')).toBe(`# earlier step\n${readFileSync(join(dir, 'summary.md'), 'utf8')}`);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::error '));
    expect(annotations.map((line) => /^::error title=wh-conformance (\S+)%3A/.exec(line)?.[1]).sort()).toEqual(
      report.scenarios.filter((s) => s.verdict === 'fail').map((s) => s.id).sort(),
    );
  });

  it('shows progress in CI as plain lines, with no control characters anywhere', () => {
    const progress = run.stdout.split('\n').filter((line) => line.startsWith('['));
    // Skipped scenarios are lines too: the total is the summary's.
    const total = report.scenarios.length;
    expect(progress).toHaveLength(total);
    expect(progress.at(-1)).toMatch(new RegExp(`^\\[${total}/${total}\\] \\S+ (pass|fail|skip|warn|inconclusive) \\(\\d+ failing, \\d+\\.\\d s\\)$`));
    expect(run.stdout).not.toMatch(/[\x1b\r]/);
  });
});

describe('baselines', () => {
  // Only the mTLS layer, with one flaw: mtls.revoked-crl fails, the others pass (no-crl fails
  // mtls.intermediate-revoked too: it is left out).
  const args = (name: string, ...more: string[]) => ['run', '--command', `node ${FLAWED}`, '--include', 'mtls.*', '--exclude', 'mtls.intermediate-revoked', '--capabilities', 'crl', '--reporter', 'json', '--out', join(out, name), ...more];
  const env = { env: { WHC_FLAWS: 'no-crl' } };
  const baseline = (name: string, entries: Array<{ id: string; note: string }>) => {
    const file = join(out, `${name}.json`);
    writeFileSync(file, JSON.stringify({ expectedFailures: entries }));
    return file;
  };

  it('a baselined failure does not fail the run, and every report says so', async () => {
    const run = await runCli(args('known', '--baseline', baseline('known', [{ id: 'mtls.revoked-crl', note: 'CRL checks land in Q3' }])), env);
    expect(run.code).toBe(0);
    const report = readReport(join(out, 'known'));
    expect(report.baseline).toMatchObject({ expectedFailures: 1, unexpectedPasses: 0, unmatched: [] });
    expect(report.scenarios.find((s) => s.id === 'mtls.revoked-crl')).toMatchObject({ verdict: 'fail', baseline: { status: 'expected-failure', note: 'CRL checks land in Q3' } });
    expect(run.stdout).toMatch(/baseline .*known\.json: 1 expected failure, 0 unexpected passes/);
    expect(unwrapped(run.stdout)).toContain('expected failure (baseline: CRL checks land in Q3)');
    leftovers(run);
  });

  it('a baseline entry that now passes makes the run exit 1', async () => {
    const file = baseline('stale', [
      { id: 'mtls.revoked-crl', note: 'CRL checks land in Q3' },
      { id: 'mtls.expired', note: 'fixed last week' },
    ]);
    const run = await runCli(args('stale', '--baseline', file), env);
    expect(run.code).toBe(1);
    expect(readReport(join(out, 'stale')).baseline).toMatchObject({ expectedFailures: 1, unexpectedPasses: 1 });
    expect(unwrapped(run.stdout)).toMatch(/mtls\.expired .*unexpected pass: the baseline expects it to fail/);
    leftovers(run);
  });

  it('--update-baseline writes the failing ids, keeps notes and drops what passes; the next run exits 0', async () => {
    const file = baseline('update', [
      { id: 'mtls.revoked-crl', note: 'kept note' },
      { id: 'mtls.expired', note: 'fixed last week' },
    ]);
    const update = await runCli(args('update', '--baseline', file, '--update-baseline'), env);
    expect(update.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ expectedFailures: [{ id: 'mtls.revoked-crl', note: 'kept note' }] });
    expect(update.stdout).toContain(`baseline written: ${file} (1 expected failure)`);
    const again = await runCli(args('update-again', '--baseline', file), env);
    expect(again.code).toBe(0);
    leftovers(update);
    leftovers(again);
  });

  it('a bad baseline file stops the run before it starts, exit 2, one line naming the file and the fix', async () => {
    const file = join(out, 'bad.json');
    writeFileSync(file, '{"expectedFailures": [{"id": "mtls.revoked-crl"}]}');
    const run = await runCli(args('bad', '--baseline', file), env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^wh-conformance: \S*bad\.json: expectedFailures\.0\.note: expected a note saying why the failure is accepted\n$/);
    const missing = await runCli(args('missing', '--baseline', join(out, 'nope.json')), env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^wh-conformance: \S*nope\.json: baseline file not found: check the --baseline path, or create it with --update-baseline\n$/);
    expect(leftovers(run)).toEqual([]);
    leftovers(missing);
  });
});
