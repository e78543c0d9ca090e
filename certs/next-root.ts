import { ALLOWED_CLIENT_SUBJECT } from './catalog.js';
import { issueCrl } from './crl.js';
import { daysFrom } from './dates.js';
import { clientLeafExtensions, type Extension, intermediateCaExtensions, rootCaExtensions } from './extensions.js';
import { certificatePem, issueCertificate } from './issue.js';
import { createParty, privateKeyPem, type Party } from './keys.js';

// Subjects of their own: two CAs that share a name make chain building pick the wrong issuer.
const NEXT_ROOT_SUBJECT = 'CN=wh-conformance next client root CA';
const NEXT_INTERMEDIATE_SUBJECT = 'CN=wh-conformance next client intermediate CA';

/** A second client hierarchy, for rotating the listener's trust anchors: the next root, its
 * intermediate with their current CRLs, and a valid client (allowed subject) under it. */
export interface NextClientRoot {
  rootPem: string;
  /** The client's certificate followed by its intermediate, as a client presents it. */
  clientChainPem: string;
  clientKeyPem: string;
  crlPem: string;
}

function issue(subject: Party, issuer: Party, now: Date, extensions: Extension[], years = 1): string {
  return certificatePem(issueCertificate({ subject, issuer, notBefore: daysFrom(now, -1), notAfter: daysFrom(now, 365 * years), extensions }));
}

export async function issueNextClientRoot(now: Date): Promise<NextClientRoot> {
  const [root, intermediate, leaf] = await Promise.all([createParty(NEXT_ROOT_SUBJECT), createParty(NEXT_INTERMEDIATE_SUBJECT), createParty(ALLOWED_CLIENT_SUBJECT)]);
  const rootPem = issue(root, root, now, rootCaExtensions(root), 2);
  const intermediatePem = issue(intermediate, root, now, intermediateCaExtensions(intermediate, root, {}));
  const leafPem = issue(leaf, intermediate, now, clientLeafExtensions(leaf, intermediate));
  const [rootCrl, intermediateCrl] = [issueCrl(root, now, []), issueCrl(intermediate, now, [])];
  return { rootPem, clientChainPem: leafPem + intermediatePem, clientKeyPem: privateKeyPem(leaf.keys), crlPem: rootCrl.pem + intermediateCrl.pem };
}
