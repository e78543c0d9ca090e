import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { generateAllKeys, type SigningKeys } from '../profiles/index.js';

/** `secrets.json` in the kit: the keys of every profile. Its format is a contract users' listeners
 * read: each profile's `secret` is what the harness signs with (an asymmetric profile's private key,
 * of which the listener gets only the `publicKey`); in memory that is a `SigningKeys.signingKey`. */
const SecretsFile = z.object({
  profiles: z.record(z.string(), z.object({ secret: z.string().min(1), publicKey: z.string().min(1).optional() })),
});
export type SecretsFile = z.infer<typeof SecretsFile>;

/** One profile's keys as `secrets.json` holds them. */
export function secretsEntry({ signingKey, publicKey }: SigningKeys): SecretsFile['profiles'][string] {
  return { secret: signingKey, ...(publicKey ? { publicKey } : {}) };
}

export function generateSecrets(): SecretsFile {
  return { profiles: Object.fromEntries(Object.entries(generateAllKeys()).map(([name, keys]) => [name, secretsEntry(keys)])) };
}

export async function readSecrets(file: string): Promise<SecretsFile> {
  const parsed = SecretsFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not a wh-conformance secrets file (expected {"profiles": {"<name>": {"secret": "…"}}})`);
  return parsed.data;
}

export function keysFor(secrets: SecretsFile, profile: string, file: string): SigningKeys {
  const entry = secrets.profiles[profile];
  if (!entry) throw new Error(`${file} has no secret for profile "${profile}": regenerate the kit with wh-conformance certs --out`);
  return { signingKey: entry.secret, ...(entry.publicKey ? { publicKey: entry.publicKey } : {}) };
}
