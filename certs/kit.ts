import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pki } from './pki.js';

/** Where each file of a kit lives: the target contract's file names. */
export interface KitPaths {
  readonly dir: string;
  readonly clientCa: string;
  readonly crl: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly serverCa: string;
  readonly secrets: string;
  /** What the revocation responder serves (its signing keys included), for `run --certs`. */
  readonly revocation: string;
  clientCert(name: string): string;
  clientKey(name: string): string;
}

export function kitPaths(dir: string): KitPaths {
  const clients = join(dir, 'clients');
  return {
    dir,
    clientCa: join(dir, 'client-ca.pem'),
    crl: join(dir, 'crl.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server-key.pem'),
    serverCa: join(dir, 'server-ca.pem'),
    secrets: join(dir, 'secrets.json'),
    revocation: join(dir, 'revocation.json'),
    clientCert: (name) => join(clients, `${name}.pem`),
    clientKey: (name) => join(clients, `${name}-key.pem`),
  };
}

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
const PUBLIC_FILE = 0o644;

async function privateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR });
  // mkdir leaves an existing directory's mode alone.
  await chmod(path, PRIVATE_DIR);
}

/**
 * Creates the file anew with its final mode: an existing file would keep its old mode, and
 * chmod after writing leaves a window where a key is readable by others.
 */
async function writeNew(path: string, data: string, mode: number): Promise<void> {
  await rm(path, { force: true });
  await writeFile(path, data, { mode, flag: 'wx' });
}

/** Adds a file to a kit under the same rule as the kit's own: created anew, private keys 0600. */
export function writeKitFile(path: string, data: string, visibility: 'public' | 'private'): Promise<void> {
  return writeNew(path, data, visibility === 'private' ? PRIVATE_FILE : PUBLIC_FILE);
}

/** Writes `pki` and `secrets` into `dir` (created if missing), private to the current user. */
export async function writeKit(dir: string, pki: Pki, secrets: Record<string, unknown>): Promise<KitPaths> {
  const paths = kitPaths(dir);
  await privateDir(dir);
  await privateDir(join(dir, 'clients'));
  await Promise.all([
    writeNew(paths.clientCa, pki.clientCaPem, PUBLIC_FILE),
    writeNew(paths.crl, pki.crlPem, PUBLIC_FILE),
    writeNew(paths.serverCert, pki.serverCertPem, PUBLIC_FILE),
    writeNew(paths.serverKey, pki.serverKeyPem, PRIVATE_FILE),
    writeNew(paths.serverCa, pki.serverCaPem, PUBLIC_FILE),
    writeNew(paths.secrets, `${JSON.stringify(secrets, null, 2)}\n`, PRIVATE_FILE),
    writeNew(paths.revocation, `${JSON.stringify(pki.revocation)}\n`, PRIVATE_FILE),
    ...[...pki.identities].flatMap(([name, identity]) => [
      writeNew(paths.clientCert(name), identity.certPem, PUBLIC_FILE),
      writeNew(paths.clientKey(name), identity.keyPem, PRIVATE_FILE),
    ]),
  ]);
  return paths;
}
