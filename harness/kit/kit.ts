import { existsSync, mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPki, kitPaths, revocationUrls, writeKit, type IdentityName, type KitPaths, type RevocationUrls } from '../../certs/index.js';
import type { ResolvedConfig } from '../config/index.js';
import { HarnessError } from '../errors.js';
import { removeOnExit } from './exit-cleanup.js';
import { makeRunDir } from './run-dirs.js';
import type { Plan } from '../plan/index.js';
import type { SigningKeys } from '../profiles/index.js';
import { serveKitRevocation, startRunResponder } from './run-responder.js';
import { ownClientRoot, serverCaFileFor, withOwnSigningKey } from './own-trust-files.js';
import { generateSecrets, keysFor, readSecrets, type SecretsFile } from './secrets.js';
import type { Teardown } from '../teardown.js';

/** The identity the readiness probe presents. */
export const PROBE_IDENTITY = 'valid';
/** In the kit: where a listener with capability events-file appends the id of each processed delivery. */
export const EVENTS_FILE = 'events.log';

/** The kit a run uses: its files, every profile's keys, and the keys of the profile the target runs with now. */
export interface RunKit {
  paths: KitPaths;
  secrets: SecretsFile;
  /** undefined without a profile. */
  keys: SigningKeys | undefined;
  /** Set when the listener declares events-file. */
  eventsFile: string | undefined;
  /** The revocation responder serving the kit's CRLs and OCSP for this run. */
  revocation: RevocationUrls;
  /** What the listener's certificate is checked against; null: not checked (`--insecure-server-cert`). */
  serverCaFile: string | null;
}

/** The same kit, for a target that runs with `profile`. */
export function kitFor(kit: RunKit, profile: string | null): RunKit {
  return { ...kit, keys: profile ? keysFor(kit.secrets, profile, kit.paths.secrets) : undefined };
}

function identitiesFor(plans: readonly Plan[]): IdentityName[] {
  const names = new Set<string>([PROBE_IDENTITY]);
  for (const s of plans.flatMap((p) => p.run)) {
    for (const spec of [s.send, ...(s.setup ?? []), ...(s.variants ?? [])]) if (spec.identity) names.add(spec.identity);
  }
  return [...names] as IdentityName[];
}

const eventsFileIn = (config: ResolvedConfig, dir: string) => (config.capabilities.includes('events-file') ? join(dir, EVENTS_FILE) : undefined);

/** A fresh kit in a private temporary directory, removed at teardown unless kept. */
export async function generateKit(config: ResolvedConfig, plans: readonly Plan[], teardown: Teardown, announce: (text: string) => void): Promise<RunKit> {
  // Synchronous: a signal handled between creating the directory and registering its removal would
  // leave it behind. A kept kit carries no owner pid: later runs must not take it for a dead run's.
  const dir = config.keepCerts ? mkdtempSync(join(tmpdir(), 'whc-kit-')) : makeRunDir('kit');
  if (config.keepCerts) announce(`kit kept at ${dir}\n`);
  else {
    teardown.add(() => rm(dir, { recursive: true, force: true }));
    removeOnExit(dir);
  }
  const now = new Date();
  const clientRoot = await ownClientRoot(config.own, now);
  const secrets = await withOwnSigningKey(generateSecrets(), config.own, config.profile);
  const responder = await startRunResponder(teardown);
  const pki = await buildPki({ now, identities: identitiesFor(plans), revocationOrigin: responder.origin, ...(clientRoot ? { clientRoot } : {}) });
  // A stop (a signal, the run's deadline) removes the kit directory while the PKI is built: no key
  // is written after that (writeKit would create the directory again).
  if (!existsSync(dir)) throw new HarnessError('the run was stopped while its kit was built');
  const paths = await writeKit(dir, pki, secrets);
  responder.serve(pki.revocation);
  const eventsFile = eventsFileIn(config, dir);
  if (eventsFile) await writeFile(eventsFile, '', { mode: 0o600 });
  return kitFor({ paths, secrets, keys: undefined, eventsFile, revocation: revocationUrls(responder.origin), serverCaFile: await serverCaFileFor(config.own, paths) }, config.profile);
}

/** A kit someone wrote earlier with `wh-conformance certs --out`, for a listener already running. */
export async function existingKit(dir: string, config: ResolvedConfig, plans: readonly Plan[], teardown: Teardown): Promise<RunKit> {
  const paths = kitPaths(dir);
  const needed = [paths.serverCa, paths.secrets, paths.revocation, ...identitiesFor(plans).flatMap((n) => [paths.clientCert(n), paths.clientKey(n)])];
  const missing = needed.find((file) => !existsSync(file));
  if (missing) throw new HarnessError(`kit ${dir} lacks ${missing}: write a complete kit with wh-conformance certs --out ${dir} and restart the listener with it`);
  const revocation = await serveKitRevocation(paths.revocation, teardown);
  const secrets = await withOwnSigningKey(await readSecrets(paths.secrets), config.own, config.profile);
  return kitFor({ paths, secrets, keys: undefined, eventsFile: eventsFileIn(config, dir), revocation, serverCaFile: await serverCaFileFor(config.own, paths) }, config.profile);
}
