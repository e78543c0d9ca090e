import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { IDENTITY_CATALOG, NEXT_ROOT_IDENTITY } from '../../certs/index.js';
import { listedCatalog } from '../../harness/cli/list-command.js';
import { CAPABILITIES, LAYERS, PROFILE_FEATURES, SEVERITIES } from '../../harness/model.js';
import { PACKAGE_ROOT } from '../../harness/package-info.js';
import { CATALOG, DEFAULT_CATALOG, DRILL_SCENARIOS } from '../../suites/catalog/index.js';

interface EnumNode {
  enum?: string[];
  items?: EnumNode;
}
const schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'reports', 'catalog.schema.json'), 'utf8')) as {
  $defs: { scenario: { properties: Record<string, EnumNode> }; capability: EnumNode };
};
const validate = new Ajv2020({ strict: true, allErrors: false }).compile(schema);
// What `list --format json` prints, through JSON as a harness in another language reads it.
const exported = (profiles: string[], drills: boolean) => JSON.parse(JSON.stringify(listedCatalog(DEFAULT_CATALOG, profiles, drills))) as unknown[];

describe('list --format json: the catalog as data, with reports/catalog.schema.json beside it', () => {
  it('holds every field of every scenario, what each sends included', () => {
    const listed = exported(['standard-webhooks'], true);
    expect(listed).toHaveLength(CATALOG.length + DRILL_SCENARIOS.length);
    const byId = new Map((listed as Array<{ id: string }>).map((s) => [s.id, s]));
    for (const scenario of [...CATALOG, ...DRILL_SCENARIOS]) {
      const profile = scenario.layer === 'sig' ? { profile: 'standard-webhooks' } : {};
      expect(byId.get(scenario.id), scenario.id).toEqual(JSON.parse(JSON.stringify({ ...scenario, ...profile })));
    }
    expect(byId.get('mtls.expired')).toMatchObject({ send: { identity: 'expired' }, expect: 'reject' });
  });

  it.each([
    [['standard-webhooks'], true],
    [['stripe', 'github', 'discord'], false],
    [['none'], true],
  ])('matches the schema with --profile %j (drills: %s)', (profiles, drills) => {
    const ok = validate(exported(profiles, drills));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('refuses an entry that does not say what it sends, or names an unknown layer', () => {
    const [first] = exported(['standard-webhooks'], false) as Array<Record<string, unknown>>;
    const { send: _send, ...withoutSend } = first ?? {};
    expect(validate([withoutSend])).toBe(false);
    expect(validate([{ ...first, layer: 'tls' }])).toBe(false);
  });

  it("keeps its enums equal to the model's lists", () => {
    const props = schema.$defs.scenario.properties;
    expect(props.layer?.enum).toEqual([...LAYERS]);
    expect(props.severity?.enum).toEqual([...SEVERITIES]);
    expect(props.requires?.items?.enum).toEqual([...PROFILE_FEATURES]);
    expect(schema.$defs.capability.enum).toEqual([...CAPABILITIES]);
  });

  it('names identities from the certs catalog', () => {
    const names = new Set<string>([...IDENTITY_CATALOG.map((i) => i.name), NEXT_ROOT_IDENTITY]);
    const sent = [...CATALOG, ...DRILL_SCENARIOS].flatMap((s) => [s.send, ...(s.setup ?? []), ...(s.variants ?? [])]).flatMap((d) => (d.identity === null ? [] : [d.identity]));
    expect(sent.filter((name) => !names.has(name))).toEqual([]);
  });
});
