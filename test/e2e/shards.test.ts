import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/model.js';
import { FLAWED, leftovers, readReport, runCli } from './cli.js';

const out = mkdtempSync(join(tmpdir(), 'whc-shards-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const run = (...more: string[]) => runCli(['run', '--command', `node ${FLAWED}`, '--capabilities', 'crl', '--reporter', 'json', ...more], { env: { WHC_FLAWS: 'no-crl,500-on-bad-signature' } });

/** What a run decided, without timings, ports or the shard it came from. */
function decided(report: RunResult) {
  return {
    summary: report.summary,
    scenarios: report.scenarios.map((s) => ({ id: s.id, profile: s.profile, verdict: s.verdict, reason: s.reason, outcome: s.outcome?.kind, status: s.outcome?.status })),
  };
}

describe('shards and merge', () => {
  it('merging the shards of a run gives what one unsharded run gives', async () => {
    const [whole, first, second, third] = await Promise.all([
      run('--out', join(out, 'whole')),
      run('--shard', '1/3', '--out', join(out, 'shard-1')),
      run('--shard', '2/3', '--out', join(out, 'shard-2')),
      run('--shard', '3/3', '--out', join(out, 'shard-3')),
    ]);
    expect(whole?.code).toBe(1);
    const shards = [1, 2, 3].map((i) => readReport(join(out, `shard-${i}`)));
    shards.forEach((report, i) => expect(report.shard).toEqual({ index: i + 1, count: 3 }));
    // Each shard sent fewer scenarios than the whole run.
    for (const report of shards) expect(report.scenarios.length).toBeLessThan(readReport(join(out, 'whole')).scenarios.length);

    const merged = await runCli(['merge', join(out, 'shard-3'), join(out, 'shard-1'), join(out, 'shard-2', 'wh-conformance.json'), '--out', join(out, 'merged'), '--reporter', 'json', '--reporter', 'html']);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(whole?.code);
    const report = readReport(join(out, 'merged'));
    expect(report.shard).toBeUndefined();
    expect(decided(report)).toEqual(decided(readReport(join(out, 'whole'))));
    expect(existsSync(join(out, 'merged', 'index.html'))).toBe(true);
    expect(merged.stdout).toMatch(/^ {2}mtls\.revoked-crl .* fail\b/m);
    for (const r of [whole, first, second, third]) if (r) expect(leftovers(r)).toEqual([]);
  });

  it('refuses an incomplete or wrong set of reports with exit 2 and one line', async () => {
    const missing = await runCli(['merge', join(out, 'shard-1'), join(out, 'shard-2'), '--out', join(out, 'incomplete')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('wh-conformance: shard 3/3 missing: pass the report of every shard\n');
    const nothing = await runCli(['merge', join(out, 'nowhere'), '--out', join(out, 'x')]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe(`wh-conformance: ${join(out, 'nowhere')}: no wh-conformance.json there: run each shard with --reporter json --out DIR and pass the DIRs\n`);
    const badShard = await run('--shard', '4/3', '--out', join(out, 'bad'));
    expect(badShard.code).toBe(2);
    expect(badShard.stderr).toBe('wh-conformance: --shard: expected INDEX/COUNT with 1 ≤ INDEX ≤ COUNT, such as 1/3, got "4/3"\n');
    // A report of an older schema (the drills were layer robust then) is named, not misread.
    const older = join(out, 'older');
    mkdirSync(older, { recursive: true });
    writeFileSync(join(older, 'wh-conformance.json'), JSON.stringify({ ...readReport(join(out, 'shard-1')), schemaVersion: 2 }));
    const old = await runCli(['merge', older, '--out', join(out, 'y')]);
    expect(old.code).toBe(2);
    expect(old.stderr).toBe(`wh-conformance: ${join(older, 'wh-conformance.json')}: a report of schema 2; this wh-conformance writes and merges schema 3: run every shard with the wh-conformance that merges them\n`);
    for (const r of [missing, nothing, badShard, old]) expect(leftovers(r)).toEqual([]);
  });
});
