import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers, readReport, REPO } from './cli.js';
import { changes, runCommand, setWritable, snapshot, writeProject } from './scratch.js';

// The package as users get it: packed, installed from the tarball into someone else's project (the
// registry supplies the dependencies), run with `npx wh-conformance run` from that project.

const root = mkdtempSync(join(tmpdir(), 'whc-installed-'));
const LISTENER = readFileSync(join(REPO, 'test/fixtures/scratch-listener.mjs'), 'utf8');
const HARNESS_VITEST = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.vitest;
/** The user's own vitest: another major than the harness's, and one that runs on Node 20. */
const USER_VITEST = '3.2.4';
const INSTALL_DEADLINE_MS = 240_000;
const RUN_DEADLINE_MS = 60_000;

/** A config that breaks whatever loads it: if the run passes, vitest never read it. */
const breaking = (file: string) => `throw new Error('the project’s own ${file} was loaded');\n`;
/** The config as a module: the same text is TypeScript and JavaScript. */
const moduleConfig = `import { defineConfig } from 'wh-conformance';

export default defineConfig({
  target: { command: 'node listener.mjs' },
  capabilities: ['crl'],
});
`;

interface Project {
  name: string;
  title: string;
  /** package.json fields besides name and dependencies. */
  manifest: Record<string, unknown>;
  files: Record<string, string>;
}

const PROJECTS: Project[] = [
  {
    name: 'ts',
    title: 'a TypeScript project: wh-conformance.config.ts, its own vitest 3 and a vitest.config.ts',
    manifest: { type: 'module' },
    files: {
      'wh-conformance.config.ts': moduleConfig,
      'vitest.config.ts': breaking('vitest.config.ts'),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: [] },
        include: ['wh-conformance.config.ts', 'types-check.ts'],
      }),
      'types-check.ts': `import { defineConfig, type RunResult, type ScenarioResult, type UserConfig } from 'wh-conformance';

export const config: UserConfig = defineConfig({ target: { url: 'https://127.0.0.1:8443', certs: './kit' }, mtls: false });
// @ts-expect-error mtls is a boolean: a typed config catches this before any run
defineConfig({ target: { command: 'node listener.mjs' }, mtls: 'yes' });
export const failed = (result: RunResult): ScenarioResult[] => result.scenarios.filter((s) => s.verdict === 'fail');
`,
    },
  },
  {
    name: 'js',
    title: 'a plain JavaScript (CommonJS) project: wh-conformance.config.mjs, its own vitest 3 and a vite.config.mjs',
    manifest: {},
    files: { 'wh-conformance.config.mjs': moduleConfig, 'vite.config.mjs': breaking('vite.config.mjs') },
  },
  {
    name: 'json',
    title: 'a project with a JSON config: wh-conformance.config.json, its own vitest 3 and a vitest.config.mjs',
    manifest: {},
    files: {
      'wh-conformance.config.json': JSON.stringify({ target: { command: 'node listener.mjs' }, capabilities: ['crl'] }, null, 2),
      'vitest.config.mjs': breaking('vitest.config.mjs'),
    },
  },
];

const projectDir = (p: Project) => join(root, p.name);
const installedPackage = (p: Project) => join(projectDir(p), 'node_modules', 'wh-conformance');
let packed: string[] = [];

