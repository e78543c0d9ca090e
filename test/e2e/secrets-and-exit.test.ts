import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kitPaths } from '../../certs/index.js';
import type { RunResult } from '../../harness/model.js';
import { leftovers, processesWith, readReport, REPO, runCli, type CliResult } from './cli.js';

const LEAKY = join(REPO, 'test/fixtures/leaky-listener.mjs');

/** What must never be printed: every signing secret of the kit and every private key, whole and
 * line by line (a listener may log its key file), as the kit holds them. */
function secretsOf(kitDir: string): string[] {
  const paths = kitPaths(kitDir);
  const secrets = JSON.parse(readFileSync(paths.secrets, 'utf8')) as { profiles: Record<string, { secret: string }> };
  const files = [paths.serverKey, ...readdirSync(join(kitDir, 'clients')).map((f) => join(kitDir, 'clients', f))].map((file) => readFileSync(file, 'utf8'));
  const keyLines = files.filter((text) => text.includes('PRIVATE KEY')).flatMap((text) => text.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----')));
  return [...Object.values(secrets.profiles).flatMap((p) => [p.secret, ...encoded(p.secret)]), ...keyLines];
}

/** The encodings test/fixtures/leaky-listener.mjs prints the signing secret in, as they appear in
 * its output (the in-base64-text form only from the secret's third byte on: its alignment). */
function encoded(secret: string): string[] {
  const raw = Buffer.from(secret, 'utf8');
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const inText = Buffer.from(`secret: ${secret}`).toString('base64');
  return [raw.toString('hex'), raw.toString('base64'), raw.toString('base64url'), encodeURIComponent(secret), JSON.stringify(`"${secret}"`).slice(1, -1), key.toString('hex'), key.toString('base64url'), inText.slice(12, 60)];
}

function kitDirIn(stdout: string): string {
  const dir = /^kit kept at (.+)$/m.exec(stdout)?.[1];
  if (!dir) throw new Error(`no "kit kept at" line in:\n${stdout}`);
  return dir;
}

describe('a target that dies mid-run, printing its secrets as it goes', () => {
  const marker = `whc-leaky-${process.pid}`;
  let result: CliResult;
  let out: string;
  let report: RunResult;
  let secrets: string[];

  beforeAll(async () => {
    result = await runCli(['run', '--command', `node ${LEAKY} ${marker}`, '--keep-certs', '--reporter', 'json,junit,html,markdown', '--out', 'report'], {
      env: { LEAK_AFTER: '15' },
      cwd: REPO,
    });
    out = join(REPO, 'report');
    report = readReport(out);
    secrets = secretsOf(kitDirIn(result.stdout));
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    if (result) expect(leftovers(result)).toEqual([]);
  });

  it('is detected: the rest is error "target exited with code 3", its last output is in the report, exit 2', async () => {
    expect(result.code).toBe(2);
    expect(report.targetExit?.reason).toBe('target exited with code 3');
    expect(report.targetExit?.output).toContain('fatal: WHC_SIGNING_SECRET=[masked]');
    expect(report.targetExit?.output).toContainEqual(expect.stringMatching(/^encoded: hex=\[masked\] base64=\[masked\] base64url=\[masked\] url=\[masked\] json=.*key-hex=\[masked\] key-base64url=\[masked\] in-base64-text=\S*\[masked\]/));
    const errors = report.scenarios.filter((s) => s.verdict === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const s of errors) expect([s.id, s.reason]).toEqual([s.id, 'target exited with code 3: the scenario could not be judged']);
    // A connection the crash closed is never taken for a rejection, nor a good delivery refused.
    expect(report.scenarios.filter((s) => s.verdict === 'fail')).toEqual([]);
    expect(result.stdout).toMatch(/^target exited with code 3 during the run; its last output:$/m);
    expect(await processesWith(marker)).toEqual([]);
  });

  it('leaves no secret and no private key in the console, the logs or any report', () => {
    expect(secrets.length).toBeGreaterThan(20);
    const outputs: Record<string, string> = {
      stdout: result.stdout,
      stderr: result.stderr,
      ...Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')])),
    };
    expect(Object.keys(outputs).sort()).toEqual(['index.html', 'junit.xml', 'stderr', 'stdout', 'summary.md', 'wh-conformance.json']);
    for (const [name, text] of Object.entries(outputs)) {
      expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY-----\n[A-Za-z0-9+/]/);
      for (const secret of secrets) if (text.includes(secret)) throw new Error(`${name} holds a secret of the run: ${secret.slice(0, 6)}…`);
    }
    expect(outputs['summary.md']).toContain('fatal: WHC_SIGNING_SECRET=[masked]');
    expect(outputs['index.html']).toContain('fatal: WHC_SIGNING_SECRET=[masked]');
  });

  it('kept its kit private: directory 0700, keys and secrets 0600', () => {
    const dir = kitDirIn(result.stdout);
    const paths = kitPaths(dir);
    const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);
    expect(mode(dir)).toBe('700');
    expect(mode(join(dir, 'clients'))).toBe('700');
    for (const file of [paths.serverKey, paths.secrets, paths.clientKey('valid'), paths.revocation]) expect([file, mode(file)]).toEqual([file, '600']);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a target that prints its secrets and exits before it is ready', () => {
  it('is a one-line error with its output below, secrets masked, exit 2, nothing left behind', async () => {
    const result = await runCli(['run', '--command', `node ${LEAKY}`], { env: { LEAK_AFTER: '0' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^wh-conformance: target exited with code 3 before it was ready\n/);
    expect(result.stderr).toContain('  | fatal: WHC_SIGNING_SECRET=[masked]\n');
    expect(result.stderr).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY-----\n {2}\| [A-Za-z0-9+/]/);
    expect(result.stderr).toMatch(/\| \[masked\]\n/);
    expect(leftovers(result)).toEqual([]);
  });
});
