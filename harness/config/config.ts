import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { flagFor, overlay, REPORTERS, type ReporterName, type RunFlags } from './flags.js';
import type { UserConfig } from './user-config.js';
import { ClientCaSchema, urlServerName, ownTrustIssues, remoteTargetIssues, resolveOwnTrust, SigningSecretEnvSchema, type OwnTrust } from './own-trust.js';
import { parseShard } from './shard-flag.js';
import { imageTagFor, type ImageBuild } from './image-tag.js';
import { CAPABILITIES, type Capability, type ShardInfo } from '../model.js';
import { DEFAULT_GENERIC_HMAC, DEFAULT_PROFILE, GENERIC_HMAC, NO_PROFILE, PROFILE_NAMES, type GenericHmacSettings } from '../profiles/index.js';
import { GenericHmacSchema } from './generic-hmac-schema.js';

export { REPORTERS, type ReporterName, type RunFlags } from './flags.js';

export const CONFIG_FILES = ['wh-conformance.config.ts', 'wh-conformance.config.mjs', 'wh-conformance.config.js', 'wh-conformance.config.json'];

export const CONTAINER_NETWORKS = ['bridge', 'host'] as const;
export type ContainerNetwork = (typeof CONTAINER_NETWORKS)[number];
/** Ten minutes: far beyond any run of the catalog, short of a CI job's own limit. */
export const DEFAULT_RUN_TIMEOUT_MS = 600_000;
const profileNames = [...PROFILE_NAMES, NO_PROFILE];
const profileName = z.enum(profileNames, { error: `expected one of ${profileNames.join(', ')}` });
const positiveInt = (what: string) => z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` }).positive({ error: `expected ${what}` });
/** The longest a Node timer waits: a longer delay fires after 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const milliseconds = (what: string) => positiveInt(what).max(MAX_TIMEOUT_MS, { error: `expected ${what}, at most ${MAX_TIMEOUT_MS} (about 24.8 days)` });

const TargetSchema = z
  .strictObject({
    command: z
      .union([z.string({ error: 'expected a shell command string' }).min(1, { error: 'expected a non-empty command' }), z.array(z.string()).min(1, { error: 'expected a non-empty list' })], {
        error: 'expected a shell command string (or, for an image, a list of strings: the exec form)',
      })
      .optional(),
    cwd: z.string({ error: 'expected a directory path' }).optional(),
    env: z.record(z.string(), z.string(), { error: 'expected an object of string values' }).optional(),
    port: z.number({ error: 'expected a port number' }).int({ error: 'expected a whole port number' }).min(1, { error: 'expected a port from 1 to 65535' }).max(65535, { error: 'expected a port from 1 to 65535' }).optional(),
    path: z.string({ error: 'expected a path' }).startsWith('/', { error: 'expected a path starting with /' }).optional(),
    readyTimeoutMs: milliseconds('a number of milliseconds').optional(),
    url: z
      .string({ error: 'expected a URL' })
      .refine((u) => URL.canParse(u) && ['https:', 'http:'].includes(new URL(u).protocol), { error: 'expected an https:// or http:// URL' })
      .optional(),
    allowRemote: z.boolean({ error: 'expected true or false' }).optional(),
    serverCa: z.string({ error: "expected the path of a PEM file: the CA that issued the listener's certificate" }).min(1).optional(),
    insecureServerCert: z.boolean({ error: 'expected true or false' }).optional(),
    certs: z.string({ error: 'expected the path of a kit directory written by `wh-conformance certs --out`' }).optional(),
    image: z.string({ error: 'expected an image name' }).min(1, { error: 'expected an image name' }).optional(),
    dockerfile: z.string({ error: 'expected the path of a Dockerfile' }).min(1, { error: 'expected the path of a Dockerfile' }).optional(),
    context: z.string({ error: 'expected the build context directory' }).optional(),
    network: z.enum(CONTAINER_NETWORKS, { error: `expected one of ${CONTAINER_NETWORKS.join(', ')}` }).optional(),
  }, { error: (issue) => (issue.code === 'invalid_type' ? 'expected a target: { command: "<start your listener>" }, { image }, { dockerfile } or { url, certs }' : undefined) })
  .check((ctx) => {
    const t = ctx.value;
    const issue = (message: string, path: string[] = []) => ctx.issues.push({ code: 'custom', input: t, path, message });
    const container = t.image !== undefined || t.dockerfile !== undefined;
    if (!t.command && !t.url && !container) issue('expected either `command` (a listener to start), `image` or `dockerfile` (a container to start) or `url` (one already running)');
    if (t.command && t.url) issue('expected `command` or `url`, not both');
    if (container && t.url) issue('expected `image`/`dockerfile` or `url`, not both');
    if (t.image !== undefined && t.dockerfile !== undefined) issue('expected `image` or `dockerfile`, not both');
    if (Array.isArray(t.command) && !container) issue('expected a shell command string: a list (the exec form) is for `image` and `dockerfile` targets', ['command']);
    if (container && t.cwd !== undefined) issue('`cwd` is for `command` targets: an image sets its own WORKDIR', ['cwd']);
    if (!container && t.network !== undefined) issue('`network` is for `image` and `dockerfile` targets', ['network']);
    if (t.dockerfile === undefined && t.context !== undefined) issue('`context` is for `dockerfile` targets', ['context']);
    for (const problem of remoteTargetIssues(t)) issue(problem.message, problem.path);
  });

export const ConfigSchema = z.strictObject({
  target: TargetSchema,
  clientCa: ClientCaSchema.optional(),
  signingSecretEnv: SigningSecretEnvSchema.optional(),
  signingPublicKeyFile: z.string({ error: 'expected the path of a file holding the public key' }).min(1).optional(),
  mtls: z.boolean({ error: 'expected true or false' }).default(true),
  profile: profileName.optional(),
  profiles: z.array(profileName, { error: 'expected a list of profile names' }).min(1, { error: 'expected at least one profile' }).optional(),
  genericHmac: GenericHmacSchema.optional(),
  capabilities: z.array(z.enum(CAPABILITIES, { error: `expected capabilities among ${CAPABILITIES.join(', ')}` })).default([]),
  include: z.array(z.string({ error: 'expected glob strings' })).default([]),
  exclude: z.array(z.string({ error: 'expected glob strings' })).default([]),
  reporters: z.array(z.enum(REPORTERS, { error: `expected reporters among ${REPORTERS.join(', ')}` })).default(['console']),
  outputDir: z.string({ error: 'expected a directory path' }).default('wh-conformance-report'),
  baseline: z.string({ error: 'expected the path of a baseline file' }).optional(),
  timeoutMs: milliseconds('a number of milliseconds per delivery').default(5000),
  runTimeoutMs: milliseconds('a number of milliseconds for the whole run').default(DEFAULT_RUN_TIMEOUT_MS),
  drills: z.boolean({ error: 'expected true or false' }).default(false),
  repeat: positiveInt('a whole number of times to send each scenario').max(100, { error: 'expected at most 100 repetitions' }).default(1),
  toleranceSeconds: positiveInt('a number of seconds').default(300),
  strict: z.boolean({ error: 'expected true or false' }).default(false),
}).check((ctx) => {
  const c = ctx.value;
  const issue = (message: string) => ctx.issues.push({ code: 'custom', input: c.profiles, path: ['profiles'], message });
  if (c.profile !== undefined && c.profiles !== undefined) issue('expected `profile` or `profiles`, not both');
  const list = c.profiles ?? [];
  if (list.length > 1 && list.includes(NO_PROFILE)) issue(`expected profile names: "${NO_PROFILE}" cannot be combined with others`);
  if (new Set(list).size !== list.length) issue('expected each profile once');
  // A running listener was started with one WHC_PROFILE; only a listener the harness starts can be restarted per profile.
  if (list.length > 1 && c.target.url) issue('a `url` target serves the one profile it was started with: run once per profile, or let the harness start it with `command`');
  for (const problem of ownTrustIssues(c)) ctx.issues.push({ code: 'custom', input: c, path: problem.path, message: problem.message });
});

/** The config file as a user writes it (typed in user-config.ts; the schema checks it at run time). */
export type { UserConfig } from './user-config.js';

export interface ProcessTarget {
  kind: 'process';
  command: string;
  cwd: string;
  env: Record<string, string>;
  port?: number;
  readyTimeoutMs: number;
}

/** A listener image started with testcontainers (see harness/target/container.ts). */
export interface ContainerTarget {
  kind: 'container';
  /** The image to run; for a `dockerfile` target, the tag it is built as. */
  image: string;
  /** Set for a `dockerfile` target: absolute paths. */
  build?: ImageBuild;
  /** Overrides the image's command (exec form; a string became `/bin/sh -c STRING`). */
  command?: string[];
  env: Record<string, string>;
  /** The port the listener listens on: inside the container when published, on the host with host networking. */
  port?: number;
  /** `bridge`: the port is published on 127.0.0.1; `host`: the container shares the host's network. */
  network: ContainerNetwork;
  readyTimeoutMs: number;
}

export interface UrlTarget {
  kind: 'url';
  url: string;
  /** Kit directory the running listener uses; absent: the run makes a kit under the user's own trust (`own`). */
  certs?: string;
  /** The SNI and Host name deliveries carry: the URL's host name (`localhost` for a loopback address, the kit's name). */
  servername: string;
  readyTimeoutMs: number;
}

export interface ResolvedConfig {
  /** The config file, or null when flags alone describe the run. */
  source: string | null;
  target: ProcessTarget | ContainerTarget | UrlTarget;
  path: string;
  /** false for a plain-http URL target: there is no TLS to test. */
  tls: boolean;
  mtls: boolean;
  /** Ask for precise rejections: a TLS alert or status other than the expected one is a warn. */
  strict: boolean;
  /** The first of `profiles`, or null: the profile mTLS deliveries are signed with. */
  profile: string | null;
  /** The signature profiles, in order; the signature layer runs once per profile. Empty: none. */
  profiles: string[];
  /** The generic-hmac profile's scheme (defaults when the config describes none). */
  genericHmac?: GenericHmacSettings;
  capabilities: Capability[];
  include: string[];
  exclude: string[];
  reporters: ReporterName[];
  outputDir: string;
  timeoutMs: number;
  /** The whole run's deadline: past it, the run stops, tears down and exits 2. */
  runTimeoutMs: number;
  /** Send the drills after the other layers (`--drills`). */
  drills: boolean;
  /** Each scenario is sent this many times (`--repeat`, a measuring aid). */
  repeat: number;
  toleranceSeconds: number;
  keepCerts: boolean;
  /** The baseline file (expected failures), or null; with `updateBaseline`, where it is written. */
  baseline: string | null;
  /** Rewrite the baseline from this run's failures (`--update-baseline`). */
  updateBaseline: boolean;
  /** The slice of the scenarios to send (`--shard`). */
  shard?: ShardInfo;
  /** What the user brings instead of the harness's own: client CA, server trust, signing secret. */
  own: OwnTrust;
}

export const DEFAULT_READY_TIMEOUT_MS = 10_000;
/** A URL target is already running: it gets less time to answer the first handshake. */
export const DEFAULT_URL_READY_TIMEOUT_MS = 3_000;
export const DEFAULT_PATH = '/webhook';
/** Where `--update-baseline` writes when no `--baseline FILE` is given. */
export const DEFAULT_BASELINE_FILE = 'wh-conformance.baseline.json';

function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILES.map((name) => resolve(cwd, name)).find((file) => existsSync(file));
}

/** A config file gets this long to load: one whose top-level `await` never settles would otherwise
 * hang the run, or end it with exit 13 and no word. */
export const CONFIG_LOAD_TIMEOUT_MS = 10_000;

/** The first line of a load error, with the `file:line:col` jiti puts on a later line. */
function loadErrorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const [first = '', ...rest] = err.message.split('\n');
  const where = rest.map((line) => /(\S+:\d+:\d+)\s*$/.exec(line)?.[1]).find(Boolean);
  return `${first.trim()}${where ? ` at ${where}` : ''}`;
}

/** Where jiti keeps its transform of a TypeScript config, keyed by the source's hash: the transform
 * (Babel) is most of such a config's load. The user's own cache, mode 0700, so no other user can
 * plant code in it; false (no disk cache) where it cannot be made, e.g. a read-only home. */
export function configCacheDir(env: NodeJS.ProcessEnv = process.env): string | false {
  const dir = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'wh-conformance', 'jiti');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch {
    return false;
  }
}

async function loadFile(file: string): Promise<unknown> {
  if (!existsSync(file)) throw new HarnessError(`${file}: config file not found: check the --config path`);
  const name = basename(file);
  let deadline: NodeJS.Timeout | undefined;
  try {
    if (file.endsWith('.json')) return JSON.parse(await readFile(file, 'utf8'));
    // jiti loads TypeScript and ESM alike; loaded here, as only a config file needs it.
    const { createJiti } = await import('jiti');
    const jiti = createJiti(import.meta.url, { fsCache: configCacheDir(), moduleCache: false });
    // Not unref'd: it keeps the process alive while the config's own await has nothing pending.
    const timedOut = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => reject(new HarnessError(`${name}: the config did not finish loading within ${CONFIG_LOAD_TIMEOUT_MS / 1000} s: does it await something that never settles?`)), CONFIG_LOAD_TIMEOUT_MS);
    });
    return await Promise.race([jiti.import(file, { default: true }), timedOut]);
  } catch (err) {
    if (err instanceof HarnessError) throw err;
    throw new HarnessError(`${name}: cannot load the config: ${loadErrorText(err)}`);
  } finally {
    clearTimeout(deadline);
  }
}

function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  const text = JSON.stringify(input);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function firstIssue(error: z.ZodError, flags: RunFlags, fileName: string): string {
  const issue = error.issues[0];
  if (!issue) return `${fileName}: invalid config`;
  const path = issue.path.map(String).join('.');
  // A list entry's path ends in its index (`capabilities.1`); the flag is the list's.
  const flag = flagFor(issue.path.filter((p) => typeof p !== 'number').map(String).join('.'), flags);
  const where = flag ?? `${fileName}: ${path || 'config'}`;
  const got = issue.code === 'unrecognized_keys' || issue.code === 'custom' ? '' : `, got ${describeInput(issue.input)}`;
  return `${where}: ${issue.message}${got}`;
}

function containerTarget(t: z.output<typeof TargetSchema>, fileBase: string, readyTimeoutMs: number): ContainerTarget {
  const dockerfile = relativeTo(fileBase, t.dockerfile);
  const build = dockerfile ? { dockerfile, context: relativeTo(fileBase, t.context) ?? dirname(dockerfile) } : undefined;
  const command = typeof t.command === 'string' ? ['/bin/sh', '-c', t.command] : t.command;
  return {
    kind: 'container',
    image: t.image ?? (build ? imageTagFor(build) : ''),
    ...(build ? { build } : {}),
    ...(command ? { command } : {}),
    env: t.env ?? {},
    ...(t.port !== undefined ? { port: t.port } : {}),
    network: t.network ?? 'bridge',
    readyTimeoutMs,
  };
}

function relativeTo(base: string, path: string | undefined): string | undefined {
  return path === undefined ? undefined : resolve(base, path);
}

/** Finds, loads, merges and validates the config. Throws HarnessError with one line naming the
 * file (or flag), the field and what was expected. */
export async function loadConfig(flags: RunFlags, cwd = process.cwd()): Promise<ResolvedConfig> {
  const file = flags.config !== undefined ? resolve(cwd, flags.config) : findConfigFile(cwd);
  if (!file && flags.command === undefined && flags.image === undefined && flags.url === undefined) {
    throw new HarnessError(`no ${CONFIG_FILES.join(', ')} in ${cwd}, and no --command or --url: write a config file or pass --command "<start your listener>"`);
  }
  const raw = file ? await loadFile(file) : {};
  const fileName = file ? basename(file) : 'flags';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HarnessError(`${fileName}: expected the config to export an object (export default defineConfig({ … }))`);
  }
  const parsed = ConfigSchema.safeParse(overlay(raw as Record<string, unknown>, flags), { reportInput: true });
  if (!parsed.success) throw new HarnessError(firstIssue(parsed.error, flags, fileName));
  const c = parsed.data;
  // Paths in the file are relative to the file; paths given as flags to the shell's cwd.
  const fileBase = file ? dirname(file) : cwd;
  const baseFor = (flagValue: string | undefined) => (flagValue !== undefined ? cwd : fileBase);
  const readyTimeoutMs = c.target.readyTimeoutMs ?? (c.target.url ? DEFAULT_URL_READY_TIMEOUT_MS : DEFAULT_READY_TIMEOUT_MS);

  let target: ProcessTarget | ContainerTarget | UrlTarget;
  let path = c.target.path ?? DEFAULT_PATH;
  if (c.target.url) {
    const url = new URL(c.target.url);
    if (url.pathname !== '/' && c.target.path === undefined) path = url.pathname;
    target = { kind: 'url', url: url.origin, readyTimeoutMs, servername: urlServerName(url), ...(c.target.certs !== undefined ? { certs: resolve(baseFor(flags.certs), c.target.certs) } : {}) };
  } else if (c.target.image !== undefined || c.target.dockerfile !== undefined) {
    target = containerTarget(c.target, fileBase, readyTimeoutMs);
  } else {
    target = {
      kind: 'process',
      command: typeof c.target.command === 'string' ? c.target.command : '',
      cwd: relativeTo(baseFor(flags.cwd), c.target.cwd) ?? fileBase,
      env: c.target.env ?? {},
      readyTimeoutMs,
      ...(c.target.port !== undefined ? { port: c.target.port } : {}),
    };
  }
  const profiles = (c.profiles ?? [c.profile ?? DEFAULT_PROFILE]).filter((p) => p !== NO_PROFILE);
  const tls = !(target.kind === 'url' && target.url.startsWith('http:'));
  return {
    source: file ?? null,
    target,
    path,
    tls,
    // A plain-http listener cannot ask for a client certificate.
    mtls: c.mtls && tls,
    strict: c.strict,
    profile: profiles[0] ?? null,
    profiles,
    ...(c.genericHmac || profiles.includes(GENERIC_HMAC) ? { genericHmac: c.genericHmac ?? DEFAULT_GENERIC_HMAC } : {}),
    capabilities: [...new Set(c.capabilities)],
    include: c.include,
    exclude: c.exclude,
    reporters: [...new Set(['console' as const, ...c.reporters])],
    outputDir: relativeTo(baseFor(flags.out), c.outputDir) ?? cwd,
    timeoutMs: c.timeoutMs,
    runTimeoutMs: c.runTimeoutMs,
    drills: c.drills,
    repeat: c.repeat,
    toleranceSeconds: c.toleranceSeconds,
    keepCerts: flags.keepCerts === true,
    baseline: relativeTo(baseFor(flags.baseline), c.baseline) ?? (flags.updateBaseline ? resolve(cwd, DEFAULT_BASELINE_FILE) : null),
    updateBaseline: flags.updateBaseline === true,
    ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}),
    own: resolveOwnTrust(c, baseFor, flags),
  };
}

/** Typed helper for `wh-conformance.config.ts`: completion and hover docs for every field, and a
 * type error for a misspelt profile or two target kinds at once. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
