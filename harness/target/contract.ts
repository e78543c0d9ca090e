import { ALLOWED_CLIENT_SUBJECT, type KitPaths } from '../../certs/index.js';

export interface ContractOptions {
  host: string;
  port: number;
  path: string;
  kit: KitPaths;
  mtls: boolean;
  profile: string | null;
  secret: string | undefined;
  toleranceSeconds: number;
}

/** The WHC_* variables of DESIGN.md's target contract. Client-certificate variables are set only
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
    WHC_PROFILE: o.profile ?? 'none',
    ...(o.profile && o.secret ? { WHC_SIGNING_SECRET: o.secret } : {}),
    WHC_TOLERANCE_SECONDS: String(o.toleranceSeconds),
  };
}
