import { describe, expect, it } from 'vitest';
import { secureContextFor } from '../../harness/deliver/secure-contexts.js';
import { buildPki } from '../../certs/index.js';

describe('client secure contexts', async () => {
  const pki = await buildPki({ now: new Date(), identities: ['valid', 'expired'], revocationOrigin: 'http://127.0.0.1:9' });
  const identity = (name: 'valid' | 'expired') => pki.identities.get(name) ?? { certPem: '', keyPem: '' };
  const valid = { ca: pki.serverCaPem, cert: identity('valid').certPem, key: identity('valid').keyPem };

  it('is made once for the same trust anchor, identity and offer', () => {
    expect(secureContextFor({ ...valid })).toBe(secureContextFor({ ...valid }));
  });

  it('is another for another identity, another offer, or another trust anchor', () => {
    const base = secureContextFor(valid);
    const expired = secureContextFor({ ...valid, cert: identity('expired').certPem, key: identity('expired').keyPem });
    const tls12 = secureContextFor({ ...valid, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    const legacy = secureContextFor({ ...valid, ciphers: 'DEFAULT@SECLEVEL=0' });
    const anyServer = secureContextFor({ ...valid, ca: undefined });
    expect(new Set([base, expired, tls12, legacy, anyServer]).size).toBe(5);
  });
});
