import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { generateAllKeys, type SigningKeys } from '../profiles/index.js';

/** `secrets.json` in the kit: the keys of every profile. An asymmetric profile's `secret` is the
 * harness's private key; the listener gets only its `publicKey`. */
const SecretsFile = z.object({
  profiles: z.record(z.string(), z.object({ secret: z.string().min(1), publicKey: z.string().min(1).optional() })),
});
export type SecretsFile = z.infer<typeof SecretsFile>;

export function generateSecrets(): SecretsFile {
  return { profiles: generateAllKeys() };
}

export async function readSecrets(file: string): Promise<SecretsFile> {
  const parsed = SecretsFile.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not a wh-conformance secrets file (expected {"profiles": {"<name>": {"secret": "…"}}})`);
  return parsed.data;
}

export function keysFor(secrets: SecretsFile, profile: string, file: string): SigningKeys {
  const entry = secrets.profiles[profile];
  if (!entry) throw new Error(`${file} has no secret for profile "${profile}": regenerate the kit with wh-conformance certs --out`);
  return entry;
}
