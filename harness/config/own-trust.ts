import { isIPv4 } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { RunFlags } from './flags.js';
import { HarnessError } from '../errors.js';
import type { Capability } from '../model.js';
import { DEFAULT_PROFILE, findProfile, NO_PROFILE } from '../profiles/index.js';

// What a user brings instead of the harness's own, for a listener that already trusts something:
// its client CA (--client-ca-cert/-key), the CA of its own certificate (--server-ca, or
// --insecure-server-cert), its signing secret (--signing-secret-env), and the opt-in to reach a
// host other than this machine (--allow-remote).

/** Files of a client CA the listener already trusts: the harness issues every client identity under it. */
export interface ClientCaFiles {
  certFile: string;
  keyFile: string;
}

/** How the listener's certificate is checked: against the kit's server CA, a CA file, or not at all. */
export type ServerTrust = { kind: 'kit' } | { kind: 'ca'; file: string } | { kind: 'insecure' };

export interface OwnTrust {
  clientCa?: ClientCaFiles;
  serverTrust: ServerTrust;
  /** What the harness signs with (the shared secret, or an asymmetric profile's private key), read
   * from this environment variable (`--signing-secret-env`). */
  signingKey?: { env: string; value: string };
  /** An asymmetric profile's public key, handed to a listener the harness starts. */
  signingPublicKey?: { file: string };
}

/** The warning every report carries when the listener's certificate was not checked. */
export const INSECURE_SERVER_WARNING = "the listener's certificate was not verified (--insecure-server-cert): a man in the middle would have gone unnoticed";

export const ClientCaSchema = z.strictObject(
  {
    cert: z.string({ error: 'expected the path of the CA certificate, PEM (--client-ca-cert FILE)' }).min(1, { error: 'expected the path of the CA certificate, PEM (--client-ca-cert FILE)' }),
    key: z.string({ error: 'expected the path of the CA private key, PEM (--client-ca-key FILE)' }).min(1, { error: 'expected the path of the CA private key, PEM (--client-ca-key FILE)' }),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'expected { cert: "<CA certificate file>", key: "<CA key file>" }' : undefined) },
);

export const SigningSecretEnvSchema = z
  .string({ error: 'expected the name of an environment variable' })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected the name of an environment variable (letters, digits, _), never the secret itself' });

/** 127.0.0.0/8, ::1 and localhost: this machine. Any other host needs `allowRemote`. Pure. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

/** The kit's server certificate names `localhost`. */
const KIT_SERVER_NAME = 'localhost';

/** The SNI and Host name for a URL, as a provider sends them: its host name; for a loopback
 * address the kit certificate's name, which a provider would have used. Pure. */
export function urlServerName(url: URL): string {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isLoopbackHost(host) && host !== 'localhost' ? KIT_SERVER_NAME : host;
}

/** Why rotation drills cannot run when the user brings the client CA. */
export const ROTATION_NEEDS_HARNESS_CA =
  'rotation drills restart the listener trusting client roots the harness makes; with --client-ca-cert it trusts your CA: run the drills without it';

/**
 * Capabilities whose scenarios cannot be tested against a running listener trusting the user's
 * client CA, with the reason: it never loaded the harness's CRLs (WHC_CRL_FILE), and a remote one
 * cannot reach the OCSP responder, which listens on this machine's loopback only. A listener the
 * harness starts gets both, under the user's CA, and is tested fully. Pure.
 */
export function unavailableCapabilities(own: Pick<OwnTrust, 'clientCa'>, target: { kind: string; url?: string }): Partial<Record<Capability, string>> {
  if (!own.clientCa || target.kind !== 'url' || target.url === undefined) return {};
  const remote = !isLoopbackHost(new URL(target.url).hostname);
  return {
    crl: "needs the listener to load the harness's CRLs (WHC_CRL_FILE); a running listener trusting your CA (--client-ca-cert) has only your CRLs: let the harness start it (--command or --image) to test revocation",
    ...(remote
      ? { ocsp: "needs the listener to ask the harness's OCSP responder (the URL in the client certificate), which listens on this machine's loopback only: run the listener on this machine, or let the harness start it" }
      : {}),
  };
}

export interface Problem {
  path: string[];
  message: string;
}

interface TargetFields {
  url?: string | undefined;
  certs?: string | undefined;
  allowRemote?: boolean | undefined;
  serverCa?: string | undefined;
  insecureServerCert?: boolean | undefined;
}

/** What is wrong with a target's own-trust fields, alone. Pure. */
export function remoteTargetIssues(t: TargetFields): Problem[] {
  const problems: Problem[] = [];
  if (t.url && URL.canParse(t.url) && !isLoopbackHost(new URL(t.url).hostname) && t.allowRemote !== true) {
    problems.push({
      path: ['url'],
      message: 'expected a loopback URL (127.0.0.1, [::1] or localhost): the run sends hostile deliveries, so any other host needs --allow-remote (allowRemote: true in target)',
    });
  }
  if (t.serverCa !== undefined && t.insecureServerCert === true) problems.push({ path: ['serverCa'], message: 'expected `serverCa` or `insecureServerCert`, not both' });
  if (!t.url && (t.serverCa !== undefined || t.insecureServerCert === true)) {
    problems.push({ path: [t.serverCa !== undefined ? 'serverCa' : 'insecureServerCert'], message: "is for `url` targets: a listener the harness starts serves the kit's certificate" });
  }
  return problems;
}

