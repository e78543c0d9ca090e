import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../harness/config/config.js';
import { HarnessError } from '../../harness/errors.js';
import { runInit, type InitIo } from '../../harness/cli/init.js';
import { CONFIG_FILE, WORKFLOW_FILE } from '../../harness/cli/init-templates.js';
import { PACKAGE_VERSION } from '../../harness/package-info.js';

const REPO = resolve(import.meta.dirname, '../..');

interface Workflow {
  on: Record<string, unknown>;
  jobs: { conformance: { 'runs-on': string; steps: Array<{ uses?: string; run?: string; if?: string; with?: Record<string, unknown> }> } };
}

let dir = '';
let printed = '';
const quiet: InitIo = { write: (text) => void (printed += text) };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'whc-init-'));
  printed = '';
  // The generated config imports 'wh-conformance', as it would in a project that installed it.
  await mkdir(join(dir, 'node_modules'));
  await symlink(REPO, join(dir, 'node_modules', 'wh-conformance'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An `ask` that answers from a script and records the questions. */
function scripted(answers: string[]): InitIo & { questions: string[] } {
  const questions: string[] = [];
  return {
    questions,
    write: (text) => void (printed += text),
    ask: async (question) => {
      questions.push(question);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected question: ${question}`);
      return answer;
    },
  };
}

describe('wh-conformance init', () => {
  it('writes a config that loads and says what the flags chose, and a workflow that runs it and keeps the reports', async () => {
    const files = await runInit({ command: "node server.js --name 'x'", profile: 'stripe,github', mtls: false, capabilities: 'crl,replay-protection' }, dir, quiet);
    expect(files).toEqual([join(dir, CONFIG_FILE), join(dir, WORKFLOW_FILE)]);
    const config = await loadConfig({}, dir);
    expect(config.target).toMatchObject({ kind: 'process', command: "node server.js --name 'x'", cwd: dir });
    expect(config).toMatchObject({ mtls: false, profiles: ['stripe', 'github'], capabilities: ['crl', 'replay-protection'], outputDir: join(dir, 'wh-conformance-report') });
    expect(config.reporters).toEqual(['console', 'html', 'junit', 'json', 'markdown']);
    const text = await readFile(join(dir, CONFIG_FILE), 'utf8');
    expect(text).toMatch(/^\/\/ wh-conformance/);
    expect(text).toContain('WHC_SIGNING_SECRET');

    const workflow = parse(await readFile(join(dir, WORKFLOW_FILE), 'utf8')) as Workflow;
    expect(Object.keys(workflow.on)).toEqual(['push', 'pull_request']);
    const steps = workflow.jobs.conformance.steps;
    expect(steps.map((s) => s.uses ?? s.run)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', `wh-conformance/wh-conformance@v${PACKAGE_VERSION}`]);
    // The action's own inputs, the installed version, and the config's output directory as the artifact.
    const action = parse(await readFile(join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
    const uses = steps.at(-1)?.with ?? {};
    for (const input of Object.keys(uses)) expect([input, input in action.inputs]).toEqual([input, true]);
    expect(uses).toMatchObject({ version: PACKAGE_VERSION, out: 'wh-conformance-report', reporters: 'html,junit,json,markdown', 'node-version': '' });
    expect(join(dir, String(uses.out))).toBe(config.outputDir);
  });

  it('takes the defaults without asking when nobody can answer, and installs npm packages when the project has them', async () => {
    await writeFile(join(dir, 'package.json'), '{}');
    await runInit({}, dir, quiet);
    const config = await loadConfig({}, dir);
    expect(config.target).toMatchObject({ command: 'npm start' });
    expect(config).toMatchObject({ mtls: true, profiles: ['standard-webhooks'], capabilities: [] });
    const workflow = parse(await readFile(join(dir, WORKFLOW_FILE), 'utf8')) as Workflow;
    expect(workflow.jobs.conformance.steps.map((s) => s.run)).toContain('npm ci');
  });

  it('never overwrites without --force', async () => {
    await runInit({}, dir, quiet);
    await writeFile(join(dir, CONFIG_FILE), '// mine');
    await expect(runInit({ command: 'other' }, dir, quiet)).rejects.toThrow(HarnessError);
    await expect(runInit({ command: 'other' }, dir, quiet)).rejects.toThrow(`${CONFIG_FILE}, ${WORKFLOW_FILE} already exist in ${dir}: pass --force to overwrite`);
    expect(await readFile(join(dir, CONFIG_FILE), 'utf8')).toBe('// mine');
    await runInit({ command: 'other', force: true }, dir, quiet);
    expect((await loadConfig({}, dir)).target).toMatchObject({ command: 'other' });
  });

  it('refuses to add a config beside another one', async () => {
    await writeFile(join(dir, 'wh-conformance.config.json'), '{}');
    await expect(runInit({}, dir, quiet)).rejects.toThrow('wh-conformance.config.json already exists');
    expect(existsSync(join(dir, WORKFLOW_FILE))).toBe(false);
  });

  it('names a bad flag value and the choices', async () => {
    await expect(runInit({ profile: 'nope' }, dir, quiet)).rejects.toThrow(/^--profile: unknown profile "nope": expected one of standard-webhooks, .*, none$/);
    await expect(runInit({ capabilities: 'crl,telepathy' }, dir, quiet)).rejects.toThrow(/^--capabilities: unknown capability "telepathy"/);
    expect(existsSync(join(dir, CONFIG_FILE))).toBe(false);
  });

  it('on a terminal asks what the flags leave out, again after a bad answer', async () => {
    const io = scripted(['node app.js', 'telepathy-sig', 'github', 'n', '']);
    await runInit({ capabilities: 'crl' }, dir, io);
    expect(io.questions).toHaveLength(4);
    expect(io.questions[0]).toBe('Command that starts your listener? [npm start] ');
    expect(printed).toContain('answer: unknown profile "telepathy-sig"');
    const config = await loadConfig({}, dir);
    expect(config.target).toMatchObject({ command: 'node app.js' });
    expect(config).toMatchObject({ mtls: false, profiles: ['github'], capabilities: ['crl'] });
  });

  it('gives up after three bad answers', async () => {
    await expect(runInit({}, dir, scripted(['x', 'a', 'b', 'c']))).rejects.toThrow('answer: unknown profile "c"');
  });
});
