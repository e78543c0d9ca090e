import { resolve } from 'node:path';
import { Command } from 'commander';
import { buildPki, kitPaths, revocationUrls, writeKit, type KitPaths } from '../../certs/index.js';
import { loadConfig, type ResolvedConfig, type RunFlags } from '../config/index.js';
import { PROXIED_IDENTITY } from '../deliver/index.js';
import { HarnessError } from '../errors.js';
import { generateSecrets, keysFor, ownClientRoot, PROBE_IDENTITY, readSecrets, serverCaFileFor, withOwnSigningKey, type SecretsFile } from '../kit/index.js';
import { planPhases } from '../plan/index.js';
import { findProfile } from '../profiles/index.js';
import { freePort } from '../target/index.js';
import { writeRepro } from './repro.js';
import { givenRunFlags, withRunOptions } from './run-command.js';
import type { IdentityName } from '../../certs/index.js';
import type { Catalog, Scenario } from '../model.js';

/** The default folder for `repro <id>`, also named in the reports' Reproduce blocks. */
export const reproDir = (id: string) => `wh-conformance-repro/${id}`;

function findScenario(id: string, config: ResolvedConfig, catalog: Catalog): Scenario {
  if (catalog.drills.some((s) => s.id === id || s.formerIds?.includes(id))) throw new HarnessError(`${id} is a drill (many deliveries, restarts): it has no one-command repro; run it with --drills --include ${id}`);
  for (const { plan } of planPhases(catalog.scenarios, { ...config, include: [id], exclude: [] })) {
    const found = plan.run.find((s) => s.id === id);
    if (found) return found;
    const skipped = plan.skipped.find((s) => s.scenario.id === id);
    if (skipped) throw new HarnessError(`${id} does not apply to this listener: ${skipped.reason}`);
  }
  throw new HarnessError(`unknown scenario "${id}": see wh-conformance list for the ids`);
}

/** The kit the running listener trusts: the one it was started with (--certs), or identities
 * issued now under the user's own client CA, written into the repro folder. */
async function reproKit(config: ResolvedConfig, dir: string, scenario: Scenario): Promise<{ paths: KitPaths; secrets: SecretsFile }> {
  const target = config.target;
  if (target.kind === 'url' && target.certs !== undefined) {
    const paths = kitPaths(target.certs);
    return { paths, secrets: await withOwnSigningKey(await readSecrets(paths.secrets), config.own, config.profile) };
  }
  const now = new Date();
  const clientRoot = await ownClientRoot(config.own, now);
  const identities = [PROBE_IDENTITY, PROXIED_IDENTITY, ...[scenario.send, ...(scenario.setup ?? []), ...(scenario.variants ?? [])].flatMap((spec) => (spec.identity ? [spec.identity] : []))] as IdentityName[];
  const revocation = revocationUrls(`http://127.0.0.1:${await freePort('127.0.0.1')}`);
  const secrets = await withOwnSigningKey(generateSecrets(), config.own, config.profile);
  const pki = await buildPki({ now, identities, revocationOrigin: revocation.origin, ...(clientRoot ? { clientRoot } : {}) });
  return { paths: await writeKit(resolve(dir, 'kit'), pki, secrets), secrets };
}

/** `wh-conformance repro <scenario-id>`: the deliveries of one scenario as files, and the curl
 * (or openssl s_client) commands that send them to the running listener by hand. */
export function reproCommand(catalog: Catalog): Command {
  return withRunOptions(
    new Command('repro')
      .description("write one scenario's deliveries (body, headers, client certificate and key) to a folder and print the curl command that sends each to a running listener")
      .argument('<scenario-id>', 'the scenario to reproduce (see wh-conformance list)'),
  ).action(async (id: string, options: RunFlags, command: Command) => {
    const dir = resolve(options.out ?? reproDir(id));
    // --out is the repro folder here, not a report directory.
    const config = await loadConfig({ ...givenRunFlags(options, command), out: undefined });
    const target = config.target;
    if (target.kind !== 'url') {
      throw new HarnessError('repro sends to a listener that is already running: start it with a kit (wh-conformance certs --out DIR), then wh-conformance repro <id> --url https://127.0.0.1:PORT --certs DIR');
    }
    const scenario = findScenario(id, config, catalog);
    const { paths, secrets } = await reproKit(config, dir, scenario);
    const profile = config.profile ? (findProfile(config.profile, config.genericHmac) ?? null) : null;
    const text = await writeRepro({
      scenario,
      dir,
      endpoint: { origin: target.url, servername: target.servername, path: config.path, serverCaFile: await serverCaFileFor(config.own, paths) },
      kit: paths,
      mtls: config.mtls,
      profile,
      signingKey: config.profile ? keysFor(secrets, config.profile, paths.secrets).signingKey : '',
      toleranceSeconds: config.toleranceSeconds,
      now: new Date(),
    });
    process.stdout.write(text);
  });
}
