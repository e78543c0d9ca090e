import { describe, expect, it } from 'vitest';
import { ALLOWED_CLIENT_SUBJECT, kitPaths } from '../../certs/index.js';
import { contractEnv, type ContractOptions } from '../../harness/target/contract.js';

// The variables of the target contract table in docs/ARCHITECTURE.md.
const CONTRACT = [
  'WHC_HOST',
  'WHC_PORT',
  'WHC_WEBHOOK_PATH',
  'WHC_CERTS_DIR',
  'WHC_SERVER_CERT_FILE',
  'WHC_SERVER_KEY_FILE',
  'WHC_CLIENT_CA_FILE',
  'WHC_CRL_FILE',
  'WHC_OCSP_URL',
  'WHC_CRL_URL',
  'WHC_ALLOWED_CLIENT_SUBJECT',
  'WHC_PROFILE',
  'WHC_SIGNING_SECRET',
  'WHC_SIGNING_PUBLIC_KEY',
  'WHC_TOLERANCE_SECONDS',
  'WHC_EVENTS_FILE',
  'WHC_GENERIC_HMAC',
];
const CLIENT_CERT_VARIABLES = ['WHC_CLIENT_CA_FILE', 'WHC_CRL_FILE', 'WHC_ALLOWED_CLIENT_SUBJECT'];

const options: ContractOptions = {
  host: '127.0.0.1',
  port: 43123,
  path: '/webhook',
  kit: kitPaths('/tmp/whc-kit'),
  mtls: true,
  profile: 'standard-webhooks',
  signing: { signingKey: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
  toleranceSeconds: 300,
};

describe('contractEnv', () => {
  it('sets the contract variables for mTLS and a signature profile, with the kit file names', () => {
    expect(contractEnv(options)).toEqual({
      WHC_HOST: '127.0.0.1',
      WHC_PORT: '43123',
      WHC_WEBHOOK_PATH: '/webhook',
      WHC_CERTS_DIR: '/tmp/whc-kit',
      WHC_SERVER_CERT_FILE: '/tmp/whc-kit/server.pem',
      WHC_SERVER_KEY_FILE: '/tmp/whc-kit/server-key.pem',
      WHC_CLIENT_CA_FILE: '/tmp/whc-kit/client-ca.pem',
      WHC_CRL_FILE: '/tmp/whc-kit/crl.pem',
      WHC_ALLOWED_CLIENT_SUBJECT: 'CN=webhooks.example.test',
      WHC_PROFILE: 'standard-webhooks',
      WHC_SIGNING_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      WHC_TOLERANCE_SECONDS: '300',
    });
    expect(ALLOWED_CLIENT_SUBJECT).toBe('CN=webhooks.example.test');
  });

  it('sets only names from the contract table', () => {
    for (const o of [options, { ...options, mtls: false, profile: null }]) {
      for (const name of Object.keys(contractEnv(o))) expect(CONTRACT).toContain(name);
    }
  });

  it('sets no client-certificate variables without mTLS', () => {
    const env = contractEnv({ ...options, mtls: false });
    for (const name of CLIENT_CERT_VARIABLES) expect(env).not.toHaveProperty(name);
    expect(env).toHaveProperty('WHC_SERVER_CERT_FILE', '/tmp/whc-kit/server.pem');
    expect(env).toHaveProperty('WHC_SIGNING_SECRET', options.signing?.signingKey);
  });

  it('sets no secret and profile none without a profile', () => {
    const env = contractEnv({ ...options, profile: null });
    expect(env).not.toHaveProperty('WHC_SIGNING_SECRET');
    expect(env.WHC_PROFILE).toBe('none');
    expect(env).toHaveProperty('WHC_CLIENT_CA_FILE');
  });

  it('sets no secret when there is none to give', () => {
    expect(contractEnv({ ...options, signing: undefined })).not.toHaveProperty('WHC_SIGNING_SECRET');
  });

  it('passes port, path and tolerance through as strings', () => {
    const env = contractEnv({ ...options, host: '::1', port: 8443, path: '/hooks/in', toleranceSeconds: 90 });
    expect([env.WHC_HOST, env.WHC_PORT, env.WHC_WEBHOOK_PATH, env.WHC_TOLERANCE_SECONDS]).toEqual(['::1', '8443', '/hooks/in', '90']);
  });
});

describe('contractEnv: signature keys and the side-effect probe', () => {
  it('gives an asymmetric profile its public key and never the private one', () => {
    const env = contractEnv({ ...options, profile: 'discord', signing: { signingKey: 'private-seed', publicKey: 'ab'.repeat(32) } });
    expect(env.WHC_SIGNING_PUBLIC_KEY).toBe('ab'.repeat(32));
    expect(env).not.toHaveProperty('WHC_SIGNING_SECRET');
    expect(JSON.stringify(env)).not.toContain('private-seed');
  });

  it('describes the generic-hmac scheme as JSON, only for that profile', () => {
    const genericHmac = { header: 'X-Sig', algorithm: 'sha256', encoding: 'hex', prefix: '', template: '{body}' } as const;
    expect(JSON.parse(contractEnv({ ...options, profile: 'generic-hmac', genericHmac }).WHC_GENERIC_HMAC ?? '')).toEqual(genericHmac);
    expect(contractEnv({ ...options, genericHmac })).not.toHaveProperty('WHC_GENERIC_HMAC');
  });

  it('sets WHC_EVENTS_FILE only when there is one', () => {
    expect(contractEnv({ ...options, eventsFile: '/tmp/whc-kit/events.log' }).WHC_EVENTS_FILE).toBe('/tmp/whc-kit/events.log');
    expect(contractEnv(options)).not.toHaveProperty('WHC_EVENTS_FILE');
  });
});

describe('contractEnv: the revocation responder', () => {
  const revocation = { ocsp: 'http://127.0.0.1:41000/ocsp', crlBundle: 'http://127.0.0.1:41000/crl.pem' };

  it('gives the OCSP and CRL URLs with mTLS', () => {
    const env = contractEnv({ ...options, revocation });
    expect([env.WHC_OCSP_URL, env.WHC_CRL_URL]).toEqual([revocation.ocsp, revocation.crlBundle]);
  });

  it('gives neither without mTLS, nor without a responder the listener can reach', () => {
    for (const env of [contractEnv({ ...options, mtls: false, revocation }), contractEnv(options)]) {
      expect(env).not.toHaveProperty('WHC_OCSP_URL');
      expect(env).not.toHaveProperty('WHC_CRL_URL');
    }
  });
});
