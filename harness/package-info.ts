import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'wh-conformance') return dir;
    } catch {
      // no package.json here: keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('wh-conformance: cannot find its own package.json');
    dir = parent;
  }
}

/** The installed package's folder (works from `dist/` and from the sources under test). */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** `owner/name` of the package's GitHub repository, where its action (action.yml) lives. */
export const PACKAGE_REPOSITORY = githubRepository(PACKAGE_ROOT);

function githubRepository(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { repository?: { url?: string } | string };
  const url = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? '');
  const match = /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(url);
  if (!match?.[1]) throw new Error(`wh-conformance: package.json names no GitHub repository (${url || 'none'})`);
  return match[1];
}

/** The compiled suites vitest runs. */
export const SUITES_DIR = join(PACKAGE_ROOT, 'dist', 'suites');
