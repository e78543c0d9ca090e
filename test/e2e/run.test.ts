import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../suites/catalog/index.js';
import { FLAWED, leftovers, readReport, runCli, SECURE, verdictsOf } from './cli.js';

const out = mkdtempSync(join(tmpdir(), 'whc-reports-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const ALL_IDS = CATALOG.map((s) => s.id);

/** Which scenarios each flaw of the flawed reference listener must fail: exactly these. */
const FLAW_BREAKS: Record<string, string[]> = {
  'accept-any-cert': ['mtls.no-client-cert', 'mtls.untrusted-ca', 'mtls.self-signed', 'mtls.expired', 'mtls.not-yet-valid', 'mtls.revoked-crl'],
  'no-crl': ['mtls.revoked-crl'],
  'no-signature-check': ['sig.missing-signature', 'sig.wrong-secret', 'sig.tampered-body'],
  'no-timestamp-check': ['sig.stale-timestamp', 'sig.future-timestamp'],
  'future-timestamps-ok': ['sig.future-timestamp'],
  '500-on-bad-signature': ['sig.wrong-secret', 'sig.tampered-body'],
};

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
    const result = await runCli(['run', '--command', `node ${SECURE}`, '--capabilities', 'crl', '--reporter', 'json', '--reporter', 'junit', '--out', dir]);
    expect(result.code).toBe(0);
    const report = readReport(dir);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('wh-conformance');
    expect(report.profile).toBe('standard-webhooks');
    expect(report.capabilities).toEqual(['crl']);
    expect(report.summary).toMatchObject({ pass: ALL_IDS.length, fail: 0, error: 0 });
    expect(report.scenarios.map((s) => s.id)).toEqual(ALL_IDS);
    for (const s of report.scenarios) expect(s.outcome?.kind).toMatch(s.expect === 'accept' ? /^accepted$/ : /./);
    expect(result.stdout).toContain(join(dir, 'junit.xml'));
    leftovers(result);
  });
});

describe('each flaw of the flawed listener fails exactly the scenarios it breaks', () => {
  for (const [flaw, broken] of Object.entries(FLAW_BREAKS)) {
    it(flaw, async () => {
      const dir = join(out, flaw);
      const result = await runCli(['run', '--command', `node ${FLAWED}`, '--capabilities', 'crl', '--reporter', 'json', '--out', dir], {
        env: { WHC_FLAWS: flaw },
      });
      expect(result.code).toBe(1);
      const verdicts = verdictsOf(readReport(dir));
      const expected = Object.fromEntries(ALL_IDS.map((id) => [id, broken.includes(id) ? 'fail' : 'pass']));
      expect(verdicts).toEqual(expected);
      for (const id of broken) expect(result.stdout).toMatch(new RegExp(`^  ${id.replace('.', '\\.')} .* fail\\b`, 'm'));
      expect(leftovers(result)).toEqual([]);
    });
  }
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
    leftovers(result);
  });

  it('--no-mtls skips the mTLS layer and sends signatures without a client certificate', async () => {
    const dir = join(out, 'no-mtls');
    const result = await runCli(['run', '--no-mtls', '--reporter', 'json', '--out', dir]);
    expect(result.code).toBe(0);
    const report = readReport(dir);
    expect(report.mtls).toBe(false);
    for (const s of report.scenarios) expect([s.id, s.verdict]).toEqual([s.id, s.layer === 'mtls' ? 'skip' : 'pass']);
    leftovers(result);
  });

  it('--profile none skips the signature layer', async () => {
    const dir = join(out, 'no-profile');
    const result = await runCli(['run', '--profile', 'none', '--reporter', 'json', '--out', dir]);
    expect(result.code).toBe(0);
    for (const s of readReport(dir).scenarios) expect([s.id, s.verdict]).toEqual([s.id, s.layer === 'sig' ? 'skip' : 'pass']);
    leftovers(result);
  });

  it('--include and --exclude select scenarios by id glob', async () => {
    const dir = join(out, 'globs');
    const result = await runCli(['run', '--include', 'sig.*', '--exclude', 'sig.*-timestamp', '--reporter', 'json', '--out', dir]);
    expect(result.code).toBe(0);
    expect(readReport(dir).scenarios.map((s) => s.id)).toEqual(['sig.valid', 'sig.missing-signature', 'sig.wrong-secret', 'sig.tampered-body']);
    leftovers(result);
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
    for (const s of negatives.filter((n) => n.verdict !== 'skip')) {
      expect([s.id, s.verdict]).toEqual([s.id, 'inconclusive']);
      expect(s.reason).toMatch(/^mtls\.valid-client-cert did not pass, so this rejection proves nothing/);
    }
    leftovers(result);
  });
});
