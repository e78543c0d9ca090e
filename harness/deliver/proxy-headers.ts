import { createHash } from 'node:crypto';

/** Whose certificate the spoofed proxy headers carry: the valid identity's, as a real proxy would after verifying it. */
export const PROXIED_IDENTITY = 'valid';

/**
 * The headers TLS-terminating proxies set after verifying a client certificate (nginx
 * `$ssl_client_verify`/`$ssl_client_s_dn`/`$ssl_client_escaped_cert`, Envoy's
 * X-Forwarded-Client-Cert, RFC 9440 Client-Cert), claiming `certPem` (its first block) with
 * `subject` was verified. A listener must never believe them from the client itself. Pure.
 */
export function clientCertProxyHeaders(certPem: string, subject: string): Record<string, string> {
  const leaf = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(certPem)?.[0];
  if (!leaf) throw new Error('no certificate to put in the proxy headers');
  const der = Buffer.from(leaf.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const escaped = encodeURIComponent(leaf);
  return {
    'x-ssl-client-verify': 'SUCCESS',
    'x-ssl-client-s-dn': subject,
    'x-client-cert': escaped,
    'x-forwarded-client-cert': `Hash=${createHash('sha256').update(der).digest('hex')};Cert="${escaped}";Subject="${subject}"`,
    'client-cert': `:${der.toString('base64')}:`,
  };
}
