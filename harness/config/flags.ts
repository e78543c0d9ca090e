import { DEFAULT_PROFILE, NO_PROFILE, PROFILE_NAMES } from '../profiles/index.js';

export const REPORTERS = ['console', 'json', 'junit', 'html', 'markdown'] as const;
export type ReporterName = (typeof REPORTERS)[number];

/** What the `run` flags say; each one given overrides the config file. */
export interface RunFlags {
  config?: string;
  command?: string;
  image?: string;
  network?: string;
  url?: string;
  cwd?: string;
  port?: string;
  path?: string;
  profile?: string;
  mtls?: boolean;
  capabilities?: string;
  include?: string[];
  exclude?: string[];
  reporter?: string[];
  out?: string;
  timeout?: string;
  runTimeout?: string;
  drills?: boolean;
  repeat?: string;
  keepCerts?: boolean;
  certs?: string;
  strict?: boolean;
  baseline?: string;
  updateBaseline?: boolean;
  shard?: string;
  allowRemote?: boolean;
  clientCaCert?: string;
  clientCaKey?: string;
  serverCa?: string;
  insecureServerCert?: boolean;
  signingSecretEnv?: string;
  signingPublicKeyFile?: string;
}

type Raw = Record<string, unknown>;

/** One `run` flag: how commander declares it, and what it does to the config file's raw object. */
export interface Flag<K extends keyof RunFlags = keyof RunFlags> {
  /** As commander takes it: `--port <n>`, `--no-mtls`, `--drills`. */
  option: string;
  help: string;
  /** Given more than once, the values are collected. */
  repeatable?: boolean;
  /** The config fields it sets (dotted), so a validation error names the flag the user typed. */
  fields?: readonly string[];
  /** Lays the flag's value over the raw config (`target` is the raw config's target object). */
  set?: (value: NonNullable<RunFlags[K]>, config: Raw, target: Raw, flags: RunFlags) => void;
}

/** Target keys only an image or Dockerfile target has. */
const CONTAINER_KEYS = ['image', 'dockerfile', 'context', 'network'];

/** A numeric flag as a number; anything else stays text, so the error shows what was typed. */
const asNumber = (text: string): number | string => (/^\d+$/.test(text) ? Number(text) : text);
const drop = (target: Raw, keys: readonly string[]) => keys.forEach((key) => delete target[key]);
/** The config file's `clientCa`, which --client-ca-cert and --client-ca-key complete field by field. */
const fileClientCa = (config: Raw): Raw => (typeof config.clientCa === 'object' && config.clientCa !== null ? (config.clientCa as Raw) : {});
const profileNames = [...PROFILE_NAMES, NO_PROFILE].join('|');

/**
 * Every `run` flag, in the order `--help` lists them: the one place a flag is spelled. The commander
 * options are made from it (harness/cli/run-command.ts), and so is the overlay of the flags on the
 * config file. `command`, `image` and `url` choose the kind of target: they are laid first.
 */
