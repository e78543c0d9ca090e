import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../suites/catalog/index.js';
import { FLAWED, leftovers, readReport, runCli, SECURE } from './cli.js';

const out = mkdtempSync(join(tmpdir(), 'whc-reports-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const ALL_IDS = CATALOG.map((s) => s.id);

// What each flaw of the flawed reference listener breaks is proved in signatures.test.ts (signature
// flaws) and connection-flaws.test.ts (mTLS and transport flaws).
const EVERY_CAPABILITY = 'crl,ocsp,subject-pinning,replay-protection,events-file';

describe('the embedded default (npx wh-conformance run in the repository)', () => {
  it('runs every scenario against the secure listener, all pass, exit 0, nothing left behind', async () => {
    const result = await runCli(['run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const id of ALL_IDS) expect(result.stdout).toMatch(new RegExp(`^  ${id.replace('.', '\\.')} .* pass\\b`, 'm'));
    expect(result.stdout).toContain(`${ALL_IDS.length} scenarios: ${ALL_IDS.length} pass`);
    expect(leftovers(result)).toEqual([]);
  });
});

describe('the secure listener, with JSON and JUnit reports', () => {
  it('passes every scenario and writes both reports', async () => {
    const dir = join(out, 'secure');
    const result = await runCli(['run', '--command', `node ${SECURE}`, '--capabilities', EVERY_CAPABILITY, '--reporter', 'json', '--reporter', 'junit', '--out', dir]);
    expect(result.code).toBe(0);
    const report = readReport(dir);
    expect(report.schemaVersion).toBe(3);
    expect(report.tool.name).toBe('wh-conformance');
    expect(report.profile).toBe('standard-webhooks');
    expect(report.capabilities).toEqual(EVERY_CAPABILITY.split(','));
    expect(report.summary).toMatchObject({ pass: ALL_IDS.length, fail: 0, error: 0 });
    expect(report.scenarios.map((s) => s.id)).toEqual(ALL_IDS);
    for (const s of report.scenarios) {
      if (s.expect === 'accept') expect([s.id, s.outcome?.kind]).toEqual([s.id, 'accepted']);
      // A replay may be acknowledged, as long as it is not processed again (the events file says).
      else if (s.rejection !== 'not-processed') expect([s.id, s.outcome?.kind]).not.toEqual([s.id, 'accepted']);
    }
    expect(result.stdout).toContain(join(dir, 'junit.xml'));
    expect(leftovers(result)).toEqual([]);
  });
});

describe('what applies to the listener', () => {
  it('without the crl capability, mtls.revoked-crl is skipped with the reason', async () => {
    const dir = join(out, 'no-crl-capability');
    const result = await runCli(['run', '--command', `node ${FLAWED}`, '--capabilities', '', '--reporter', 'json', '--out', dir], {
      env: { WHC_FLAWS: 'no-crl' },
    });
    expect(result.code).toBe(0);
    const revoked = readReport(dir).scenarios.find((s) => s.id === 'mtls.revoked-crl');
    expect(revoked?.verdict).toBe('skip');
    expect(revoked?.reason).toMatch(/needs capability crl.*--capabilities crl/);
    expect(leftovers(result)).toEqual([]);
  });

  it('--no-mtls skips the mTLS layer and sends signatures without a client certificate', async () => {
    const dir = join(out, 'no-mtls');
    const result = await runCli(['run', '--no-mtls', '--reporter', 'json', '--out', dir]);
    expect(result.code).toBe(0);
    const report = readReport(dir);
    expect(report.mtls).toBe(false);
    for (const s of report.scenarios) expect([s.id, s.verdict]).toEqual([s.id, s.layer === 'mtls' || s.needsMtls ? 'skip' : 'pass']);
    expect(leftovers(result)).toEqual([]);
  });

  it('--profile none skips the signature layer', async () => {
    const dir = join(out, 'no-profile');
    const result = await runCli(['run', '--profile', 'none', '--reporter', 'json', '--out', dir]);
    expect(result.code).toBe(0);
    for (const s of readReport(dir).scenarios) expect([s.id, s.verdict]).toEqual([s.id, s.layer === 'sig' ? 'skip' : 'pass']);
    expect(leftovers(result)).toEqual([]);
  });

  it('--include and --exclude select scenarios by id glob', async () => {
    const dir = join(out, 'globs');
    const result = await runCli(['run', '--include', 'sig.*', '--exclude', 'sig.*-timestamp', '--reporter', 'json', '--out', dir]);
    expect(result.code).toBe(0);
    const expected = ALL_IDS.filter((id) => id.startsWith('sig.') && !/^sig\..*-timestamp$/.test(id));
    expect(readReport(dir).scenarios.map((s) => s.id)).toEqual(expected);
    expect(leftovers(result)).toEqual([]);
  });

  it('a listener that refuses every certificate leaves the mTLS negatives inconclusive and exits 1', async () => {
    const dir = join(out, 'refuses-all');
    // Trusting the server CA instead of the client CA, the listener refuses every client. Under TLS 1.3
    // the client's handshake still completes, so the target counts as ready.
    const result = await runCli(['run', '--include', 'mtls.*', '--reporter', 'json', '--out', dir, '--command', `WHC_CLIENT_CA_FILE=$WHC_CERTS_DIR/server-ca.pem node ${SECURE}`]);
    expect(result.code).toBe(1);
    const report = readReport(dir);
    const [control, ...negatives] = report.scenarios;
    expect(control).toMatchObject({ id: 'mtls.valid-client-cert', verdict: 'fail' });
    expect(control?.reason).toMatch(/a good delivery was refused: connection closed/);
    // A second good delivery (the RSA certificate) is refused too; every rejection proves nothing.
    expect(negatives.find((s) => s.id === 'mtls.valid-rsa-client-cert')?.verdict).toBe('fail');
    for (const s of negatives.filter((n) => n.verdict !== 'skip' && n.expect === 'reject')) {
      expect([s.id, s.verdict]).toEqual([s.id, 'inconclusive']);
      expect(s.reason).toMatch(/^mtls\.valid-client-cert did not pass, so this rejection proves nothing/);
    }
    expect(leftovers(result)).toEqual([]);
  });
});

describe('progress lines in CI', () => {
  // sig.replayed-delivery is judged warn when it is sent and pass once the events file says the
  // replay was not processed again; the skipped scenarios count in the summary.
  it('show each scenario once, with the verdict the report gives, out of the summary\'s total', async () => {
    const dir = join(out, 'progress');
    const result = await runCli(['run', '--command', `node ${SECURE}`, '--capabilities', 'crl,replay-protection,events-file', '--reporter', 'json', '--out', dir], { env: { CI: '1' } });
    expect(result.code).toBe(0);
    const report = readReport(dir);
    const total = report.scenarios.length;
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('['));
    expect(lines[0]).toMatch(new RegExp(`^\\[ ?1/${total}\\] `));
    const shown = lines.map((line) => /^\[ *\d+\/(\d+)\] (\S+) (\S+) \(/.exec(line)?.slice(1));
    expect(shown.every((parts) => parts?.[0] === String(total))).toBe(true);
    const verdicts = Object.fromEntries(report.scenarios.map((s) => [s.id, s.verdict]));
    expect(Object.fromEntries(shown.map((parts) => [parts?.[1], parts?.[2]]))).toEqual(verdicts);
    expect(shown).toHaveLength(total);
    expect(verdicts['sig.replayed-delivery']).toBe('pass');
    expect(report.summary.skip).toBeGreaterThan(0);
    expect(leftovers(result)).toEqual([]);
  });
});
