import type { ConnectionOptions } from 'node:tls';
import { IDENTITY_CATALOG } from '../../certs/index.js';
import type { ConnectionSpec } from '../model.js';

/** CBC suites with SHA-1 MACs, static RSA and ECDHE: whatever the server key, one of them could be
 * negotiated, so only a listener that refuses them all passes. */
const LEGACY_CBC_SUITES = 'AES128-SHA:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA';
/** OpenSSL 3 refuses TLS 1.0/1.1 (SHA-1 signatures) above security level 0, on the client too. */
const LEGACY_VERSION_CIPHERS = 'DEFAULT@SECLEVEL=0';

/** OpenSSL refuses to present a certificate signed with SHA-1 above security level 0. */
function presentableOnlyAtLevel0(identity: string | null): boolean {
  return IDENTITY_CATALOG.some((spec) => spec.name === identity && spec.signatureHash === 'SHA-1');
}

/** What the client offers in its handshake for a connection spec and the identity it presents;
 * `{}` is Node's default offer. Pure. */
export function clientTlsOffer(connection: ConnectionSpec = {}, identity: string | null = null): Pick<ConnectionOptions, 'minVersion' | 'maxVersion' | 'ciphers'> {
  const version = connection.tlsVersion;
  return {
    ...(version ? { minVersion: version, maxVersion: version } : {}),
    ...(version === 'TLSv1' || version === 'TLSv1.1' || presentableOnlyAtLevel0(identity) ? { ciphers: LEGACY_VERSION_CIPHERS } : {}),
    // TLS 1.3 suites are not chosen by this list: offering them would let the handshake avoid CBC.
    ...(connection.ciphers === 'legacy-cbc' ? { ciphers: LEGACY_CBC_SUITES, maxVersion: 'TLSv1.2' } : {}),
  };
}
