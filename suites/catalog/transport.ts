import type { Remediation, Scenario } from '../../harness/model.js';

// How the connection is made, everything else as a provider sends it: the valid client certificate
// (when mTLS is on) and a valid signature. Each negative differs from the control (TLS 1.2) in one
// respect: the protocol version, the cipher suites offered, or no TLS at all.
const base = { layer: 'transport', needs: [], rejection: 'any', control: false } as const;
const provider = { identity: 'valid', signature: {} } as const;

const MODERN_VERSIONS: Remediation = {
  node: "minVersion: 'TLSv1.2' (Node's default: never lower it)",
  nginx: 'ssl_protocols TLSv1.2 TLSv1.3;',
};

export const TRANSPORT_SCENARIOS: readonly Scenario[] = [
  {
    ...base,
    id: 'transport.tls1.2-supported',
    title: 'A delivery over TLS 1.2 is accepted: PagerDuty, DocuSign and Adobe Sign send TLS 1.2 only',
    severity: 'high',
    reference: 'RFC 9325 §3.1.1 (TLS 1.2 must be supported)',
    expect: 'accept',
    control: true,
    send: { ...provider, connection: { tlsVersion: 'TLSv1.2' } },
    remediation: {
      node: "minVersion: 'TLSv1.2', not 'TLSv1.3': a TLS 1.3-only listener loses those providers' deliveries",
      nginx: 'ssl_protocols TLSv1.2 TLSv1.3;',
    },
  },
  {
    ...base,
    id: 'transport.tls1.3-supported',
    title: 'A delivery over TLS 1.3 is accepted',
    severity: 'low',
    reference: 'RFC 9325 §3.1.1 (TLS 1.3 should be supported)',
    expect: 'accept',
    send: { ...provider, connection: { tlsVersion: 'TLSv1.3' } },
    remediation: {
      node: "maxVersion: 'TLSv1.3' (Node's default), and TLS 1.3 suites kept in ciphers",
      nginx: 'ssl_protocols TLSv1.2 TLSv1.3;',
    },
  },
  {
    ...base,
    id: 'transport.plaintext-http',
    title: "A delivery in plain HTTP to the listener's TLS port is not accepted",
    severity: 'high',
    reference: 'RFC 9110 §4.2.2 (https); RFC 8446 §1',
    expect: 'reject',
    send: { ...provider, connection: { scheme: 'http' } },
    remediation: {
      node: 'serve the webhook port with https.createServer only: no plain http server or protocol sniffing on it, and no certificate check that applies only when req.socket.encrypted',
      nginx: "listen <port> ssl; only (nginx answers plain HTTP with 400); no plain listen in the same server",
    },
  },
  {
    ...base,
    id: 'transport.tls1.0',
    title: 'A client that offers only TLS 1.0 is refused',
    severity: 'medium',
    reference: 'RFC 8996 (TLS 1.0 and 1.1 deprecated)',
    expect: 'reject',
    precise: { alerts: ['protocol_version'] },
    send: { ...provider, connection: { tlsVersion: 'TLSv1' } },
    remediation: MODERN_VERSIONS,
  },
  {
    ...base,
    id: 'transport.tls1.1',
    title: 'A client that offers only TLS 1.1 is refused',
    severity: 'medium',
    reference: 'RFC 8996 (TLS 1.0 and 1.1 deprecated)',
    expect: 'reject',
    precise: { alerts: ['protocol_version'] },
    send: { ...provider, connection: { tlsVersion: 'TLSv1.1' } },
    remediation: MODERN_VERSIONS,
  },
  {
    ...base,
    id: 'transport.weak-cipher',
    title: 'A TLS 1.2 client that offers only CBC suites with SHA-1 MACs (static RSA and ECDHE) is refused',
    severity: 'low',
    reference: 'RFC 9325 §4.2 (recommended suites are AEAD with forward secrecy)',
    expect: 'reject',
    precise: { alerts: ['handshake_failure'] },
    send: { ...provider, connection: { tlsVersion: 'TLSv1.2', ciphers: 'legacy-cbc' } },
    remediation: {
      node: "ciphers: 'TLS_AES_128_GCM_SHA256:…:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:…' (ECDHE AEAD suites only)",
      nginx: 'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:…;',
    },
  },
];
