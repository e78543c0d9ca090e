import { ALLOWED_CLIENT_SUBJECT, type KitPaths } from '../../certs/index.js';
import { GENERIC_HMAC, type GenericHmacSettings, type SigningKeys } from '../profiles/index.js';

export interface ContractOptions {
  host: string;
  port: number;
  path: string;
  kit: KitPaths;
  mtls: boolean;
  profile: string | null;
  /** The profile's keys: the listener gets the shared secret, or an asymmetric profile's public
   * key (never the harness's private key). */
  signing: SigningKeys | undefined;
  /** The generic-hmac scheme, given to the listener as JSON when that is the profile. */
  genericHmac?: GenericHmacSettings;
  toleranceSeconds: number;
  /** Where the listener appends the id of each delivery it processed (capability events-file). */
  eventsFile?: string;
  /** The run's revocation responder: OCSP, and the CRL bundle. */
  revocation?: { ocsp: string; crlBundle: string };
}

/** The WHC_* variables of the target contract (docs/ARCHITECTURE.md). Client-certificate variables are set only
 * when mTLS is on, so a listener can tell whether to ask for a certificate. Pure. */
export function contractEnv(o: ContractOptions): Record<string, string> {
  return {
    WHC_HOST: o.host,
    WHC_PORT: String(o.port),
    WHC_WEBHOOK_PATH: o.path,
    WHC_CERTS_DIR: o.kit.dir,
    WHC_SERVER_CERT_FILE: o.kit.serverCert,
    WHC_SERVER_KEY_FILE: o.kit.serverKey,
    ...(o.mtls ? { WHC_CLIENT_CA_FILE: o.kit.clientCa, WHC_CRL_FILE: o.kit.crl, WHC_ALLOWED_CLIENT_SUBJECT: ALLOWED_CLIENT_SUBJECT } : {}),
    ...(o.mtls && o.revocation ? { WHC_OCSP_URL: o.revocation.ocsp, WHC_CRL_URL: o.revocation.crlBundle } : {}),
    WHC_PROFILE: o.profile ?? 'none',
    ...signingKey(o),
    ...(o.profile === GENERIC_HMAC && o.genericHmac ? { WHC_GENERIC_HMAC: JSON.stringify(o.genericHmac) } : {}),
    WHC_TOLERANCE_SECONDS: String(o.toleranceSeconds),
    ...(o.eventsFile ? { WHC_EVENTS_FILE: o.eventsFile } : {}),
  };
}

function signingKey(o: ContractOptions): Record<string, string> {
  if (!o.profile) return {};
  if (o.signing?.publicKey) return { WHC_SIGNING_PUBLIC_KEY: o.signing.publicKey };
  return o.signing?.signingKey ? { WHC_SIGNING_SECRET: o.signing.signingKey } : {};
}
