import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The import rules of docs/ARCHITECTURE.md, as data. Change both together.
const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** harness/ stages, in the order data flows: a stage imports only stages before it, through their index.ts. */
const STAGES = ['profiles', 'config', 'plan', 'kit', 'target', 'deliver', 'judge', 'execute', 'run', 'cli'];
/** The shared words and tools at harness/'s root: every harness folder may import them. */
const ROOT_LEAVES = ['harness/model.ts', 'harness/vocabulary.ts', 'harness/errors.ts', 'harness/package-info.ts', 'harness/teardown.ts', 'harness/processes.ts'];
/** The harness root holds only these: the leaves, the package entry and the executable. */
const ROOT_FILES = [...ROOT_LEAVES, 'harness/index.ts', 'harness/cli.ts'];

interface Arrow {
  from: string;
  to: string;
  typeOnly: boolean;
}

const stageOf = (file: string) => /^harness\/([^/]+)\//.exec(file)?.[1];
const rank = (stage: string | undefined) => (stage === undefined ? -1 : STAGES.indexOf(stage));
const isIndex = (file: string) => posix.basename(file) === 'index.ts';

/** Why an arrow is forbidden, or undefined when docs/ARCHITECTURE.md allows it. */
function forbidden({ from, to, typeOnly }: Arrow): string | undefined {
  const top = (file: string) => file.split('/')[0];
  if (top(from) === 'certs') return top(to) === 'certs' ? undefined : 'certs/ imports nothing of ours';
  if (top(from) === 'reports') {
    if (top(to) === 'reports') return undefined;
    if (to === 'harness/vocabulary.ts') return undefined;
    if (to === 'harness/model.ts' && typeOnly) return undefined;
    return 'reports/ imports only types from harness/model.ts and values from harness/vocabulary.ts';
  }
  if (top(from) === 'suites') {
    if (top(to) === 'suites' || to === 'certs/index.ts' || to === 'harness/execute/index.ts') return undefined;
    if (to === 'harness/model.ts' && typeOnly) return undefined;
    return 'suites/ imports certs/index.ts, types from harness/model.ts and harness/execute/index.ts';
  }
  if (top(from) !== 'harness') return undefined;
  if (top(to) === 'certs') return to === 'certs/index.ts' ? undefined : 'harness/ reaches certs/ only through certs/index.ts';
  if (top(to) === 'reports') return to === 'reports/index.ts' ? undefined : 'harness/ reaches reports/ only through reports/index.ts';
  if (top(to) === 'suites') return from === 'harness/cli.ts' && to === 'suites/catalog/index.ts' ? undefined : 'the catalog is passed in: only harness/cli.ts imports suites/catalog';
  if (ROOT_LEAVES.includes(to)) return undefined;
  if (ROOT_LEAVES.includes(from)) return `${from} is a shared leaf: it imports no harness folder`;
  const [fromStage, toStage] = [stageOf(from), stageOf(to)];
  if (fromStage !== undefined && fromStage === toStage) return undefined;
  if (!isIndex(to)) return `another folder's files are reached through its index.ts, not ${to}`;
  if (from === 'harness/cli.ts' || from === 'harness/index.ts') return undefined;
  if (rank(toStage) >= rank(fromStage)) return `${fromStage}/ comes before ${toStage}/ in a run: arrows go the other way`;
  return undefined;
}

function sources(dir: string): string[] {
  return readdirSync(join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => posix.join(dir, f.split('\\').join('/')));
}

function arrows(file: string): Arrow[] {
  const source = ts.createSourceFile(file, readFileSync(join(REPO, file), 'utf8'), ts.ScriptTarget.Latest, true);
  return source.statements.flatMap((statement): Arrow[] => {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) return [];
    if (!ts.isStringLiteral(statement.moduleSpecifier) || !statement.moduleSpecifier.text.startsWith('.')) return [];
    const to = posix.normalize(posix.join(posix.dirname(file), statement.moduleSpecifier.text)).replace(/\.js$/, '.ts');
    const typeOnly = ts.isImportDeclaration(statement)
      ? statement.importClause?.isTypeOnly === true ||
        (statement.importClause?.namedBindings !== undefined &&
          ts.isNamedImports(statement.importClause.namedBindings) &&
          statement.importClause.name === undefined &&
          statement.importClause.namedBindings.elements.length > 0 &&
          statement.importClause.namedBindings.elements.every((e) => e.isTypeOnly))
      : statement.isTypeOnly;
    return [{ from: file, to, typeOnly }];
  });
}

const ALL = ['certs', 'harness', 'reports', 'suites'].flatMap(sources);

describe('the import rules of docs/ARCHITECTURE.md', () => {
  it('no import crosses them', () => {
    const broken = ALL.flatMap(arrows).flatMap((arrow) => {
      const why = forbidden(arrow);
      return why ? [`${arrow.from} → ${arrow.to}: ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it('every import names a file that exists', () => {
    const missing = ALL.flatMap(arrows).filter((a) => !ALL.includes(a.to)).map((a) => `${a.from} → ${a.to}`);
    expect(missing).toEqual([]);
  });

  it('the harness root holds only the files the document names, and every stage has an index.ts', () => {
    const root = ALL.filter((f) => f.startsWith('harness/') && !f.slice('harness/'.length).includes('/'));
    expect(root.sort()).toEqual([...ROOT_FILES].sort());
    const folders = new Set(ALL.flatMap((f) => stageOf(f) ?? []));
    expect([...folders].sort()).toEqual([...STAGES].sort());
    for (const stage of STAGES) expect(ALL, stage).toContain(`harness/${stage}/index.ts`);
  });

  it('catches the arrows it is there to catch', () => {
    const cases: Array<[Arrow, boolean]> = [
      [{ from: 'harness/run/run.ts', to: 'suites/catalog/index.ts', typeOnly: false }, true],
      [{ from: 'harness/cli.ts', to: 'suites/catalog/index.ts', typeOnly: false }, false],
      [{ from: 'reports/html.ts', to: 'harness/model.ts', typeOnly: false }, true],
      [{ from: 'reports/html.ts', to: 'harness/model.ts', typeOnly: true }, false],
      [{ from: 'reports/html.ts', to: 'harness/judge/index.ts', typeOnly: true }, true],
      [{ from: 'harness/kit/rotation-trust.ts', to: 'certs/keys.ts', typeOnly: false }, true],
      [{ from: 'harness/plan/plan.ts', to: 'harness/run/index.ts', typeOnly: true }, true],
      [{ from: 'harness/run/run.ts', to: 'harness/plan/plan.ts', typeOnly: false }, true],
      [{ from: 'harness/run/run.ts', to: 'harness/plan/index.ts', typeOnly: false }, false],
      [{ from: 'harness/model.ts', to: 'harness/plan/index.ts', typeOnly: true }, true],
      [{ from: 'certs/kit.ts', to: 'harness/model.ts', typeOnly: true }, true],
    ];
    for (const [arrow, bad] of cases) expect(forbidden(arrow) !== undefined, `${arrow.from} → ${arrow.to}`).toBe(bad);
  });
});

