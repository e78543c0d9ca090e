import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VERDICTS, type RunResult, type ScenarioResult, type VerdictKind } from '../../harness/model.js';
import { renderConsole, renderJson, renderJunit, writeJson, writeJunit } from '../../reports/index.js';
import { outcome, runResult as fixtureRun, scenario as fixtureScenario, SIG_FIX } from '../fixtures/run-result.js';

const NASTY_REASON = `notAfter < now & CA "x" isn't trusted`;
const LONG_REASON =
  'the replayed delivery was processed a second time: the events file shows webhook id msg_2Vf7 twice, so the listener keeps no record of ids it has already seen within the tolerance window';

// The mTLS layer carries no profile in these fixtures.
const scenario = (fields: Parameters<typeof fixtureScenario>[0]): ScenarioResult =>
  fixtureScenario({ profile: fields.layer === 'sig' ? 'standard-webhooks' : null, ...fields });

const SCENARIOS: ScenarioResult[] = [
  scenario({ id: 'mtls.valid', layer: 'mtls', expect: 'accept', control: true, verdict: 'pass', reason: 'accepted, as it should', outcome: outcome('accepted', 'HTTP 200', 12.4, { status: 200 }) }),
  scenario({ id: 'sig.valid', layer: 'sig', expect: 'accept', control: true, verdict: 'pass', reason: 'accepted, as it should', outcome: outcome('accepted', 'HTTP 204', 8, { status: 204 }) }),
  scenario({ id: 'mtls.expired', layer: 'mtls', expect: 'reject', verdict: 'fail', reason: NASTY_REASON, outcome: outcome('accepted', 'HTTP 200', 15, { status: 200 }) }),
  scenario({ id: 'mtls.no-cert', layer: 'mtls', expect: 'reject', verdict: 'warn', reason: 'rejected with HTTP 503; a 4xx says why', outcome: outcome('http-other', 'HTTP 503', 20.5, { status: 503 }) }),
  scenario({ id: 'mtls.revoked-crl', layer: 'mtls', expect: 'reject', needs: ['crl'], verdict: 'skip', reason: 'capability crl not declared' }),
  scenario({ id: 'sig.forged', layer: 'sig', expect: 'reject', verdict: 'inconclusive', reason: 'positive control sig.valid was rejected, so this rejection proves nothing', outcome: outcome('http-rejected', 'HTTP 401', 5, { status: 401 }) }),
  scenario({ id: 'sig.replay', layer: 'sig', expect: 'reject', needs: ['replay-protection'], verdict: 'fail', reason: LONG_REASON, outcome: outcome('accepted', 'HTTP 200', 7, { status: 200 }) }),
  scenario({ id: 'sig.stale-timestamp', layer: 'sig', expect: 'reject', verdict: 'error', reason: 'connection refused: is the target still up?', outcome: outcome('connection-refused', 'connection refused (ECONNREFUSED)', 1, { code: 'ECONNREFUSED' }) }),
];

function summarize(scenarios: readonly ScenarioResult[]): Record<VerdictKind, number> {
  const summary = { pass: 0, fail: 0, warn: 0, skip: 0, inconclusive: 0, error: 0 };
  for (const s of scenarios) summary[s.verdict] += 1;
  return summary;
}

function runResult(scenarios: ScenarioResult[] = SCENARIOS): RunResult {
  return {
    schemaVersion: 3,
    tool: { name: 'wh-conformance', version: '0.1.0' },
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 1423,
    target: { kind: 'process', description: 'node examples/secure/listener.js', url: 'https://localhost:41234/webhook' },
    profile: 'standard-webhooks',
    profiles: ['standard-webhooks'],
    mtls: true,
    capabilities: ['ocsp', 'replay-protection'],
    summary: summarize(scenarios),
    scenarios,
  };
}