/** `npm pack` once; `npm test` has just built dist, so no lifecycle script runs here. */
async function pack(): Promise<string> {
  const result = await runCommand('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], { cwd: REPO, deadlineMs: 60_000 });
  expect(leftovers(result)).toEqual([]);
  if (result.code !== 0) throw new Error(`npm pack exited ${result.code}: ${result.stderr}`);
  const [info] = JSON.parse(result.stdout) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error('npm pack printed no package');
  packed = info.files.map((f) => f.path).sort();
  return join(root, info.filename);
}

function writeScratch(p: Project, tarball: string): void {
  const devDependencies = { vitest: USER_VITEST, 'wh-conformance': `file:${tarball}` };
  writeProject(projectDir(p), {
    'package.json': JSON.stringify({ name: `scratch-${p.name}`, private: true, ...p.manifest, devDependencies }, null, 2),
    'listener.mjs': LISTENER,
    ...p.files,
  });
}

async function install(p: Project): Promise<void> {
  const result = await runCommand('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: projectDir(p), deadlineMs: INSTALL_DEADLINE_MS });
  expect(leftovers(result)).toEqual([]);
  if (result.code !== 0) throw new Error(`npm install in the ${p.name} project exited ${result.code}: ${result.stderr}`);
}

beforeAll(async () => {
  const tarball = await pack();
  for (const p of PROJECTS) writeScratch(p, tarball);
  // The projects declare the same dependencies, so npm lays out the same tree in each: install once
  // and link it from the others, sparing the two shared cores two more extractions (or copies) of
  // ~9,000 files. Node resolves a package through the link to one real folder, as in a workspace.
  const [first, ...others] = PROJECTS as [Project, ...Project[]];
  await install(first);
  for (const p of others) {
    symlinkSync(join(projectDir(first), 'node_modules'), join(projectDir(p), 'node_modules'), 'dir');
    cpSync(join(projectDir(first), 'package-lock.json'), join(projectDir(p), 'package-lock.json'));
  }
  for (const p of PROJECTS) setWritable(installedPackage(p), false);
}, INSTALL_DEADLINE_MS + 60_000);

afterAll(() => {
  // Made writable again first: without root, a read-only folder's entries cannot be removed.
  for (const p of PROJECTS) if (existsSync(installedPackage(p))) setWritable(installedPackage(p), true);
  rmSync(root, { recursive: true, force: true });
});

/** `npx wh-conformance …` in the project (`--no`: never fetch a package of that name from the
 * registry instead); the project tree before and after must be identical. */
async function runInstalled(p: Project, args: string[], env: Record<string, string> = {}) {
  // The installed package on its own too: in the projects that link the first one's node_modules,
  // the project's snapshot stops at the link.
  const watched = () => [...snapshot(projectDir(p)), ...snapshot(installedPackage(p))];
  const before = watched();
  const result = await runCommand('npx', ['--no', 'wh-conformance', ...args], { cwd: projectDir(p), env, deadlineMs: RUN_DEADLINE_MS });
  const left = leftovers(result);
  expect(changes(before, watched()), 'the run wrote inside the project or the installed package').toEqual([]);
  expect(left, 'the run left files in its TMPDIR').toEqual([]);
  return result;
}

describe('the packed tarball', () => {
  it('holds only what runs: compiled code and types, every suite, the report schema, README, LICENSE, package.json', () => {
    for (const path of packed) expect(path).toMatch(/^(LICENSE|README\.md|package\.json|reports\/(catalog\.)?schema\.json|dist\/(certs|harness|reports|suites)\/[\w/.-]+\.(js|d\.ts))$/);
    const suites = readdirSync(join(REPO, 'suites')).filter((f) => f.endsWith('.suite.ts'));
    expect(suites.sort()).toEqual(['drills.suite.ts', 'layers.suite.ts']);
    for (const suite of suites) expect(packed).toContain(`dist/suites/${suite.replace(/\.ts$/, '.js')}`);
    for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/harness/cli.js', 'dist/harness/index.js', 'dist/harness/index.d.ts']) expect(packed).toContain(file);
    // Read at run time from the package root (harness/cli/report-schema.ts), so it must be packed as is.
    for (const schema of ['reports/schema.json', 'reports/catalog.schema.json']) if (existsSync(join(REPO, schema))) expect(packed).toContain(schema);
  });
});

describe.each(PROJECTS)('installed in $title', (p) => {
  const out = (name: string) => join(root, `reports-${p.name}-${name}`);

  it('passes against its listener from a read-only install, loading none of its vitest or vite config', async () => {
    const result = await runInstalled(p, ['run', '--reporter', 'json', '--out', out('secure')]);
    expect(result.stderr).toBe('');
    const report = readReport(out('secure'));
    expect(report.scenarios.filter((s) => !['pass', 'warn', 'skip'].includes(s.verdict)).map((s) => `${s.id}: ${s.verdict}`)).toEqual([]);
    for (const id of ['mtls.valid-client-cert', 'mtls.revoked-crl', 'sig.valid', 'sig.wrong-secret']) {
      expect(report.scenarios.find((s) => s.id === id)?.verdict, id).toBe('pass');
    }
    expect(result.stdout).toMatch(/^ +mtls\.revoked-crl +.* pass\b/m);
    expect(result.code).toBe(0);
  });

  it('exits 1 when its listener skips the signature check, failing exactly the bad signatures it accepted', async () => {
    const result = await runInstalled(p, ['run', '--reporter', 'json', '--out', out('flawed')], { SCRATCH_FLAW: 'no-signature-check' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const scenarios = readReport(out('flawed')).scenarios;
    const failed = scenarios.filter((s) => s.verdict === 'fail').map((s) => s.id);
    const badSignatures = scenarios.filter((s) => s.id.startsWith('sig.') && s.expect === 'reject' && s.verdict !== 'skip').map((s) => s.id);
    expect(failed).toContain('sig.wrong-secret');
    expect(failed).toEqual(badSignatures);
  });
});

describe('the user project’s own tooling is not the harness’s', () => {
  const [ts, , json] = PROJECTS as [Project, Project, Project];

  it('its vitest is another version than the harness’s, and breaks on its own config', async () => {
    const version = (dir: string) => (JSON.parse(readFileSync(join(dir, 'vitest', 'package.json'), 'utf8')) as { version: string }).version;
    for (const p of PROJECTS) {
      expect(version(join(projectDir(p), 'node_modules'))).toBe(USER_VITEST);
      expect(version(join(installedPackage(p), 'node_modules'))).toBe(HARNESS_VITEST);
      const own = await runCommand('npx', ['--no', 'vitest', 'run'], { cwd: projectDir(p), deadlineMs: RUN_DEADLINE_MS });
      expect(leftovers(own)).toEqual([]);
      expect(own.code).not.toBe(0);
      expect(`${own.stdout}${own.stderr}`).toContain('was loaded');
    }
  });

  it('type-checks defineConfig and the public types from the installed package', async () => {
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await runCommand(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: projectDir(ts), deadlineMs: RUN_DEADLINE_MS });
    expect(leftovers(result)).toEqual([]);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('bad input from the installed package: one line, exit 2, nothing written', async () => {
    writeProject(projectDir(json), { 'broken.json': JSON.stringify({ target: { command: 'node listener.mjs' }, mtls: 'yes' }) });
    const result = await runInstalled(json, ['run', '--config', 'broken.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('wh-conformance: broken.json: mtls: expected true or false, got "yes"\n');
  });
});