export const RUN_FLAGS: { readonly [K in keyof RunFlags]-?: Flag<K> } = {
  config: { option: '--config <file>', help: 'config file (default: wh-conformance.config.{ts,mjs,js,json} in the cwd)' },
  command: {
    option: '--command <cmd>',
    help: "shell command that starts the listener (it gets the WHC_* environment); with --image, the container's command",
    fields: ['target.command'],
    // --command with --image is the container's command.
    set: (value, _config, target, flags) => {
      drop(target, ['url', 'certs', ...(flags.image === undefined ? CONTAINER_KEYS : [])]);
      target.command = value;
    },
  },
  image: {
    option: '--image <name>',
    help: 'a listener image to start with testcontainers (needs a Docker engine)',
    fields: ['target.image'],
    set: (value, _config, target, flags) => {
      drop(target, ['url', 'certs', 'cwd', ...CONTAINER_KEYS, ...(flags.command === undefined ? ['command'] : [])]);
      target.image = value;
    },
  },
  network: {
    option: '--network <mode>',
    help: "the image's network: bridge (port published on 127.0.0.1, default) or host",
    fields: ['target.network'],
    set: (value, _config, target) => void (target.network = value),
  },
  url: {
    option: '--url <url>',
    help: 'a listener already running (needs --certs, or --server-ca, --client-ca-cert/-key and --signing-secret-env for one with its own trust)',
    fields: ['target.url'],
    set: (value, _config, target) => {
      drop(target, ['command', 'cwd', 'env', 'port', ...CONTAINER_KEYS]);
      target.url = value;
    },
  },
  allowRemote: {
    option: '--allow-remote',
    help: 'let --url name a host other than this machine (the run sends it hostile deliveries)',
    fields: ['target.allowRemote'],
    set: (value, _config, target) => {
      if (value) target.allowRemote = true;
    },
  },
  serverCa: {
    option: '--server-ca <file>',
    help: "with --url: the CA (PEM) that issued the listener's certificate",
    fields: ['target.serverCa'],
    set: (value, _config, target) => void (target.serverCa = value),
  },
  insecureServerCert: {
    option: '--insecure-server-cert',
    help: "with --url: do not verify the listener's certificate (every report warns)",
    fields: ['target.insecureServerCert'],
    set: (value, _config, target) => {
      if (value) target.insecureServerCert = true;
    },
  },
  clientCaCert: {
    option: '--client-ca-cert <file>',
    help: 'a client CA the listener already trusts (PEM): every client identity is issued under it',
    fields: ['clientCa', 'clientCa.cert'],
    set: (value, config) => void (config.clientCa = { ...fileClientCa(config), cert: value }),
  },
  clientCaKey: {
    option: '--client-ca-key <file>',
    help: 'the private key of --client-ca-cert (PEM)',
    fields: ['clientCa.key'],
    set: (value, config) => void (config.clientCa = { ...fileClientCa(config), key: value }),
  },
  signingSecretEnv: {
    option: '--signing-secret-env <name>',
    help: "the environment variable holding the listener's signing secret (or an asymmetric profile's private key)",
    fields: ['signingSecretEnv'],
    set: (value, config) => void (config.signingSecretEnv = value),
  },
  signingPublicKeyFile: {
    option: '--signing-public-key-file <file>',
    help: 'an asymmetric profile: the public key of that private key, for a listener the harness starts',
    fields: ['signingPublicKeyFile'],
    set: (value, config) => void (config.signingPublicKeyFile = value),
  },
  cwd: { option: '--cwd <dir>', help: 'working directory for --command', fields: ['target.cwd'], set: (value, _config, target) => void (target.cwd = value) },
  port: {
    option: '--port <n>',
    help: 'port the started listener must use (default: a free one)',
    fields: ['target.port'],
    set: (value, _config, target) => void (target.port = asNumber(value)),
  },
  path: { option: '--path <path>', help: 'path deliveries are POSTed to (default /webhook)', fields: ['target.path'], set: (value, _config, target) => void (target.path = value) },
  profile: {
    option: '--profile <names>',
    help: `signature profile, or several comma-separated: ${profileNames} (default ${DEFAULT_PROFILE})`,
    fields: ['profile', 'profiles'],
    set: (value, config) => {
      // One name stays `profile`, so an error names it as the user wrote it; a comma list is `profiles`.
      const names = value.split(',').map((p) => p.trim());
      delete config.profile;
      delete config.profiles;
      if (names.length === 1) config.profile = value;
      else config.profiles = names;
    },
  },
  mtls: {
    option: '--no-mtls',
    help: 'the listener does TLS without client certificates: skip mTLS scenarios',
    set: (value, config) => {
      if (value === false) config.mtls = false;
    },
  },
  capabilities: {
    option: '--capabilities <list>',
    help: 'what the listener does, comma-separated: crl,ocsp,subject-pinning,…',
    fields: ['capabilities'],
    set: (value, config) => void (config.capabilities = value.split(',').map((c) => c.trim()).filter(Boolean)),
  },
  include: {
    option: '--include <glob>',
    help: 'run only scenarios whose id matches (repeatable)',
    repeatable: true,
    fields: ['include'],
    set: (value, config) => {
      if (value.length) config.include = value;
    },
  },
  exclude: {
    option: '--exclude <glob>',
    help: 'skip scenarios whose id matches (repeatable)',
    repeatable: true,
    fields: ['exclude'],
    set: (value, config) => {
      if (value.length) config.exclude = value;
    },
  },
  reporter: {
    option: '--reporter <name>',
    help: `report format besides the console: ${REPORTERS.join('|')} (repeatable)`,
    repeatable: true,
    fields: ['reporters'],
    set: (value, config) => {
      if (value.length) config.reporters = value.flatMap((r) => r.split(','));
    },
  },
  out: { option: '--out <dir>', help: 'directory for report files (default wh-conformance-report)', fields: ['outputDir'], set: (value, config) => void (config.outputDir = value) },
  timeout: {
    option: '--timeout <ms>',
    help: 'deadline per delivery, in milliseconds (default 5000)',
    fields: ['timeoutMs'],
    set: (value, config) => void (config.timeoutMs = asNumber(value)),
  },
  runTimeout: {
    option: '--run-timeout <ms>',
    help: 'deadline of the whole run, in milliseconds: past it the run stops and exits 2 (default 600000)',
    fields: ['runTimeoutMs'],
    set: (value, config) => void (config.runTimeoutMs = asNumber(value)),
  },
  drills: {
    option: '--drills',
    help: 'also send the drills: load, a 20 MiB body, slow headers, restarts with rotated client roots',
    set: (value, config) => {
      if (value) config.drills = true;
    },
  },
  repeat: {
    option: '--repeat <n>',
    help: 'send each scenario n times (measuring how the run grows; default 1)',
    fields: ['repeat'],
    set: (value, config) => void (config.repeat = asNumber(value)),
  },
  strict: {
    option: '--strict',
    help: 'ask for precise rejections: a TLS alert or status other than the expected one is a warn',
    set: (value, config) => {
      if (value) config.strict = true;
    },
  },
  keepCerts: { option: '--keep-certs', help: 'keep the generated kit after the run (it contains private keys)' },
  certs: {
    option: '--certs <dir>',
    help: 'kit directory used by a --url listener (see `certs --out`)',
    fields: ['target.certs'],
    set: (value, _config, target) => void (target.certs = value),
  },
  baseline: {
    option: '--baseline <file>',
    help: 'expected failures (ids with a note each): they do not fail the run, but their passing does',
    fields: ['baseline'],
    set: (value, config) => void (config.baseline = value),
  },
  updateBaseline: { option: '--update-baseline', help: 'rewrite the baseline (--baseline, default wh-conformance.baseline.json) from this run' },
  shard: { option: '--shard <i/n>', help: 'send only the i-th of n slices of the scenarios; combine the reports with `merge`' },
};

