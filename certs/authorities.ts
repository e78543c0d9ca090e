import { createParty, type Party } from './keys.js';
import { intermediateCaExtensions, rootCaExtensions } from './extensions.js';
import { certificatePem, issueCertificate } from './issue.js';
import { daysFrom, hoursFrom } from './dates.js';
import type { RevocationUrls } from './revocation-urls.js';
import type { SuppliedRoot } from './supplied-root.js';

/**
 * Every issuer of the test PKI, as data. Each has its own key and its own subject, or chain
 * building picks the wrong issuer and an untrusted certificate verifies.
 */
const AUTHORITY_SPECS = [
  { name: 'client-root', subject: 'CN=wh-conformance client root CA', kind: 'root' },
  { name: 'client-intermediate', subject: 'CN=wh-conformance client intermediate CA', kind: 'intermediate', issuer: 'client-root' },
  { name: 'revoked-intermediate', subject: 'CN=wh-conformance revoked intermediate CA', kind: 'intermediate', issuer: 'client-root', revoked: true },
  { name: 'expired-intermediate', subject: 'CN=wh-conformance expired intermediate CA', kind: 'intermediate', issuer: 'client-root', expired: true },
  // A CA the pathLen 0 intermediate had no right to issue.
  { name: 'pathlen-sub-ca', subject: 'CN=wh-conformance sub-CA beyond pathLen 0', kind: 'intermediate', issuer: 'client-intermediate' },
  // Signs the `leaf-as-issuer` identity: as the client intermediate in every respect (issued by the
  // root, so the path is as long; keyCertSign and cRLSign; a CRL of its own) but basicConstraints CA:false.
  { name: 'non-ca-leaf', subject: 'CN=wh-conformance client leaf used as issuer', kind: 'non-ca', issuer: 'client-root' },
  // Trusted by nobody: issues the `untrusted-ca` identity.
  { name: 'rogue-ca', subject: 'CN=wh-conformance rogue CA', kind: 'root' },
  { name: 'server-ca', subject: 'CN=wh-conformance server CA', kind: 'root' },
] as const satisfies readonly AuthoritySpec[];

interface AuthoritySpec {
  readonly name: string;
  readonly subject: string;
  /** `non-ca`: an intermediate but for basicConstraints CA:false. */
  readonly kind: 'root' | 'intermediate' | 'non-ca';
  readonly issuer?: string;
  /** Listed in its issuer's CRL. */
  readonly revoked?: true;
  /** Expired an hour ago: after the leaves it issued became valid, so the chain was valid once. */
  readonly expired?: true;
}

export type AuthorityName = (typeof AUTHORITY_SPECS)[number]['name'];

export interface Authority {
  readonly name: AuthorityName;
  readonly party: Party;
  readonly pem: string;
  readonly serialNumber: string;
  /** What a client sends after a leaf this authority issued: itself and every CA up to, not including, the root. */
  readonly chainPem: string;
  /** The authority that issued this one; undefined for a root. */
  readonly issuer?: AuthorityName;
  readonly revoked: boolean;
}

export type Authorities = Readonly<Record<AuthorityName, Authority>>;

/** The authorities of the trusted client hierarchy publish CRLs, each at its own URL. */
export const CRL_ISSUERS: readonly AuthorityName[] = ['client-root', 'client-intermediate', 'revoked-intermediate', 'expired-intermediate', 'pathlen-sub-ca', 'non-ca-leaf'];

/** Where a certificate issued by `issuer` finds its issuer's CRL; none for CAs that publish none. */
export function crlUrlFor(issuer: Authority | undefined, urls: RevocationUrls): string | undefined {
  return issuer && CRL_ISSUERS.includes(issuer.name) ? urls.crl(issuer.name) : undefined;
}

// Wide enough to contain the validity window of every leaf in the catalog, so only the leaf is ever out of date.
const CA_VALIDITY_DAYS = 365;

async function createAuthority(spec: AuthoritySpec, issuer: Authority | undefined, now: Date, urls: RevocationUrls): Promise<Authority> {
  const party = await createParty(spec.subject);
  const signer = issuer?.party ?? party;
  const crl = crlUrlFor(issuer, urls);
  const pointers = crl ? { crl, ocsp: urls.ocsp } : {};
  const extensions = spec.kind === 'root' ? rootCaExtensions(party) : intermediateCaExtensions(party, signer, pointers, { ca: spec.kind === 'intermediate' });
  const cert = issueCertificate({
    subject: party,
    issuer: signer,
    notBefore: daysFrom(now, -CA_VALIDITY_DAYS),
    notAfter: spec.expired ? hoursFrom(now, -1) : daysFrom(now, CA_VALIDITY_DAYS),
    extensions,
  });
  const pem = certificatePem(cert);
  return {
    name: spec.name as AuthorityName,
    party,
    pem,
    serialNumber: cert.serialNumber,
    chainPem: spec.kind === 'root' ? pem : pem + (issuer?.issuer ? issuer.chainPem : ''),
    ...(issuer ? { issuer: issuer.name } : {}),
    revoked: spec.revoked === true,
  };
}

function suppliedAuthority(spec: AuthoritySpec, root: SuppliedRoot): Authority {
  return { name: spec.name as AuthorityName, party: root.party, pem: root.pem, serialNumber: root.serialNumber, chainPem: root.pem, revoked: false };
}

/** Every issuer of the test PKI, relative to `now`; roots first, then what they issue, in parallel
 * where they can. With `clientRoot`, the user's CA stands in for the client root and signs its intermediates. */
export async function createAuthorities(now: Date, urls: RevocationUrls, clientRoot?: SuppliedRoot): Promise<Authorities> {
  const built = new Map<string, Authority>();
  let pending: readonly AuthoritySpec[] = AUTHORITY_SPECS;
  while (pending.length > 0) {
    const ready = pending.filter((spec) => spec.issuer === undefined || built.has(spec.issuer));
    if (ready.length === 0) throw new Error(`authorities without a buildable issuer: ${pending.map((spec) => spec.name).join(', ')}`);
    const authorities = await Promise.all(
      ready.map((spec) => (spec.name === 'client-root' && clientRoot ? suppliedAuthority(spec, clientRoot) : createAuthority(spec, spec.issuer ? built.get(spec.issuer) : undefined, now, urls))),
    );
    for (const authority of authorities) built.set(authority.name, authority);
    pending = pending.filter((spec) => !built.has(spec.name));
  }
  return Object.fromEntries(built) as Authorities;
}
