import { isIP } from 'node:net';

/** The server certificate's DNS name: sent as SNI and Host, as a provider would. */
export const SERVER_NAME = 'localhost';

/** How a client checks the listener's certificate: against `ca`, or not at all (`--insecure-server-cert`). */
export interface ServerCheck {
  /** Trust anchor for the listener's certificate (PEM). */
  serverCa?: string;
  /** The certificate is not verified; every report says so. */
  insecure?: true;
}

/** TLS client options for reaching the listener as a provider does: SNI with its name (none for an
 * IP address, which RFC 6066 forbids in SNI; the address is then checked against the certificate). Pure. */
export function serverTlsOptions(servername: string, check: ServerCheck): { servername?: string; ca?: string; rejectUnauthorized: boolean } {
  return { ...(isIP(servername) ? {} : { servername }), ...(check.serverCa !== undefined ? { ca: check.serverCa } : {}), rejectUnauthorized: check.insecure !== true };
}
