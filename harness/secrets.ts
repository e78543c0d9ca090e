import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PROFILES } from './profiles/index.js';

/** `secrets.json` in the kit: one signing secret per profile. */
const SecretsFile = z.object({ profiles: z.record(z.string(), z.object({ secret: z.string().min(1) })) });
export type SecretsFile = z.infer<typeof SecretsFile>;

export function generateSecrets(): SecretsFile {
  return { profiles: Object.fromEntries([...PROFILES.values()].map((p) => [p.name, { secret: p.generateSecret() }])) };
}

export async function readSecrets(file: string): Promise<SecretsFile> {
  const parsed = SecretsFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not a wh-conformance secrets file (expected {"profiles": {"<name>": {"secret": "…"}}})`);
  return parsed.data;
}

export function secretFor(secrets: SecretsFile, profile: string, file: string): string {
  const entry = secrets.profiles[profile];
  if (!entry) throw new Error(`${file} has no secret for profile "${profile}": regenerate the kit with wh-conformance certs --out`);
  return entry.secret;
}
