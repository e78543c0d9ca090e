// Types for tls-policy.mjs.
export const SECURE_CIPHERS: string;
export const SECURE_TLS: { minVersion: 'TLSv1.2'; ciphers: string };
