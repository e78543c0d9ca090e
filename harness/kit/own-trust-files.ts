import { readFile } from 'node:fs/promises';
import { readSuppliedRoot, type KitPaths, type SuppliedRoot } from '../../certs/index.js';
import { HarnessError } from '../errors.js';
import type { OwnTrust } from '../config/index.js';
import { secretsEntry, type SecretsFile } from './secrets.js';
import { RUN_SECRETS } from './secrets-mask.js';

// Lays what the user brings (own-trust.ts) over the kit the run makes or reads.

async function readOwnFile(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new HarnessError(`${flag}: cannot read ${file} (${code}): check the path`);
  }
}

/** The user's client CA, checked: the run stops before anything starts when it cannot issue under it. */
export async function ownClientRoot(own: OwnTrust, now: Date): Promise<SuppliedRoot | undefined> {
  if (!own.clientCa) return undefined;
  const [certPem, keyPem] = await Promise.all([readOwnFile(own.clientCa.certFile, '--client-ca-cert'), readOwnFile(own.clientCa.keyFile, '--client-ca-key')]);
  RUN_SECRETS.add(keyPem);
  try {
    return await readSuppliedRoot(certPem, keyPem, now);
  } catch (error) {
    throw new HarnessError(`--client-ca-cert/--client-ca-key: ${error instanceof Error ? error.message : String(error)}: give the CA your listener trusts and its key`);
  }
}

/** The secrets with the user's own for `profile`: the environment's secret, and an asymmetric
 * profile's public key from its file. */
export async function withOwnSigningKey(secrets: SecretsFile, own: OwnTrust, profile: string | null): Promise<SecretsFile> {
  if (!own.signingKey || profile === null) return secrets;
  const publicKey = own.signingPublicKey ? (await readOwnFile(own.signingPublicKey.file, '--signing-public-key-file')).trim() : undefined;
  return { profiles: { ...secrets.profiles, [profile]: secretsEntry({ signingKey: own.signingKey.value, ...(publicKey ? { publicKey } : {}) }) } };
}

/** The file the listener's certificate is checked against; null when it is not checked. */
export async function serverCaFileFor(own: OwnTrust, paths: KitPaths): Promise<string | null> {
  switch (own.serverTrust.kind) {
    case 'insecure':
      return null;
    case 'ca':
      await readOwnFile(own.serverTrust.file, '--server-ca');
      return own.serverTrust.file;
    case 'kit':
      return paths.serverCa;
  }
}
