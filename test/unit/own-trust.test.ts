import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type RunFlags } from '../../harness/config/config.js';
import { HarnessError } from '../../harness/errors.js';
import { isLoopbackHost, unavailableCapabilities, urlServerName } from '../../harness/config/own-trust.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'whc-own-trust-unit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function errorOf(flags: RunFlags, file?: unknown): Promise<string> {
  if (file !== undefined) await writeFile(join(dir, 'wh-conformance.config.json'), JSON.stringify(file));
  else await rm(join(dir, 'wh-conformance.config.json'), { force: true });
  const error = await loadConfig(flags, dir).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HarnessError);
  return error instanceof HarnessError ? error.message : '';
}

const remote = { url: 'https://listener.example.test:8443', allowRemote: true };
const ownCa = { clientCaCert: 'ca.pem', clientCaKey: 'ca-key.pem' };

describe('loopback and server names', () => {
  it('knows loopback hosts by their spelling, never by lookup', () => {
    for (const host of ['localhost', '127.0.0.1', '127.0.0.2', '[::1]', '::1', 'LOCALHOST']) expect([host, isLoopbackHost(host)]).toEqual([host, true]);
    for (const host of ['listener', 'example.com', '10.0.0.1', '128.0.0.1', '[::2]', 'localhost.example.com']) expect([host, isLoopbackHost(host)]).toEqual([host, false]);
  });
  it('sends the URL host as SNI and Host, the kit name for a loopback address', () => {
    expect(urlServerName(new URL('https://listener:8443'))).toBe('listener');
    expect(urlServerName(new URL('https://127.0.0.1:8443'))).toBe('localhost');
    expect(urlServerName(new URL('https://[::1]:8443'))).toBe('localhost');
    expect(urlServerName(new URL('https://10.1.2.3:8443'))).toBe('10.1.2.3');
  });
});

describe('own trust in the config', () => {
  it('--allow-remote lets a URL name any host; the config says allowRemote', async () => {
    const config = await loadConfig({ ...remote, serverCa: 's.pem', ...ownCa, signingSecretEnv: 'HOME' }, dir);
    expect(config.target).toMatchObject({ kind: 'url', url: 'https://listener.example.test:8443', servername: 'listener.example.test' });
    expect(config.own).toEqual({
      serverTrust: { kind: 'ca', file: join(dir, 's.pem') },
      clientCa: { certFile: join(dir, 'ca.pem'), keyFile: join(dir, 'ca-key.pem') },
      signingKey: { env: 'HOME', value: process.env.HOME },
    });
    const file = { target: { url: remote.url, allowRemote: true, certs: 'kit' } };
    await writeFile(join(dir, 'wh-conformance.config.json'), JSON.stringify(file));
    expect((await loadConfig({}, dir)).target.kind).toBe('url');
  });

  it('a URL without a kit names what its own trust lacks', async () => {
    expect(await errorOf({ ...remote })).toBe(
      '--url: a listener that is already running needs `certs` (--certs DIR), the kit it was started with (write one with `wh-conformance certs --out DIR`); or, for one with its own trust, --server-ca FILE (the CA of the listener\'s certificate), --client-ca-cert/--client-ca-key (a client CA it trusts), --signing-secret-env NAME (its signing secret)',
    );
    expect(await errorOf({ ...remote, insecureServerCert: true, ...ownCa })).toMatch(/or, for one with its own trust, --signing-secret-env NAME \(its signing secret\)$/);
  });

  it('refuses contradictions, each with the flag to change', async () => {
    expect(await errorOf({ ...remote, certs: 'kit', serverCa: 's.pem', insecureServerCert: true })).toBe('--server-ca: expected `serverCa` or `insecureServerCert`, not both');
    expect(await errorOf({ command: 'x', serverCa: 's.pem' })).toBe("--server-ca: is for `url` targets: a listener the harness starts serves the kit's certificate");
    expect(await errorOf({ ...remote, certs: 'kit', ...ownCa })).toBe('--client-ca-cert: expected `certs` or `clientCa`, not both: a kit already holds the client identities');
    expect(await errorOf({ command: 'x', signingSecretEnv: 'not a name' })).toMatch(/^--signing-secret-env: expected the name of an environment variable/);
    expect(await errorOf({ command: 'x', profile: 'none', signingSecretEnv: 'HOME' })).toBe('--signing-secret-env: no signature profile signs with it: set `profile`');
    expect(await errorOf({ command: 'x', profile: 'stripe,github', signingSecretEnv: 'HOME' })).toBe('--signing-secret-env: holds the secret of one profile: run once per profile');
    expect(await errorOf({ command: 'x', profile: 'discord', signingSecretEnv: 'HOME' })).toMatch(/^--signing-secret-env: the discord listener the harness starts needs the public key/);
    expect(await errorOf({ command: 'x', profile: 'stripe', signingSecretEnv: 'HOME', signingPublicKeyFile: 'k' })).toBe('--signing-public-key-file: stripe signs with a shared secret: there is no public key');
    expect(await errorOf({ command: 'x', clientCaCert: 'ca.pem' })).toBe('flags: clientCa.key: expected the path of the CA private key, PEM (--client-ca-key FILE), got nothing');
  });

  it('the config file spells them as fields', async () => {
    expect(await errorOf({}, { target: { url: remote.url } })).toMatch(/^wh-conformance\.config\.json: target\.url: expected a loopback URL/);
    expect(await errorOf({}, { target: { command: 'x' }, signingSecretEnv: 'WHC_UNSET_FOR_TEST' })).toBe(
      "signingSecretEnv: WHC_UNSET_FOR_TEST is not set in the environment: export it (from your CI's secrets) before the run",
    );
  });
});

describe('what a running listener with its own client CA cannot show', () => {
  const clientCa = { certFile: 'ca.pem', keyFile: 'key.pem' };
  it('revocation by CRL everywhere; OCSP only from another host', () => {
    expect(Object.keys(unavailableCapabilities({ clientCa }, { kind: 'url', url: 'https://127.0.0.1:8443' }))).toEqual(['crl']);
    expect(Object.keys(unavailableCapabilities({ clientCa }, { kind: 'url', url: 'https://listener:8443' }))).toEqual(['crl', 'ocsp']);
  });
  it('nothing when the harness starts the listener, or issues with its own CA', () => {
    expect(unavailableCapabilities({ clientCa }, { kind: 'process' })).toEqual({});
    expect(unavailableCapabilities({}, { kind: 'url', url: 'https://listener:8443' })).toEqual({});
  });
});
