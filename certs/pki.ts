import { createAuthorities, type Authorities } from './authorities.js';
import { ALLOWED_CLIENT_SUBJECT, IDENTITY_CATALOG, type IdentityName, type IdentitySpec } from './catalog.js';
import { issueCrlPem } from './crl.js';
import { daysFrom } from './dates.js';
import { clientLeafExtensions, serverLeafExtensions } from './extensions.js';
import { certificatePem, issueCertificate } from './issue.js';
import { createParty, type Party, privateKeyPem } from './keys.js';

export interface IdentityPem {
  /** The leaf followed by the CA certificates the client sends with it. */
  readonly certPem: string;
  /** PKCS#8 PEM. */
  readonly keyPem: string;
}

export interface Pki {
  /** Trust anchors for client certificates: the client root only. */
  readonly clientCaPem: string;
  /** Current CRLs of every CA in the client chain (root and intermediate), concatenated. */
  readonly crlPem: string;
  /** The server leaf alone: its chain ends at the server CA root. */
  readonly serverCertPem: string;
  /** PKCS#8 PEM. */
  readonly serverKeyPem: string;
  readonly serverCaPem: string;
  readonly identities: Map<IdentityName, IdentityPem>;
}

export interface BuildPkiOptions {
  readonly now: Date;
  /** Defaults to every identity in the catalog. */
  readonly identities?: readonly IdentityName[];
}

const SERVER_SUBJECT = 'CN=localhost';
const SERVER_NAMES = { dns: ['localhost'], ips: ['127.0.0.1', '::1'] };

interface IssuedIdentity {
  readonly spec: IdentitySpec;
  readonly serialNumber: string;
  readonly pem: IdentityPem;
}

function signerOf(spec: IdentitySpec, leaf: Party, authorities: Authorities): { signer: Party; chainPem: string } {
  switch (spec.issuer) {
    case 'client-intermediate':
      return { signer: authorities.clientIntermediate.party, chainPem: authorities.clientIntermediate.pem };
    case 'rogue-ca':
      return { signer: authorities.rogue.party, chainPem: authorities.rogue.pem };
    case 'self':
      return { signer: leaf, chainPem: '' };
  }
}

async function issueIdentity(spec: IdentitySpec, authorities: Authorities, now: Date): Promise<IssuedIdentity> {
  const leaf = await createParty(spec.subject ?? ALLOWED_CLIENT_SUBJECT);
  const { signer, chainPem } = signerOf(spec, leaf, authorities);
  const cert = await issueCertificate({
    subject: leaf,
    issuer: signer,
    notBefore: daysFrom(now, spec.validity.fromDays),
    notAfter: daysFrom(now, spec.validity.toDays),
    extensions: clientLeafExtensions(leaf, signer),
  });
  return {
    spec,
    serialNumber: cert.serialNumber,
    pem: { certPem: certificatePem(cert) + chainPem, keyPem: privateKeyPem(leaf.keys) },
  };
}

async function issueServer(authorities: Authorities, now: Date): Promise<{ certPem: string; keyPem: string }> {
  const server = await createParty(SERVER_SUBJECT);
  const issuer = authorities.serverRoot.party;
  const cert = await issueCertificate({
    subject: server,
    issuer,
    notBefore: daysFrom(now, -1),
    notAfter: daysFrom(now, 30),
    extensions: serverLeafExtensions(server, issuer, SERVER_NAMES),
  });
  return { certPem: certificatePem(cert), keyPem: privateKeyPem(server.keys) };
}

/** Builds the test PKI relative to `now`, in memory. */
export async function buildPki(options: BuildPkiOptions): Promise<Pki> {
  const { now } = options;
  const wanted = new Set<IdentityName>(options.identities ?? IDENTITY_CATALOG.map((spec) => spec.name));
  const authorities = await createAuthorities(now);
  const [server, issued] = await Promise.all([
    issueServer(authorities, now),
    Promise.all(
      IDENTITY_CATALOG.filter((spec) => wanted.has(spec.name)).map((spec) => issueIdentity(spec, authorities, now)),
    ),
  ]);
  const revokedSerials = issued.filter((identity) => identity.spec.revoked).map((identity) => identity.serialNumber);
  const crls = await Promise.all([
    issueCrlPem(authorities.clientRoot.party, now, []),
    issueCrlPem(authorities.clientIntermediate.party, now, revokedSerials),
  ]);
  return {
    clientCaPem: authorities.clientRoot.pem,
    crlPem: crls.join(''),
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    serverCaPem: authorities.serverRoot.pem,
    identities: new Map(issued.map((identity) => [identity.spec.name, identity.pem])),
  };
}