/** The flags that choose the kind of target, laid before the others. */
const TARGET_KINDS: ReadonlyArray<keyof RunFlags> = ['command', 'image', 'url'];

/** The flag names as the user types them: `--run-timeout`, `--mtls` for `--no-mtls`. */
export function flagName(key: keyof RunFlags): string {
  return RUN_FLAGS[key].option.split(' ')[0]!.replace(/^--no-/, '--');
}

/** Which flag the user typed that set this config field, if any. */
export function flagFor(field: string, flags: RunFlags): string | undefined {
  const key = (Object.keys(RUN_FLAGS) as Array<keyof RunFlags>).find((k) => RUN_FLAGS[k].fields?.includes(field));
  return key !== undefined && flags[key] !== undefined ? flagName(key) : undefined;
}

/** Lays the flags over the file's raw object; validation sees both together. */
export function overlay(raw: Raw, flags: RunFlags): Raw {
  const config: Raw = { ...raw };
  const fileTarget = typeof raw.target === 'object' && raw.target !== null ? (raw.target as Raw) : undefined;
  const target: Raw = { ...fileTarget };
  const keys = Object.keys(RUN_FLAGS) as Array<keyof RunFlags>;
  for (const key of [...TARGET_KINDS, ...keys.filter((k) => !TARGET_KINDS.includes(k))]) {
    const value = flags[key];
    const set = RUN_FLAGS[key].set as Flag['set'];
    if (value !== undefined && set) set(value as never, config, target, flags);
  }
  if (fileTarget || Object.keys(target).length > 0) config.target = target;
  return config;
}
