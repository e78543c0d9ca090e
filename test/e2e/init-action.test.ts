import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, leftovers, readReport, REPO, runCli, SECURE } from './cli.js';

const out = mkdtempSync(join(tmpdir(), 'whc-init-action-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A project folder that has wh-conformance installed, as `npm i -D wh-conformance` leaves it. */
function project(name: string): string {
  const dir = join(out, name);
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules', 'wh-conformance'));
  symlinkSync(CLI, join(dir, 'node_modules', '.bin', 'wh-conformance'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: name, version: '1.0.0', private: true, devDependencies: { 'wh-conformance': '*' } }));
  return dir;
}

describe('wh-conformance init, from the command line without a terminal', () => {
  it('writes the files, refuses to overwrite them, and the config it wrote runs', async () => {
    const dir = project('init');
    const first = await runCli(['init', '--command', `node ${SECURE}`, '--capabilities', 'crl,subject-pinning'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`written: ${join(dir, 'wh-conformance.config.ts')}`);
    expect(existsSync(join(dir, '.github/workflows/wh-conformance.yml'))).toBe(true);

    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`wh-conformance: wh-conformance.config.ts, .github/workflows/wh-conformance.yml already exist in ${dir}: pass --force to overwrite\n`);

    const run = await runCli(['run'], { cwd: dir });
    expect(run.code).toBe(0);
    for (const file of ['index.html', 'junit.xml', 'summary.md']) expect(existsSync(join(dir, 'wh-conformance-report', file)), file).toBe(true);
    expect(readReport(join(dir, 'wh-conformance-report')).summary).toMatchObject({ fail: 0, error: 0 });
    for (const r of [first, again, run]) expect(leftovers(r)).toEqual([]);
  });
});

interface ActionStep {
  id?: string;
  run?: string;
  env?: Record<string, string>;
  uses?: string;
}
interface Action {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: ActionStep[] };
}

/** Runs the action's script step the way GitHub would: inputs as its environment, bash. */
function runAction(cwd: string, inputs: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; outputs: string }> {
  const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as Action;
  const step = action.runs.steps.find((s) => s.id === 'run');
  if (!step?.run || !step.env) throw new Error('action.yml has no run step');
  const values = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, inputs[name] ?? input.default]));
  // `${{ inputs.x }}` is what GitHub substitutes before the step runs.
  const env = Object.fromEntries(Object.entries(step.env).map(([name, value]) => [name, value.replace(/^\$\{\{ inputs\.([\w-]+) \}\}$/, (_, input: string) => values[input] ?? '')]));
  const outputs = join(cwd, 'github-output');
  writeFileSync(outputs, '');
  return new Promise((done) => {
    const child = spawn('bash', ['-c', step.run ?? ''], { cwd, env: { ...process.env, NO_COLOR: '1', ...env, GITHUB_OUTPUT: outputs }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code, stdout, stderr, outputs: readFileSync(outputs, 'utf8') }));
  });
}

describe('action.yml', () => {
  const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as Action;

  it('is a composite action with first-class inputs, that sets up Node itself', () => {
    expect(action.runs.using).toBe('composite');
    for (const input of ['config', 'command', 'url', 'image', 'profile', 'capabilities', 'reporters', 'baseline', 'shard', 'args', 'node-version']) expect(Object.keys(action.inputs)).toContain(input);
    expect(action.runs.steps.map((s) => s.uses).filter(Boolean)).toEqual(['actions/setup-node@v4', 'actions/upload-artifact@v4']);
    expect(action.inputs['node-version']?.default).toBe('20');
  });

  it('takes the listener from inputs and splits args like a shell: quoted words with spaces stay whole', async () => {
    const dir = project('action-quoted');
    const result = await runAction(dir, {
      profile: 'stripe',
      capabilities: 'crl',
      shard: '1/2',
      reporters: 'json',
      out: 'report dir',
      // The issue's own example, which `read -ra` turned into "too many arguments".
      args: `--include "mtls.*" --include 'sig.*' --exclude mtls.sha1\\-signature --command "node ${SECURE}"`,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = readReport(join(dir, 'report dir'));
    expect(report).toMatchObject({ profile: 'stripe', capabilities: ['crl'], shard: { index: 1, count: 2 } });
    expect(report.scenarios.every((s) => s.id.startsWith('mtls.') || s.id.startsWith('sig.'))).toBe(true);
    expect(report.scenarios.some((s) => s.id === 'mtls.sha1-signature')).toBe(false);
    expect(result.outputs).toBe(`exit-code=0\nreport-dir=${join(dir, 'report dir')}\n`);
  });

  it('an args value with an open quote is a one-line error, exit 2', async () => {
    const result = await runAction(project('action-open-quote'), { command: `node ${SECURE}`, args: '--include "mtls.*' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('::error title=wh-conformance::args: cannot split it like a shell command line: close every quote');
    expect(result.outputs).toBe('exit-code=2\n');
  });

  it('runs the installed CLI with the inputs, and reports its exit code and report folder', async () => {
    const dir = project('action');
    writeFileSync(join(dir, 'listener.config.json'), JSON.stringify({ target: { command: `node ${SECURE}` }, capabilities: ['crl', 'subject-pinning'] }));
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify({ expectedFailures: [{ id: 'mtls.expired', note: 'was failing' }] }));
    const passing = await runAction(dir, { config: 'listener.config.json', reporters: 'json, junit,html' });
    expect(passing.code).toBe(0);
    expect(passing.outputs).toBe(`exit-code=0\nreport-dir=${join(dir, 'wh-conformance-report')}\n`);
    for (const file of ['wh-conformance.json', 'junit.xml', 'index.html']) expect(existsSync(join(dir, 'wh-conformance-report', file)), file).toBe(true);
    expect(existsSync(join(dir, 'wh-conformance-report', 'summary.md'))).toBe(false);

    const stale = await runAction(dir, { config: 'listener.config.json', baseline: 'baseline.json', out: 'stale', args: '--include mtls.*' });
    expect(stale.code).toBe(1);
    expect(stale.outputs).toContain('exit-code=1\n');
    expect(readReport(join(dir, 'stale')).baseline).toMatchObject({ unexpectedPasses: 1 });
  });
});
