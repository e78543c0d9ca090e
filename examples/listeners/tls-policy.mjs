// The listener's TLS policy: TLS 1.2 and 1.3 only, forward-secret AEAD suites only, and OpenSSL
// security level 2, which also refuses client keys under 2048 bits (RSA) and SHA-1 certificate
// signatures. Node's defaults allow CBC suites and RSA-1024 client certificates.

/** TLS 1.3 suites (listed, or Node would turn TLS 1.3 off), then ECDHE AEAD suites for TLS 1.2. */
export const SECURE_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  '@SECLEVEL=2',
].join(':');

/** Merged into the https server options. */
export const SECURE_TLS = { minVersion: 'TLSv1.2', ciphers: SECURE_CIPHERS };
