import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPki, kitPaths, writeKit, type IdentityName, type KitPaths } from '../certs/index.js';
import type { ResolvedConfig } from './config.js';
import { HarnessError } from './errors.js';
import type { Plan } from './plan.js';
import { generateSecrets, readSecrets, secretFor } from './secrets.js';
import type { Teardown } from './teardown.js';

/** The identity the readiness probe presents. */
export const PROBE_IDENTITY = 'valid';

/** The kit a run uses: its files and the signing secret of the run's profile. */
export interface Kit {
  paths: KitPaths;
  secret: string | undefined;
}

function identitiesFor(plan: Plan): IdentityName[] {
  const names = new Set<string>([PROBE_IDENTITY]);
  for (const s of plan.run) if (s.send.identity) names.add(s.send.identity);
  return [...names] as IdentityName[];
}

/** A fresh kit in a private temporary directory, removed at teardown unless kept. */
export async function generateKit(config: ResolvedConfig, plan: Plan, teardown: Teardown, announce: (text: string) => void): Promise<Kit> {
  const dir = await mkdtemp(join(tmpdir(), 'whc-kit-'));
  if (config.keepCerts) announce(`kit kept at ${dir}\n`);
  else teardown.add(() => rm(dir, { recursive: true, force: true }));
  const secrets = generateSecrets();
  const paths = await writeKit(dir, await buildPki({ now: new Date(), identities: identitiesFor(plan) }), secrets);
  return { paths, secret: config.profile ? secretFor(secrets, config.profile, paths.secrets) : undefined };
}

/** A kit someone wrote earlier with `wh-conformance certs --out`, for a listener already running. */
export async function existingKit(dir: string, config: ResolvedConfig, plan: Plan): Promise<Kit> {
  const paths = kitPaths(dir);
  const needed = [paths.serverCa, paths.secrets, ...identitiesFor(plan).flatMap((n) => [paths.clientCert(n), paths.clientKey(n)])];
  const missing = needed.find((file) => !existsSync(file));
  if (missing) throw new HarnessError(`kit ${dir} lacks ${missing}: write a complete kit with wh-conformance certs --out ${dir} and restart the listener with it`);
  const secret = config.profile ? secretFor(await readSecrets(paths.secrets), config.profile, paths.secrets) : undefined;
  return { paths, secret };
}
