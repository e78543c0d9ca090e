import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The packages a source file loads when it is imported: its static imports (not `import type`, not
 * `await import(…)`), followed through the project's own files. */
function packagesLoadedBy(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [resolve(ROOT, entry)];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [statement, specifier = ''] of source.matchAll(/^(?:import|export)\s(?:[^;'"]*?\sfrom\s)?'([^']+)'/gm)) {
      if (/^(?:import|export) type\s/.test(statement)) continue;
      if (specifier.startsWith('.')) queue.push(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:')) packages.set(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'), file.slice(ROOT.length + 1));
    }
  }
  return packages;
}

// What the CLI loads before it knows the command is its fixed cost, and what the suites' worker loads
// is paid again before the first delivery (README, Performance): this guards the cuts.
describe('what a run loads', () => {
  it('the CLI loads no schema validator, container library, PKI library, TypeScript loader, delivery client or XML library until a command asks for it', () => {
    const loaded = packagesLoadedBy('harness/cli.ts');
    for (const pkg of ['ajv', 'testcontainers', 'tar-stream', '@peculiar/x509', 'asn1js', 'jiti', 'undici', 'fast-xml-parser']) expect(loaded.get(pkg), pkg).toBeUndefined();
    // The graph is followed: the CLI does reach the config's validator through the run.
    expect(loaded.get('zod')).toBe('harness/config/generic-hmac-schema.ts');
  });

  it("the suites' worker loads vitest and nothing else until the first delivery brings the delivery client", () => {
    const loaded = packagesLoadedBy('suites/layer-suite.ts');
    expect([...loaded.keys()]).toEqual(['vitest']);
  });
});
