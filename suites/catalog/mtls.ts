import type { Scenario } from '../../harness/model.js';

// Each negative differs from the control in its client certificate only: same subject, valid
// signature, so a rejection can only be about the certificate.
const base = { layer: 'mtls', needs: [], rejection: 'any', control: false } as const;
const valid = { signature: {} };

export const MTLS_SCENARIOS: readonly Scenario[] = [
  {
    ...base,
    id: 'mtls.valid-client-cert',
    title: 'A valid client certificate under the trusted root is accepted',
    severity: 'critical',
    reference: 'RFC 8446 §4.4.2.4; RFC 5280 §6.1',
    expect: 'accept',
    control: true,
    send: { identity: 'valid', ...valid },
  },
  {
    ...base,
    id: 'mtls.no-client-cert',
    title: 'A delivery without a client certificate is rejected',
    severity: 'critical',
    reference: 'RFC 8446 §4.4.2.4 (certificate_required)',
    expect: 'reject',
    send: { identity: null, ...valid },
  },
  {
    ...base,
    id: 'mtls.untrusted-ca',
    title: 'A client certificate from an untrusted CA is rejected',
    severity: 'critical',
    reference: 'RFC 5280 §6.1 (trust anchor)',
    expect: 'reject',
    send: { identity: 'untrusted-ca', ...valid },
  },
  {
    ...base,
    id: 'mtls.self-signed',
    title: 'A self-signed client certificate with the allowed subject is rejected',
    severity: 'critical',
    reference: 'RFC 5280 §6.1 (trust anchor)',
    expect: 'reject',
    send: { identity: 'self-signed', ...valid },
  },
  {
    ...base,
    id: 'mtls.expired',
    title: 'An expired client certificate is rejected',
    severity: 'high',
    reference: 'RFC 5280 §6.1.3 (a)(2)',
    expect: 'reject',
    send: { identity: 'expired', ...valid },
  },
  {
    ...base,
    id: 'mtls.not-yet-valid',
    title: 'A client certificate that is not yet valid is rejected',
    severity: 'high',
    reference: 'RFC 5280 §6.1.3 (a)(2)',
    expect: 'reject',
    send: { identity: 'not-yet-valid', ...valid },
  },
  {
    ...base,
    id: 'mtls.revoked-crl',
    title: 'A client certificate revoked in the issuing CA\'s CRL is rejected',
    severity: 'high',
    reference: 'RFC 5280 §6.3 (CRL validation)',
    needs: ['crl'],
    expect: 'reject',
    send: { identity: 'revoked', ...valid },
  },
];
