import { DEFAULT_CIPHERS, type ConnectionOptions } from 'node:tls';
import { IDENTITY_CATALOG } from '../../certs/index.js';
import type { ConnectionSpec } from '../model.js';

/** CBC suites with SHA-1 MACs, static RSA and ECDHE: whatever the server key, one of them could be
 * negotiated, so only a listener that refuses them all passes. */
const LEGACY_CBC_SUITES = 'AES128-SHA:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA';
/** OpenSSL 3 refuses TLS 1.0/1.1 (SHA-1 signatures) above security level 0, on the client too. */
const LEGACY_VERSION_CIPHERS = 'DEFAULT@SECLEVEL=0';

/** What a client at the default security level offers (measured, OpenSSL 3.0): level 0 would add
 * the SHA-1 signature algorithms to the ClientHello. */
const DEFAULT_SIGALGS = [
  'ecdsa_secp256r1_sha256', 'ecdsa_secp384r1_sha384', 'ecdsa_secp521r1_sha512', 'ed25519', 'ed448',
  'rsa_pss_pss_sha256', 'rsa_pss_pss_sha384', 'rsa_pss_pss_sha512', 'rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512',
  'rsa_pkcs1_sha256', 'rsa_pkcs1_sha384', 'rsa_pkcs1_sha512', 'ECDSA+SHA224', 'RSA+SHA224', 'DSA+SHA224', 'DSA+SHA256', 'DSA+SHA384', 'DSA+SHA512',
].join(':');
/** Presenting a SHA-1-signed certificate needs security level 0; the offer stays the default one
 * (same suites, same signature algorithms), so the certificate is the one thing that differs. */
const SHA1_CERTIFICATE_OFFER = { ciphers: `${DEFAULT_CIPHERS}:@SECLEVEL=0`, sigalgs: DEFAULT_SIGALGS };

/** OpenSSL refuses to present a certificate signed with SHA-1 above security level 0. */
function presentableOnlyAtLevel0(identity: string | null): boolean {
  return IDENTITY_CATALOG.some((spec) => spec.name === identity && spec.signatureHash === 'SHA-1');
}

/** What the client offers in its handshake for a connection spec and the identity it presents;
 * `{}` is Node's default offer. Pure. */
export function clientTlsOffer(connection: ConnectionSpec = {}, identity: string | null = null): Pick<ConnectionOptions, 'minVersion' | 'maxVersion' | 'ciphers' | 'sigalgs'> {
  const version = connection.tlsVersion;
  return {
    ...(version ? { minVersion: version, maxVersion: version } : {}),
    ...(presentableOnlyAtLevel0(identity) ? SHA1_CERTIFICATE_OFFER : {}),
    ...(version === 'TLSv1' || version === 'TLSv1.1' ? { ciphers: LEGACY_VERSION_CIPHERS } : {}),
    // TLS 1.3 suites are not chosen by this list: offering them would let the handshake avoid CBC.
    ...(connection.ciphers === 'legacy-cbc' ? { ciphers: LEGACY_CBC_SUITES, maxVersion: 'TLSv1.2' } : {}),
  };
}