interface ConfigFields {
  target: TargetFields;
  mtls: boolean;
  profile?: string | undefined;
  profiles?: string[] | undefined;
  clientCa?: { cert: string; key: string } | undefined;
  signingSecretEnv?: string | undefined;
  signingPublicKeyFile?: string | undefined;
}

const isAsymmetric = (profile: string) => findProfile(profile)?.features.includes('shared-secret') === false;

/** What is wrong with the own-trust fields given the whole config. Pure. */
export function ownTrustIssues(c: ConfigFields): Problem[] {
  const problems: Problem[] = [];
  const t = c.target;
  const profiles = (c.profiles ?? [c.profile ?? DEFAULT_PROFILE]).filter((p) => p !== NO_PROFILE);
  const signing = profiles.length > 0;
  if (t.url && !t.certs) {
    // Without a kit the listener was started with, the run makes its own: the listener must trust what the user brings.
    const missing = [
      ...(t.url.startsWith('https:') && t.serverCa === undefined && t.insecureServerCert !== true ? ["--server-ca FILE (the CA of the listener's certificate)"] : []),
      ...(c.mtls && t.url.startsWith('https:') && !c.clientCa ? ['--client-ca-cert/--client-ca-key (a client CA it trusts)'] : []),
      ...(signing && !c.signingSecretEnv ? ['--signing-secret-env NAME (its signing secret)'] : []),
    ];
    if (missing.length > 0) {
      problems.push({
        path: ['target', 'url'],
        // On the url's path: a URL given as a flag is then blamed on --url, not on the file in the directory.
        message: `a listener that is already running needs \`certs\` (--certs DIR), the kit it was started with (write one with \`wh-conformance certs --out DIR\`); or, for one with its own trust, ${missing.join(', ')}`,
      });
    }
  }
  if (t.certs && c.clientCa) problems.push({ path: ['clientCa'], message: 'expected `certs` or `clientCa`, not both: a kit already holds the client identities' });
  if (c.signingSecretEnv !== undefined) {
    if (!signing) problems.push({ path: ['signingSecretEnv'], message: 'no signature profile signs with it: set `profile`' });
    else if (profiles.length > 1) problems.push({ path: ['signingSecretEnv'], message: 'holds the secret of one profile: run once per profile' });
    else if (isAsymmetric(profiles[0] ?? '') && !t.url && c.signingPublicKeyFile === undefined) {
      problems.push({ path: ['signingSecretEnv'], message: `the ${profiles[0]} listener the harness starts needs the public key of that private key: add --signing-public-key-file FILE` });
    }
  }
  if (c.signingPublicKeyFile !== undefined) {
    if (c.signingSecretEnv === undefined) problems.push({ path: ['signingPublicKeyFile'], message: 'goes with --signing-secret-env NAME, the private key it belongs to' });
    else if (signing && !isAsymmetric(profiles[0] ?? '')) problems.push({ path: ['signingPublicKeyFile'], message: `${profiles[0]} signs with a shared secret: there is no public key` });
  }
  return problems;
}

type OwnTrustFlags = Pick<RunFlags, 'clientCaCert' | 'clientCaKey' | 'serverCa' | 'signingSecretEnv' | 'signingPublicKeyFile'>;

/** Resolves paths (a flag's against the cwd, a file's against the file) and reads the secret from
 * the environment; a variable that is unset or empty is an error naming it. */
export function resolveOwnTrust(c: ConfigFields, base: (flag: string | undefined) => string, flags: OwnTrustFlags, env: NodeJS.ProcessEnv = process.env): OwnTrust {
  const t = c.target;
  const serverTrust: ServerTrust =
    t.insecureServerCert === true ? { kind: 'insecure' } : t.serverCa !== undefined ? { kind: 'ca', file: resolve(base(flags.serverCa), t.serverCa) } : { kind: 'kit' };
  const own: OwnTrust = { serverTrust };
  if (c.clientCa) own.clientCa = { certFile: resolve(base(flags.clientCaCert), c.clientCa.cert), keyFile: resolve(base(flags.clientCaKey), c.clientCa.key) };
  if (c.signingSecretEnv !== undefined) {
    const value = env[c.signingSecretEnv];
    const where = flags.signingSecretEnv !== undefined ? '--signing-secret-env' : 'signingSecretEnv';
    if (value === undefined || value === '') throw new HarnessError(`${where}: ${c.signingSecretEnv} is not set in the environment: export it (from your CI's secrets) before the run`);
    own.signingKey = { env: c.signingSecretEnv, value };
  }
  if (c.signingPublicKeyFile !== undefined) own.signingPublicKey = { file: resolve(base(flags.signingPublicKeyFile), c.signingPublicKeyFile) };
  return own;
}
