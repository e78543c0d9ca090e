import { createParty, type Party } from './keys.js';
import { intermediateCaExtensions, rootCaExtensions } from './extensions.js';
import { certificatePem, issueCertificate } from './issue.js';
import { daysFrom } from './dates.js';

export interface Authority {
  readonly party: Party;
  readonly pem: string;
}

/** Every CA of the test PKI. Each has its own key and its own subject, or chain building picks the wrong issuer. */
export interface Authorities {
  readonly clientRoot: Authority;
  readonly clientIntermediate: Authority;
  /** Not trusted by anyone: issues the `untrusted-ca` identity. */
  readonly rogue: Authority;
  readonly serverRoot: Authority;
}

// Wide enough to contain the validity window of every leaf in the catalog, so only the leaf is ever out of date.
const CA_VALIDITY_DAYS = 365;

async function createRoot(name: string, now: Date): Promise<Authority> {
  const party = await createParty(name);
  const cert = await issueCertificate({
    subject: party,
    issuer: party,
    notBefore: daysFrom(now, -CA_VALIDITY_DAYS),
    notAfter: daysFrom(now, CA_VALIDITY_DAYS),
    extensions: rootCaExtensions(party),
  });
  return { party, pem: certificatePem(cert) };
}

async function createIntermediate(name: string, issuer: Party, now: Date): Promise<Authority> {
  const party = await createParty(name);
  const cert = await issueCertificate({
    subject: party,
    issuer,
    notBefore: daysFrom(now, -CA_VALIDITY_DAYS),
    notAfter: daysFrom(now, CA_VALIDITY_DAYS),
    extensions: intermediateCaExtensions(party, issuer),
  });
  return { party, pem: certificatePem(cert) };
}

export async function createAuthorities(now: Date): Promise<Authorities> {
  const [clientRoot, rogue, serverRoot] = await Promise.all([
    createRoot('CN=wh-conformance client root CA', now),
    createRoot('CN=wh-conformance rogue CA', now),
    createRoot('CN=wh-conformance server CA', now),
  ]);
  const clientIntermediate = await createIntermediate('CN=wh-conformance client intermediate CA', clientRoot.party, now);
  return { clientRoot, clientIntermediate, rogue, serverRoot };
}
