// The config file's type as a user writes it, for `defineConfig`: literal unions and one target
// kind at a time, each field documented (shown on hover). The zod schema in config.ts validates the
// same shape at run time; test/unit/config-types.test.ts keeps the two in step.

/** Every signature profile by name (harness/profiles); `'none'` for a listener that checks no signature. */
export const CONFIG_PROFILE_NAMES = ['standard-webhooks', 'standard-webhooks-ed25519', 'svix', 'stripe', 'github', 'slack', 'shopify', 'pagerduty', 'discord', 'generic-hmac'] as const;
export type ProfileName = (typeof CONFIG_PROFILE_NAMES)[number];

/** What the listener declares it does; a scenario needing an undeclared one is skipped, never passed. */
export type CapabilityName = 'crl' | 'ocsp' | 'subject-pinning' | 'replay-protection' | 'events-file';

/** A report format; the console matrix is always written. */
export type ReporterChoice = 'console' | 'json' | 'junit' | 'html' | 'markdown';

/** Fields every target kind has. */
interface TargetBase {
  /** The path deliveries are POSTed to (default `/webhook`, or the `url`'s path); given to the listener as `WHC_WEBHOOK_PATH`. */
  path?: string;
  /** How long the listener may take until a TLS handshake with a valid client certificate succeeds (default 10000 ms; 3000 for `url`). */
  readyTimeoutMs?: number;
}

/** A listener the harness starts as a process, with the WHC_* environment. */
export interface CommandTargetConfig extends TargetBase {
  /** Shell command that starts the listener (through /bin/sh, in its own process group). */
  command: string;
  /** Its working directory (default: the config file's folder). */
  cwd?: string;
  /** More environment variables for it. */
  env?: Record<string, string>;
  /** The port it must listen on (default: a free one, given as `WHC_PORT`). */
  port?: number;
  url?: never;
  image?: never;
  dockerfile?: never;
}

/** Fields of the two container target kinds. */
interface ContainerTargetBase extends TargetBase {
  /** Overrides the image's command: a list is the exec form, a string runs through `/bin/sh -c`. */
  command?: string | string[];
  /** More environment variables for the container. */
  env?: Record<string, string>;
  /** The port the listener listens on inside the container (default 8443; a free one with `host` networking). */
  port?: number;
  /** `bridge` (default): the port is published on 127.0.0.1; `host`: the container shares this machine's network. */
  network?: 'bridge' | 'host';
  url?: never;
}

/** A listener image started with testcontainers (needs a Docker engine). */
export interface ImageTargetConfig extends ContainerTargetBase {
  /** The image to run, e.g. `my-listener:dev`. */
  image: string;
  dockerfile?: never;
}

/** A listener image built from a Dockerfile, then run like `image`. */
export interface DockerfileTargetConfig extends ContainerTargetBase {
  /** The Dockerfile, relative to the config file. */
  dockerfile: string;
  /** The build context (default: the Dockerfile's folder). */
  context?: string;
  image?: never;
}

/** A listener that is already running. */
export interface UrlTargetConfig extends TargetBase {
  /** Its `https://` (or `http://`) URL; any host other than this machine needs `allowRemote`. */
  url: string;
  /** The kit the listener was started with (`wh-conformance certs --out DIR`); without it, give the listener's own trust (`serverCa`, `clientCa`, `signingSecretEnv`). */
  certs?: string;
  /** Let `url` name a host other than this machine: the run sends it hostile deliveries (`--allow-remote`). */
  allowRemote?: boolean;
  /** The CA (PEM file) that issued the listener's certificate (`--server-ca`). */
  serverCa?: string;
  /** Do not verify the listener's certificate; every report warns (`--insecure-server-cert`). */
  insecureServerCert?: boolean;
  command?: never;
  image?: never;
  dockerfile?: never;
}

/** Where the listener is: exactly one of `command`, `image`, `dockerfile` or `url`. */
export type TargetConfig = CommandTargetConfig | ImageTargetConfig | DockerfileTargetConfig | UrlTargetConfig;

/** The `generic-hmac` profile's scheme, for a provider without a profile of its own. */
export interface GenericHmacConfig {
  /** The header carrying the signature (default `X-Signature`). */
  header?: string;
  /** The HMAC hash (default `sha256`). */
  algorithm?: 'sha256' | 'sha512';
  /** How the signature is written (default `hex`). */
  encoding?: 'hex' | 'base64';
  /** Text before the signature value, e.g. `sha256=` (default none). */
  prefix?: string;
  /** What is signed: `{body}` once, and optionally `{timestamp}` and `{id}` (default `{body}`). */
  template?: string;
  /** The header carrying the timestamp, when the template signs one. */
  timestampHeader?: string;
  /** The header carrying the delivery id, when the template signs one. */
  idHeader?: string;
}

/** `wh-conformance.config.ts`: what `defineConfig` takes. */
export interface UserConfig {
  /** The listener under test. */
  target: TargetConfig;
  /** A client CA the listener already trusts (PEM files): every client identity is issued under it instead of the harness's own (`--client-ca-cert`, `--client-ca-key`). */
  clientCa?: {
    /** The CA certificate. */
    cert: string;
    /** Its private key, unencrypted. */
    key: string;
  };
  /** The environment variable holding the listener's signing secret (an asymmetric profile's private key), never the secret itself (`--signing-secret-env`). */
  signingSecretEnv?: string;
  /** An asymmetric profile: the public key of the `signingSecretEnv` private key, for a listener the harness starts (`--signing-public-key-file`). */
  signingPublicKeyFile?: string;
  /** Does the listener require client certificates? With `false` the mTLS scenarios are skipped (default `true`). */
  mtls?: boolean;
  /** The signature scheme it verifies, or `'none'` (default `standard-webhooks`). */
  profile?: ProfileName | 'none';
  /** Several schemes, run one after another, the listener restarted for each (instead of `profile`). */
  profiles?: ProfileName[];
  /** The `generic-hmac` profile's scheme. */
  genericHmac?: GenericHmacConfig;
  /** What the listener does beyond the basics (default none). */
  capabilities?: CapabilityName[];
  /** Run only scenarios whose id matches one of these globs, e.g. `'mtls.*'`. */
  include?: string[];
  /** Skip scenarios whose id matches one of these globs. */
  exclude?: string[];
  /** Reports besides the console matrix (default `['console']`). */
  reporters?: ReporterChoice[];
  /** Where report files go (default `wh-conformance-report`). */
  outputDir?: string;
  /** A baseline file: expected failures, a note each. */
  baseline?: string;
  /** The deadline of each delivery, in milliseconds (default 5000). */
  timeoutMs?: number;
  /** The deadline of the whole run, in milliseconds (default 600000). */
  runTimeoutMs?: number;
  /** Also send the drills (load, a large body, slow headers, client-root rotation) (default `false`). */
  drills?: boolean;
  /** Send each scenario this many times, 1 to 100 (default 1). */
  repeat?: number;
  /** The timestamp tolerance the listener should enforce, given as `WHC_TOLERANCE_SECONDS` (default 300). */
  toleranceSeconds?: number;
  /** Ask for precise rejections: another TLS alert or status than the expected one is a warn (default `false`). */
  strict?: boolean;
}
