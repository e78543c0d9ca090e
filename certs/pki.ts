import { createAuthorities, crlUrlFor, type Authorities, type Authority } from './authorities.js';
import { ALLOWED_CLIENT_SUBJECT, IDENTITY_CATALOG, type IdentityName, type IdentitySpec } from './catalog.js';
import { CURRENT_WINDOW, daysFrom } from './dates.js';
import { clientLeafExtensions, ExtendedKeyUsageOid, KeyUsageFlags, type LeafProfile, serverLeafExtensions } from './extensions.js';
import { certificatePem, corruptedSignaturePem, issueCertificate } from './issue.js';
import { createParty, type Party, privateKeyPem } from './keys.js';
import { buildRevocation, type IssuedCertificate, type RevocationData, type SelfIssued } from './revocation.js';
import { revocationUrls, type RevocationUrls } from './revocation-urls.js';
import type { SuppliedRoot } from './supplied-root.js';

export interface IdentityPem {
  /** The leaf followed by the CA certificates the client sends with it. */
  readonly certPem: string;
  /** PKCS#8 PEM. */
  readonly keyPem: string;
}

export interface Pki {
  /** Trust anchors for client certificates: the client root only. */
  readonly clientCaPem: string;
  /** Current CRLs of every CA of the client hierarchy, root first, concatenated. */
  readonly crlPem: string;
  /** The server leaf alone: its chain ends at the server CA root. */
  readonly serverCertPem: string;
  /** PKCS#8 PEM. */
  readonly serverKeyPem: string;
  readonly serverCaPem: string;
  readonly identities: Map<IdentityName, IdentityPem>;
  /** What the revocation responder serves: CRLs and OCSP answers. */
  readonly revocation: RevocationData;
}

export interface BuildPkiOptions {
  readonly now: Date;
  /** Defaults to every identity in the catalog. */
  readonly identities?: readonly IdentityName[];
  /** The revocation responder's `http://127.0.0.1:PORT`: certificates point at it (CDP, AIA). */
  readonly revocationOrigin: string;
  /** A client CA the listener already trusts: every client identity is issued under it. */
  readonly clientRoot?: SuppliedRoot;
}

const SERVER_SUBJECT = 'CN=localhost';
const SERVER_NAMES = { dns: ['localhost'], ips: ['127.0.0.1', '::1'] };

interface IssuedIdentity {
  readonly spec: IdentitySpec;
  readonly serialNumber: string;
  readonly pem: IdentityPem;
}

/** A self-signed leaf that names the OCSP responder answers for itself. */
function selfIssued(identity: IssuedIdentity): SelfIssued[] {
  const { spec, pem, serialNumber } = identity;
  return spec.issuer === 'self' && spec.ocspUrl !== false ? [{ pem: pem.certPem, keyPem: pem.keyPem, serialNumber }] : [];
}

function leafProfile(spec: IdentitySpec, issuer: Authority | undefined, urls: RevocationUrls): LeafProfile {
  const crl = crlUrlFor(issuer, urls);
  return {
    ...(spec.keyUsage ? { keyUsage: spec.keyUsage.reduce((bits, usage) => bits | KeyUsageFlags[usage], 0) } : {}),
    ...(spec.extendedKeyUsage ? { extendedKeyUsage: spec.extendedKeyUsage.map((usage) => ExtendedKeyUsageOid[usage]) } : {}),
    ...(spec.unknownCriticalExtension ? { unknownCriticalExtension: true } : {}),
    pointers: {
      ...(crl ? { crl } : {}),
      ...(spec.ocspUrl === false ? {} : { ocsp: urls.ocsp }),
    },
  };
}

async function issueIdentity(spec: IdentitySpec, authorities: Authorities, now: Date, urls: RevocationUrls): Promise<IssuedIdentity> {
  const leaf = await createParty(spec.subject ?? ALLOWED_CLIENT_SUBJECT, spec.key);
  const issuer = spec.issuer === 'self' ? undefined : authorities[spec.issuer];
  const signer: Party = issuer?.party ?? leaf;
  const cert = issueCertificate({
    subject: leaf,
    issuer: signer,
    notBefore: daysFrom(now, spec.validity.fromDays),
    notAfter: daysFrom(now, spec.validity.toDays),
    extensions: clientLeafExtensions(leaf, signer, leafProfile(spec, issuer, urls)),
    ...(spec.signatureHash ? { hash: spec.signatureHash } : {}),
  });
  const leafPem = spec.corruptSignature ? corruptedSignaturePem(cert) : certificatePem(cert);
  const chainPem = spec.sendChain === false ? '' : (issuer?.chainPem ?? '');
  return { spec, serialNumber: cert.serialNumber, pem: { certPem: leafPem + chainPem, keyPem: privateKeyPem(leaf.keys) } };
}

async function issueServer(authorities: Authorities, now: Date): Promise<{ certPem: string; keyPem: string }> {
  const server = await createParty(SERVER_SUBJECT);
  const issuer = authorities['server-ca'].party;
  const cert = issueCertificate({
    subject: server,
    issuer,
    notBefore: daysFrom(now, CURRENT_WINDOW.fromDays),
    notAfter: daysFrom(now, CURRENT_WINDOW.toDays),
    extensions: serverLeafExtensions(server, issuer, SERVER_NAMES),
  });
  return { certPem: certificatePem(cert), keyPem: privateKeyPem(server.keys) };
}

function issuedCertificate(identity: IssuedIdentity): IssuedCertificate[] {
  const { issuer, revoked } = identity.spec;
  if (issuer === 'self') return [];
  return [{ issuer, serialNumber: identity.serialNumber, ...(revoked ? { revoked } : {}) }];
}

/** Builds the test PKI relative to `now`, in memory. */
export async function buildPki(options: BuildPkiOptions): Promise<Pki> {
  const { now } = options;
  const urls = revocationUrls(options.revocationOrigin);
  const wanted = new Set<IdentityName>(options.identities ?? IDENTITY_CATALOG.map((spec) => spec.name));
  const authorities = await createAuthorities(now, urls, options.clientRoot);
  const [server, issued] = await Promise.all([
    issueServer(authorities, now),
    Promise.all(IDENTITY_CATALOG.filter((spec) => wanted.has(spec.name)).map((spec) => issueIdentity(spec, authorities, now, urls))),
  ]);
  const revocation = await buildRevocation(authorities, issued.flatMap(issuedCertificate), now, urls.origin, issued.flatMap(selfIssued));
  return {
    clientCaPem: authorities['client-root'].pem,
    crlPem: revocation.crlPem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    serverCaPem: authorities['server-ca'].pem,
    identities: new Map(issued.map((identity) => [identity.spec.name, identity.pem])),
    revocation,
  };
}
