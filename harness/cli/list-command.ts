import { Command, Option } from 'commander';
import { renderCatalog } from '../../reports/index.js';
import { HarnessError } from '../errors.js';
import { CAPABILITIES, type Catalog, type Scenario } from '../model.js';
import { makePlan } from '../plan/index.js';
import { stdoutColor } from '../run/index.js';
import { DEFAULT_PROFILE, findProfile, NO_PROFILE, PROFILE_NAMES } from '../profiles/index.js';

const profileNames = [...PROFILE_NAMES, NO_PROFILE].join('|');

/** `wh-conformance list`: the catalog, without starting anything. */
export function listCommand(catalog: Catalog): Command {
  return new Command('list')
    .description('print the scenario catalog without starting anything')
    .option('--profile <names>', `show the scenarios that apply with this profile (or several, comma-separated): ${profileNames}`, DEFAULT_PROFILE)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--drills', 'list the drills (run --drills) too')
    .action((options: { profile: string; format: 'table' | 'json'; drills?: boolean }) => {
      const profiles = options.profile.split(',').map((p) => p.trim());
      const unknown = profiles.find((p) => p !== NO_PROFILE && !PROFILE_NAMES.includes(p));
      if (unknown !== undefined) throw new HarnessError(`--profile: unknown profile "${unknown}": expected one of ${profileNames}`);
      const scenarios = listedCatalog(catalog, profiles, options.drills === true);
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(scenarios, null, 2)}\n` : renderCatalog(scenarios, { color: stdoutColor(), describeProfile }));
    });
}

function describeProfile(name: string): string | undefined {
  const profile = findProfile(name);
  return profile && `${profile.description} (${profile.reference})`;
}

/** The scenarios that apply with each profile (capabilities are shown, not required): the mTLS
 * layer once, the signature layer per profile, without those its scheme cannot express; then the
 * drills when asked. Every field, what each sends included: `--format json` is the catalog as data
 * (its schema: reports/catalog.schema.json). Pure. */
export function listedCatalog(catalog: Catalog, profiles: readonly string[], drills: boolean): Array<Scenario & { profile?: string }> {
  const listed = profiles.flatMap((name, i) => {
    const profile = name === NO_PROFILE ? null : name;
    const plan = makePlan(catalog.scenarios, { mtls: true, profile, capabilities: CAPABILITIES, include: [], exclude: [], ...(i > 0 ? { layers: ['sig'] as const } : {}) });
    return plan.run.map((s) => ({ ...s, ...(s.layer === 'sig' && profile ? { profile } : {}) }));
  });
  return [...listed, ...(drills ? catalog.drills : [])];
}