describe('renderConsole', () => {
  const plain = renderConsole(runResult(), { color: false });
  const lines = plain.split('\n');
  const rowOf = (id: string): number => lines.findIndex((line) => line.startsWith(`  ${id} `) || line === `  ${id}`);

  it('writes no escape codes without color', () => {
    expect(plain).not.toContain('\x1b');
  });

  it('opens with the target, profile, mTLS and capabilities', () => {
    const header = lines.slice(0, 2).join('\n');
    expect(header).toContain('node examples/secure/listener.js');
    expect(header).toContain('https://localhost:41234/webhook');
    expect(header).toContain('profile standard-webhooks');
    expect(header).toContain('mTLS on');
    expect(header).toContain('capabilities ocsp, replay-protection');
  });

  it('lists every scenario under its layer heading, in LAYERS order', () => {
    const mtls = lines.indexOf('mTLS');
    const sig = lines.indexOf('Signatures (standard-webhooks)');
    expect(mtls).toBeGreaterThan(0);
    expect(sig).toBeGreaterThan(mtls);
    for (const s of SCENARIOS) {
      const row = rowOf(s.id);
      if (s.layer === 'mtls') expect(row > mtls && row < sig, s.id).toBe(true);
      else expect(row, s.id).toBeGreaterThan(sig);
    }
  });

  it('aligns the columns of every row and of the column header', () => {
    const starts = SCENARIOS.map((s) => {
      const line = lines[rowOf(s.id)] ?? '';
      const seen = s.outcome?.detail ?? '—';
      const expectAt = line.indexOf(s.expect, 2 + s.id.length);
      const observedAt = line.indexOf(seen, expectAt + s.expect.length);
      const verdictAt = line.indexOf(s.verdict, observedAt + seen.length);
      return [expectAt, observedAt, verdictAt];
    });
    const header = lines.find((line) => line.trimStart().startsWith('scenario')) ?? '';
    starts.push([header.indexOf('expect'), header.indexOf('observed'), header.indexOf('verdict')]);
    for (const s of starts) expect(s).toEqual(starts[0]);
    expect(Math.min(...starts.flat())).toBeGreaterThan(0);
  });

  it('shows — for a scenario without an outcome', () => {
    expect(lines[rowOf('mtls.revoked-crl')]).toMatch(/reject\s+—\s+skip\s+capability crl not declared$/);
  });

  it('keeps short reasons on the row and wraps long ones onto indented lines within 120 columns', () => {
    expect(lines[rowOf('mtls.expired')]?.endsWith(NASTY_REASON)).toBe(true);
    const row = rowOf('sig.replay');
    expect(lines[row]).toMatch(/fail$/);
    const continuation: string[] = [];
    for (let i = row + 1; lines[i]?.startsWith('      '); i++) continuation.push((lines[i] ?? '').trim());
    expect(continuation.length).toBeGreaterThan(1);
    expect(continuation.join(' ')).toBe(LONG_REASON);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
  });

  it('ends with the non-zero counts in VERDICTS order and the wall time', () => {
    expect(lines.at(-2)).toBe('8 scenarios: 2 pass, 2 fail, 1 warn, 1 skip, 1 inconclusive, 1 error in 1.42 s');
    const fewer = runResult(SCENARIOS.filter((s) => s.verdict === 'pass' || s.verdict === 'skip'));
    expect(renderConsole(fewer, { color: false })).toContain('\n3 scenarios: 2 pass, 1 skip in 1.42 s\n');
  });

  it('colors with escape codes that take no width', () => {
    const colored = renderConsole(runResult(), { color: true });
    expect(colored).toContain('\x1b[');
    expect(stripVTControlCharacters(colored)).toBe(plain);
  });

  it('heads the signature layer without a profile when there is none', () => {
    const text = renderConsole({ ...runResult(SCENARIOS.map((s) => ({ ...s, profile: null }))), profile: null, profiles: [] }, { color: false });
    expect(text.split('\n')).toContain('Signatures');
    expect(text).toContain('profile none');
  });
});

