import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/target/free-port.js';
import { leftovers, readReport, REPO, runCli, SECURE, verdictsOf } from './cli.js';
import { lacks } from '../system-parts.js';

// A listener deployed with its own trust, reached by name: the secure reference listener with a
// client CA, a server certificate and a secret this test makes (with openssl), at
// https://listener.whc.test — a name the preloaded test/fixtures/hosts-alias.mjs resolves to
// 127.0.0.1 in the CLI, so nothing leaves the machine and /etc/hosts is untouched.

const HOST = 'listener.whc.test';
const dir = mkdtempSync(join(tmpdir(), 'whc-own-trust-'));
const file = (name: string) => join(dir, name);
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const alias = { NODE_OPTIONS: `--import ${join(REPO, 'test/fixtures/hosts-alias.mjs')}`, WHC_TEST_HOSTS: `${HOST}=127.0.0.1`, TEAM_WEBHOOK_SECRET: secret };
const listeners: ChildProcess[] = [];
let port = 0;

afterAll(() => {
  for (const l of listeners) l.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
}

/** A CA the way a team makes one with openssl: EC P-256, self-signed, CA:TRUE. */
function makeCa(name: string, subject: string): void {
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.pem`, '-subj', subject, '-days', '30']);
}

async function startListener(clientCa: string): Promise<number> {
  const listenPort = await freePort('127.0.0.1');
  const child = spawn(process.execPath, [SECURE], {
    env: {
      ...process.env,
      WHC_HOST: '127.0.0.1',
      WHC_PORT: String(listenPort),
      WHC_SERVER_CERT_FILE: file('server.pem'),
      WHC_SERVER_KEY_FILE: file('server-key.pem'),
      WHC_CLIENT_CA_FILE: file(clientCa),
      WHC_ALLOWED_CLIENT_SUBJECT: 'CN=webhooks.example.test',
      WHC_PROFILE: 'standard-webhooks',
      WHC_SIGNING_SECRET: secret,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  listeners.push(child);
  await once(child.stdout!, 'data');
  return listenPort;
}

const url = () => `https://${HOST}:${port}`;
const own = ['--server-ca', file('server-ca.pem'), '--client-ca-cert', file('team-ca.pem'), '--client-ca-key', file('team-ca-key.pem'), '--signing-secret-env', 'TEAM_WEBHOOK_SECRET'];
const errorLine = (stderr: string) => stderr.split('\n')[0] ?? '';

describe.skipIf(lacks('openssl'))('a listener with its own CA, certificate and secret, reached by name', () => {
  beforeAll(async () => {
    makeCa('team-ca', '/CN=Team client CA');
    makeCa('server-ca', '/CN=Team server CA');
    run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', `/CN=${HOST}`]);
    writeFileSync(file('server.ext'), `subjectAltName=DNS:${HOST}\nextendedKeyUsage=serverAuth\n`);
    run(['x509', '-req', '-in', 'server.csr', '-CA', 'server-ca.pem', '-CAkey', 'server-ca-key.pem', '-days', '30', '-extfile', 'server.ext', '-out', 'server.pem']);
    port = await startListener('team-ca.pem');
  });

  it('is refused without --allow-remote, and the message names the flag', async () => {
    const result = await runCli(['run', '--url', url(), ...own], { env: alias, cwd: dir });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toMatch(/^wh-conformance: --url: expected a loopback URL .* needs --allow-remote/);
    expect(leftovers(result)).toEqual([]);
  });

  it('with --allow-remote gets the same verdicts as the same listener under the harness own CA, secret never shown', async () => {
    const ownOut = file('report-own');
    const harnessOut = file('report-harness');
    const [byo, reference] = await Promise.all([
      runCli(['run', '--url', url(), '--allow-remote', ...own, '--capabilities', 'subject-pinning', '--reporter', 'json,markdown', '--out', ownOut], { env: alias, cwd: dir, deadlineMs: 90_000 }),
      runCli(['run', '--command', `node ${SECURE}`, '--capabilities', 'subject-pinning', '--reporter', 'json', '--out', harnessOut], { cwd: dir, deadlineMs: 90_000 }),
    ]);
    expect(byo.stderr).toBe('');
    expect(byo.code).toBe(0);
    expect(reference.code).toBe(0);
    const verdicts = verdictsOf(readReport(ownOut));
    expect(verdicts['mtls.valid-client-cert']).toBe('pass');
    expect(verdicts['mtls.untrusted-ca']).toBe('pass');
    expect(verdicts).toEqual(verdictsOf(readReport(harnessOut)));
    const shown = [byo.stdout, readFileSync(join(ownOut, 'wh-conformance.json'), 'utf8'), readFileSync(join(ownOut, 'summary.md'), 'utf8')].join('\n');
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(readFileSync(file('team-ca-key.pem'), 'utf8').split('\n')[1]);
    expect(readReport(ownOut).warnings).toBeUndefined();
    expect(leftovers(byo)).toEqual([]);
  }, 120_000);

  it('a listener trusting another CA fails the valid control: identities really come from --client-ca-cert', async () => {
    makeCa('other-ca', '/CN=Some other CA');
    const otherPort = await startListener('other-ca.pem');
    const result = await runCli(['run', '--url', `https://${HOST}:${otherPort}`, '--allow-remote', ...own, '--include', 'mtls.valid-client-cert', '--reporter', 'json', '--out', file('report-other')], { env: alias, cwd: dir });
    // Node judges the client certificate after a TLS 1.3 handshake: the probe passes, the control does not.
    expect(result.code).toBe(1);
    expect(verdictsOf(readReport(file('report-other')))['mtls.valid-client-cert']).toBe('fail');
  });

  it('revocation by CRL is skipped with the reason: the running listener never loaded the harness CRLs', async () => {
    const out = file('report-crl');
    const result = await runCli(['run', '--url', url(), '--allow-remote', ...own, '--capabilities', 'crl', '--include', 'mtls.revoked-crl', '--reporter', 'json', '--out', out], { env: alias, cwd: dir });
    expect(result.code).toBe(0);
    const revoked = readReport(out).scenarios.find((s) => s.id === 'mtls.revoked-crl');
    expect(revoked?.verdict).toBe('skip');
    expect(revoked?.reason).toMatch(/needs the listener to load the harness's CRLs \(WHC_CRL_FILE\)/);
  });

  it('--insecure-server-cert skips the server check, with a warning in every report', async () => {
    const out = file('report-insecure');
    const args = ['run', '--url', url(), '--allow-remote', ...own.slice(2), '--insecure-server-cert', '--include', 'mtls.valid-client-cert', '--reporter', 'json,junit,markdown,html', '--out', out];
    const result = await runCli(args, { env: alias, cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const warning = "the listener's certificate was not verified (--insecure-server-cert)";
    expect(result.stdout).toContain(`warning: ${warning}`);
    expect(readReport(out).warnings?.[0]).toContain(warning);
    const unquoted = 'certificate was not verified (--insecure-server-cert)';
    for (const name of ['junit.xml', 'summary.md', 'index.html']) expect([name, readFileSync(join(out, name), 'utf8').includes(unquoted)]).toEqual([name, true]);
  });

  it('the listener certificate is checked: without --server-ca the run asks for it, with the wrong CA nothing is judged', async () => {
    const missing = await runCli(['run', '--url', url(), '--allow-remote', ...own.slice(2)], { env: alias, cwd: dir });
    expect(missing.code).toBe(2);
    expect(errorLine(missing.stderr)).toMatch(/or, for one with its own trust, --server-ca FILE \(the CA of the listener's certificate\)$/);
    // The last probe attempt names the verification error (or, on a loaded machine, its own deadline).
    const wrong = await runCli(['run', '--url', url(), '--allow-remote', ...own.slice(2), '--server-ca', file('team-ca.pem')], { env: alias, cwd: dir });
    expect(wrong.code).toBe(2);
    expect(errorLine(wrong.stderr)).toMatch(/^wh-conformance: no listener ready at https:\/\/listener\.whc\.test:\d+: .*(UNABLE_TO_VERIFY_LEAF_SIGNATURE|no handshake within)/);
  });

  it('an unset secret variable is a one-line error naming it', async () => {
    const result = await runCli(['run', '--url', url(), '--allow-remote', ...own.slice(0, -1), 'NO_SUCH_WHC_VARIABLE'], { env: alias, cwd: dir });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe('wh-conformance: --signing-secret-env: NO_SUCH_WHC_VARIABLE is not set in the environment: export it (from your CI\'s secrets) before the run');
    expect(leftovers(result)).toEqual([]);
  });
});

describe('a signing secret from the environment, for a listener the harness starts', () => {
  // The command starts the listener only when the contract hands it exactly the user's key.
  const guarded = (variable: string, expected: string) => `[ "$${variable}" = "$${expected}" ] && exec node ${SECURE} || { echo "${variable} is not the user's" >&2; exit 3; }`;

  it('an HMAC secret: the listener gets it as WHC_SIGNING_SECRET, the harness signs with it, nobody sees it', async () => {
    const out = file('report-env-secret');
    const result = await runCli(['run', '--command', guarded('WHC_SIGNING_SECRET', 'TEAM_WEBHOOK_SECRET'), '--signing-secret-env', 'TEAM_WEBHOOK_SECRET', '--include', 'sig.*', '--reporter', 'json', '--out', out], {
      env: { TEAM_WEBHOOK_SECRET: secret },
      cwd: dir,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(verdictsOf(readReport(out))['sig.valid']).toBe('pass');
    expect(result.stdout + readFileSync(join(out, 'wh-conformance.json'), 'utf8')).not.toContain(secret);
  });

  it('an Ed25519 private key: the listener gets the public key file as WHC_SIGNING_PUBLIC_KEY', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32).toString('hex');
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    writeFileSync(file('discord.pub'), `${pub}\n`);
    const out = file('report-ed25519');
    const result = await runCli(
      ['run', '--command', guarded('WHC_SIGNING_PUBLIC_KEY', 'TEAM_PUBLIC_KEY'), '--profile', 'discord', '--signing-secret-env', 'TEAM_PRIVATE_KEY', '--signing-public-key-file', file('discord.pub'), '--include', 'sig.*', '--reporter', 'json', '--out', out],
      { env: { TEAM_PRIVATE_KEY: seed, TEAM_PUBLIC_KEY: pub }, cwd: dir },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(verdictsOf(readReport(out))['sig.valid']).toBe('pass');
    expect(result.stdout).not.toContain(seed);
  });
});
