import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueNextClientRoot, NEXT_ROOT_IDENTITY, writeKitFile } from '../../certs/index.js';
import { PROBE_IDENTITY, type RunKit } from './kit.js';
import type { RotationTrust } from '../model.js';

/** The run's kit as a listener restarted in each rotation step sees it: the same directory, with that step's client roots and CRLs as its trust files. */
export type KitByRotationStep = Record<RotationTrust, RunKit>;

/**
 * Writes a second client hierarchy into the kit — the next root, its intermediate (with current
 * CRLs, which a listener checking CRLs needs for every CA of a chain) and a valid client under it
 * (`clients/next-root-valid.pem`) — and the trust files of both rotation steps: the current root and
 * the next one, then the next one alone. The readiness probe of the cutover presents the new client:
 * the old one is meant to be refused there.
 */
export async function writeRotationTrust(kit: RunKit, now = new Date()): Promise<KitByRotationStep> {
  const { paths } = kit;
  const next = await issueNextClientRoot(now);
  const [currentRoots, currentCrls] = await Promise.all([readFile(paths.clientCa, 'utf8'), readFile(paths.crl, 'utf8')]);
  const file = (name: string) => join(paths.dir, name);
  const files = {
    overlapCa: file('client-ca-overlap.pem'),
    overlapCrl: file('crl-overlap.pem'),
    nextCa: file('client-ca-next.pem'),
    nextCrl: file('crl-next.pem'),
  };
  await Promise.all([
    writeKitFile(paths.clientCert(NEXT_ROOT_IDENTITY), next.clientChainPem, 'public'),
    writeKitFile(paths.clientKey(NEXT_ROOT_IDENTITY), next.clientKeyPem, 'private'),
    writeKitFile(files.overlapCa, currentRoots + next.rootPem, 'public'),
    writeKitFile(files.overlapCrl, currentCrls + next.crlPem, 'public'),
    writeKitFile(files.nextCa, next.rootPem, 'public'),
    writeKitFile(files.nextCrl, next.crlPem, 'public'),
  ]);
  const probeNext = (name: string) => (name === PROBE_IDENTITY ? NEXT_ROOT_IDENTITY : name);
  return {
    'old+new': { ...kit, paths: { ...paths, clientCa: files.overlapCa, crl: files.overlapCrl } },
    new: {
      ...kit,
      paths: {
        ...paths,
        clientCa: files.nextCa,
        crl: files.nextCrl,
        clientCert: (name) => paths.clientCert(probeNext(name)),
        clientKey: (name) => paths.clientKey(probeNext(name)),
      },
    },
  };
}