describe('renderJson / writeJson', () => {
  it('round-trips, pretty with two spaces and a trailing newline', () => {
    const result = runResult();
    const json = renderJson(result);
    expect(JSON.parse(json)).toEqual(result);
    expect(json.split('\n')[1]).toBe('  "schemaVersion": 3,');
    expect(json.endsWith('}\n')).toBe(true);
  });
});

interface ParsedProblem {
  message: string;
  type: string;
  '#text': string;
}

interface ParsedCase {
  classname: string;
  name: string;
  time: string;
  failure?: ParsedProblem;
  error?: ParsedProblem;
  skipped?: { message: string };
  'system-out'?: string;
}

interface ParsedCounts {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  time: string;
}

interface ParsedJunit {
  testsuites: ParsedCounts & { testsuite: (ParsedCounts & { testcase: ParsedCase[]; 'system-err'?: string })[] };
}

function parseJunit(xml: string): ParsedJunit {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  return parser.parse(xml) as ParsedJunit;
}

function expectedCounts(name: string, scenarios: readonly ScenarioResult[], time: string): ParsedCounts {
  const count = (...kinds: VerdictKind[]): string => String(scenarios.filter((s) => kinds.includes(s.verdict)).length);
  return { name, tests: String(scenarios.length), failures: count('fail', 'inconclusive'), errors: count('error'), skipped: count('skip'), time };
}

describe('renderJunit', () => {
  const xml = renderJunit(runResult());
  const { testsuites } = parseJunit(xml);

  it('counts the whole run on <testsuites>', () => {
    expect(testsuites).toMatchObject(expectedCounts('wh-conformance', SCENARIOS, '1.423'));
  });

  it('has one <testsuite> per layer, in LAYERS order, with its counts and summed time', () => {
    expect(testsuites.testsuite.map((s) => s.name)).toEqual(['mtls', 'sig']);
    const [mtls, sig] = testsuites.testsuite;
    expect(mtls).toMatchObject(expectedCounts('mtls', SCENARIOS.filter((s) => s.layer === 'mtls'), '0.048'));
    expect(sig).toMatchObject(expectedCounts('sig', SCENARIOS.filter((s) => s.layer === 'sig'), '0.021'));
  });

  it('maps every scenario to a testcase with the element its verdict asks for', () => {
    const cases = new Map(testsuites.testsuite.flatMap((suite) => suite.testcase).map((c) => [c.name, c]));
    expect(cases.size).toBe(SCENARIOS.length);
    for (const s of SCENARIOS) {
      const c = cases.get(`${s.id} — ${s.title}`);
      expect(c, s.id).toBeDefined();
      expect(c?.classname).toBe(s.layer);
      expect(c?.time).toBe(((s.outcome?.ms ?? 0) / 1000).toFixed(3));
      const elements = Object.keys(c ?? {}).filter((k) => !['classname', 'name', 'time'].includes(k));
      const wanted: Record<VerdictKind, string[]> = {
        pass: [],
        fail: ['failure'],
        inconclusive: ['failure'],
        error: ['error'],
        skip: ['skipped'],
        warn: ['system-out'],
      };
      expect(elements, s.id).toEqual(wanted[s.verdict]);
      const problem = c?.failure ?? c?.error;
      if (problem) {
        expect(problem.message).toBe(s.reason);
        expect(problem.type).toBe(s.verdict);
        expect(problem['#text']).toBe(`expected: ${s.expect}\nobserved: ${s.outcome?.detail ?? 'no outcome'}\nreason: ${s.reason}`);
      }
      if (s.verdict === 'skip') expect(c?.skipped?.message).toBe(s.reason);
      if (s.verdict === 'warn') expect(c?.['system-out']).toBe(`warn: ${s.reason}`);
    }
  });

  it('escapes markup characters, which parse back to the original reason', () => {
    expect(xml).toContain('notAfter &lt; now &amp; CA &quot;x&quot; isn&apos;t trusted');
    expect(xml).not.toContain(NASTY_REASON);
    const expired = testsuites.testsuite[0]?.testcase.find((c) => c.name.startsWith('mtls.expired '));
    expect(expired?.failure?.message).toBe(NASTY_REASON);
  });

  it('leaves out a layer without scenarios', () => {
    const sigOnly = parseJunit(renderJunit(runResult(SCENARIOS.filter((s) => s.layer === 'sig'))));
    expect(sigOnly.testsuites.testsuite.map((s) => s.name)).toEqual(['sig']);
    expect(sigOnly.testsuites.tests).toBe('4');
  });

  it('covers every verdict kind', () => {
    expect(new Set(SCENARIOS.map((s) => s.verdict))).toEqual(new Set(VERDICTS));
  });
});

