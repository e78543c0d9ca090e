import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ALLOWED_CLIENT_SUBJECT } from '../../certs/index.js';
import { issueCrl } from '../../certs/crl.js';
import { daysFrom } from '../../certs/dates.js';
import { clientLeafExtensions, intermediateCaExtensions, rootCaExtensions } from '../../certs/extensions.js';
import { certificatePem, issueCertificate } from '../../certs/issue.js';
import { createParty, privateKeyPem, type Party } from '../../certs/keys.js';
import { NEXT_ROOT_IDENTITY } from '../../suites/catalog/index.js';
import { PROBE_IDENTITY, type Kit } from './kit.js';
import type { RotationTrust } from '../model.js';

// Subjects of their own: two CAs that share a name make chain building pick the wrong issuer.
const NEXT_ROOT_SUBJECT = 'CN=wh-conformance next client root CA';
const NEXT_INTERMEDIATE_SUBJECT = 'CN=wh-conformance next client intermediate CA';

interface Issued {
  party: Party;
  pem: string;
}

async function issue(subject: Party, issuer: Party, now: Date, extensions: Parameters<typeof issueCertificate>[0]['extensions'], years = 1): Promise<string> {
  const cert = await issueCertificate({ subject, issuer, notBefore: daysFrom(now, -1), notAfter: daysFrom(now, 365 * years), extensions });
  return certificatePem(cert);
}

async function nextHierarchy(now: Date): Promise<{ root: Issued; intermediate: Issued; leaf: Issued }> {
  const [rootParty, intermediateParty, leafParty] = await Promise.all([createParty(NEXT_ROOT_SUBJECT), createParty(NEXT_INTERMEDIATE_SUBJECT), createParty(ALLOWED_CLIENT_SUBJECT)]);
  const [rootPem, intermediatePem, leafPem] = await Promise.all([
    issue(rootParty, rootParty, now, rootCaExtensions(rootParty), 2),
    issue(intermediateParty, rootParty, now, intermediateCaExtensions(intermediateParty, rootParty, {})),
    issue(leafParty, intermediateParty, now, clientLeafExtensions(leafParty, intermediateParty)),
  ]);
  return { root: { party: rootParty, pem: rootPem }, intermediate: { party: intermediateParty, pem: intermediatePem }, leaf: { party: leafParty, pem: leafPem } };
}

/** The kit as a listener restarted in each rotation step sees it. */
export type RotationKits = Record<RotationTrust, Kit>;

/**
 * Writes a second client hierarchy into the kit — the next root, its intermediate (with current
 * CRLs, which a listener checking CRLs needs for every CA of a chain) and a valid client under it
 * (`clients/next-root-valid.pem`) — and the trust files of both rotation steps: the current root and
 * the next one, then the next one alone. The readiness probe of the cutover presents the new client:
 * the old one is meant to be refused there.
 */
export async function writeRotationKits(kit: Kit, now = new Date()): Promise<RotationKits> {
  const { paths } = kit;
  const next = await nextHierarchy(now);
  const [rootCrl, intermediateCrl] = await Promise.all([issueCrl(next.root.party, now, []), issueCrl(next.intermediate.party, now, [])]);
  const [currentRoots, currentCrls] = await Promise.all([readFile(paths.clientCa, 'utf8'), readFile(paths.crl, 'utf8')]);
  const nextCrls = rootCrl.pem + intermediateCrl.pem;
  const file = (name: string) => join(paths.dir, name);
  const files = {
    overlapCa: file('client-ca-overlap.pem'),
    overlapCrl: file('crl-overlap.pem'),
    nextCa: file('client-ca-next.pem'),
    nextCrl: file('crl-next.pem'),
  };
  await Promise.all([
    writeFile(paths.clientCert(NEXT_ROOT_IDENTITY), next.leaf.pem + next.intermediate.pem, { mode: 0o644 }),
    writeFile(paths.clientKey(NEXT_ROOT_IDENTITY), privateKeyPem(next.leaf.party.keys), { mode: 0o600 }),
    writeFile(files.overlapCa, currentRoots + next.root.pem, { mode: 0o644 }),
    writeFile(files.overlapCrl, currentCrls + nextCrls, { mode: 0o644 }),
    writeFile(files.nextCa, next.root.pem, { mode: 0o644 }),
    writeFile(files.nextCrl, nextCrls, { mode: 0o644 }),
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
