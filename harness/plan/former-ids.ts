import picomatch from 'picomatch';
import type { Catalog } from '../model.js';

/** Each former id of the catalog's scenarios, with the id it has now. */
export function formerIds(catalog: Catalog): ReadonlyMap<string, string> {
  return new Map([...catalog.scenarios, ...catalog.drills].flatMap((s) => (s.formerIds ?? []).map((former) => [former, s.id] as const)));
}

/** A former id's deprecation notice, one line. */
export function renamedNotice(where: string, renames: ReadonlyArray<readonly [string, string]>): string {
  return `deprecated: ${where} names ${renames.map(([former, id]) => `${former} (now ${id})`).join(', ')}: write the new ${renames.length === 1 ? 'id' : 'ids'}`;
}

/** `--include/--exclude` globs that also select by the new id every scenario a glob selects by a
 * former one, and a notice for each glob that did. Pure. */
export function currentIdGlobs(globs: readonly string[], flag: string, renamed: ReadonlyMap<string, string>): { globs: string[]; notices: string[] } {
  const notices: string[] = [];
  const current = globs.flatMap((glob) => {
    const matches = picomatch(glob);
    const renames = [...renamed].filter(([former, id]) => matches(former) && !matches(id));
    if (renames.length > 0) notices.push(renamedNotice(`${flag} ${glob}`, renames));
    return [glob, ...renames.map(([, id]) => id)];
  });
  return { globs: current, notices };
}

/** The run's include and exclude globs with former ids followed to the new ones. Pure. */
export function withCurrentIds<T extends { include: readonly string[]; exclude: readonly string[] }>(options: T, catalog: Catalog): { options: T; notices: string[] } {
  const renamed = formerIds(catalog);
  const include = currentIdGlobs(options.include, '--include', renamed);
  const exclude = currentIdGlobs(options.exclude, '--exclude', renamed);
  return { options: { ...options, include: include.globs, exclude: exclude.globs }, notices: [...include.notices, ...exclude.notices] };
}