describe('renderJunit with a target that died mid-run', () => {
  it('carries the exit and the last output in every suite\'s <system-err>, and nothing without one', () => {
    const died = { ...runResult(), targetExit: { reason: 'target exited with code 3', output: ['listening', 'fatal: <out of memory> & gone'] } };
    for (const suite of parseJunit(renderJunit(died)).testsuites.testsuite) {
      expect(suite['system-err']).toBe('target exited with code 3 while the scenarios ran; its last output:\nlistening\nfatal: <out of memory> & gone');
    }
    for (const suite of parseJunit(renderJunit(runResult())).testsuites.testsuite) expect(suite['system-err']).toBeUndefined();
  });
});

describe('writeJson / writeJunit', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'whc-reports-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('create the output directory and write the rendered reports', async () => {
    const result = runResult();
    const outDir = join(dir, 'nested', 'out');
    const jsonPath = await writeJson(result, outDir);
    const junitPath = await writeJunit(result, outDir);
    expect(jsonPath).toBe(join(outDir, 'wh-conformance.json'));
    expect(junitPath).toBe(join(outDir, 'junit.xml'));
    expect(await readFile(jsonPath, 'utf8')).toBe(renderJson(result));
    expect(await readFile(junitPath, 'utf8')).toBe(renderJunit(result));
  });
});

describe('a run with several signature profiles', () => {
  const sigFor = (profile: string): ScenarioResult[] =>
    SCENARIOS.filter((s) => s.layer === 'sig').map((s) => ({ ...s, profile }));
  const result: RunResult = {
    ...runResult([...SCENARIOS.filter((s) => s.layer === 'mtls').map((s) => ({ ...s, profile: 'stripe' })), ...sigFor('stripe'), ...sigFor('github')]),
    profile: 'stripe',
    profiles: ['stripe', 'github'],
  };

  it('the console has one signature block per profile, and names them all in the header', () => {
    const lines = renderConsole(result, { color: false }).split('\n');
    expect(lines).toContain('Signatures (stripe)');
    expect(lines).toContain('Signatures (github)');
    expect(lines.filter((l) => l === 'mTLS')).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('profiles stripe, github  ·'))).toBe(true);
    expect(lines.indexOf('Signatures (stripe)')).toBeLessThan(lines.indexOf('Signatures (github)'));
  });

  it('JUnit has one signature suite per profile', () => {
    const names = [...renderJunit(result).matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(['mtls', 'sig (stripe)', 'sig (github)']);
  });
});

describe('fixes in the console and JUnit reports', () => {
  it('the console shows each fix under its failed scenario, the signature fix labelled with its profile', () => {
    const text = renderConsole(fixtureRun(), { color: false, width: 400 });
    expect(text).toContain('      fix (nginx): ssl_verify_client on;');
    expect(text).toContain(`      fix (standard-webhooks): ${SIG_FIX}`);
  });

  it('JUnit carries the fixes in the failure text', () => {
    const tampered = parseJunit(renderJunit(fixtureRun())).testsuites.testsuite.flatMap((suite) => suite.testcase).find((c) => c.name.startsWith('sig.tampered-body '));
    expect(tampered?.failure?.['#text']).toMatch(new RegExp(`\\nfix \\(standard-webhooks\\): ${SIG_FIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });
});
