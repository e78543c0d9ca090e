import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunKit } from './kit.js';
import type { SecretMask } from './secrets-mask.js';

/** Teaches `mask` every secret of the kit: the profiles' signing secrets (an asymmetric profile's
 * `secret` is the harness's private key), and the private keys of the server, the clients and the
 * OCSP responders. */
export async function maskKitSecrets(kit: RunKit, mask: SecretMask): Promise<void> {
  mask.add(...Object.values(kit.secrets.profiles).map((entry) => entry.secret));
  const clientsDir = dirname(kit.paths.clientKey('any'));
  // By content: an identity's certificate may be named like a key (`weak-rsa-key.pem`).
  const clientFiles = (await readdir(clientsDir).catch(() => [])).map((name) => join(clientsDir, name));
  const files = await Promise.all([kit.paths.serverKey, ...clientFiles].map((file) => readFile(file, 'utf8').catch(() => '')));
  mask.add(...files.filter((text) => text.includes('PRIVATE KEY')), ...(await responderKeys(kit.paths.revocation)));
}

async function responderKeys(file: string): Promise<string[]> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as { ocsp?: Array<{ responderKeyPem?: unknown }> };
    return (data.ocsp ?? []).map((entry) => entry.responderKeyPem).filter((pem): pem is string => typeof pem === 'string');
  } catch {
    return [];
  }
}
