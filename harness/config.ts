import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { z } from 'zod';
import { HarnessError } from './errors.js';
import { CAPABILITIES, type Capability } from './model.js';
import { DEFAULT_PROFILE, NO_PROFILE, PROFILES } from './profiles/index.js';

export const CONFIG_FILES = ['wh-conformance.config.ts', 'wh-conformance.config.mjs', 'wh-conformance.config.js', 'wh-conformance.config.json'];
export const REPORTERS = ['console', 'json', 'junit'] as const;
export type ReporterName = (typeof REPORTERS)[number];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
const profileNames = [...PROFILES.keys(), NO_PROFILE];
const positiveInt = (what: string) => z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` }).positive({ error: `expected ${what}` });

const TargetSchema = z
  .strictObject({
    command: z.string({ error: 'expected a shell command string' }).min(1, { error: 'expected a non-empty command' }).optional(),
    cwd: z.string({ error: 'expected a directory path' }).optional(),
    env: z.record(z.string(), z.string(), { error: 'expected an object of string values' }).optional(),
    port: z.number({ error: 'expected a port number' }).int({ error: 'expected a whole port number' }).min(1, { error: 'expected a port from 1 to 65535' }).max(65535, { error: 'expected a port from 1 to 65535' }).optional(),
    path: z.string({ error: 'expected a path' }).startsWith('/', { error: 'expected a path starting with /' }).optional(),
    readyTimeoutMs: positiveInt('a number of milliseconds').optional(),
    url: z
      .string({ error: 'expected a URL' })
      .refine((u) => URL.canParse(u) && ['https:', 'http:'].includes(new URL(u).protocol), { error: 'expected an https:// or http:// URL' })
      .refine((u) => !URL.canParse(u) || LOOPBACK_HOSTS.has(new URL(u).hostname), { error: 'expected a loopback URL (127.0.0.1, [::1] or localhost): wh-conformance only targets this machine' })
      .optional(),
    certs: z.string({ error: 'expected the path of a kit directory written by `wh-conformance certs --out`' }).optional(),
  }, { error: (issue) => (issue.code === 'invalid_type' ? 'expected a target: { command: "<start your listener>" } or { url, certs }' : undefined) })
  .check((ctx) => {
    const t = ctx.value;
    if (!t.command && !t.url) ctx.issues.push({ code: 'custom', input: t, path: [], message: 'expected either `command` (a listener to start) or `url` (one already running)' });
    if (t.command && t.url) ctx.issues.push({ code: 'custom', input: t, path: [], message: 'expected `command` or `url`, not both' });
    if (t.url && !t.certs) ctx.issues.push({ code: 'custom', input: t, path: ['certs'], message: 'a `url` target needs `certs`: the kit the running listener uses, its certificates and signing secret (write one with `wh-conformance certs --out DIR`)' });
  });

export const ConfigSchema = z.strictObject({
  target: TargetSchema,
  mtls: z.boolean({ error: 'expected true or false' }).default(true),
  profile: z.enum(profileNames, { error: `expected one of ${profileNames.join(', ')}` }).default(DEFAULT_PROFILE),
  capabilities: z.array(z.enum(CAPABILITIES, { error: `expected capabilities among ${CAPABILITIES.join(', ')}` })).default([]),
  include: z.array(z.string({ error: 'expected glob strings' })).default([]),
  exclude: z.array(z.string({ error: 'expected glob strings' })).default([]),
  reporters: z.array(z.enum(REPORTERS, { error: `expected reporters among ${REPORTERS.join(', ')}` })).default(['console']),
  outputDir: z.string({ error: 'expected a directory path' }).default('wh-conformance-report'),
  timeoutMs: positiveInt('a number of milliseconds per delivery').default(5000),
  toleranceSeconds: positiveInt('a number of seconds').default(300),
});

/** The config file as a user writes it. */
export type UserConfig = z.input<typeof ConfigSchema>;

export interface ProcessTarget {
  kind: 'process';
  command: string;
  cwd: string;
  env: Record<string, string>;
  port?: number;
  readyTimeoutMs: number;
}

export interface UrlTarget {
  kind: 'url';
  url: string;
  /** Kit directory the running listener uses. */
  certs: string;
  readyTimeoutMs: number;
}

export interface ResolvedConfig {
  /** The config file, or null when flags alone describe the run. */
  source: string | null;
  target: ProcessTarget | UrlTarget;
  path: string;
  mtls: boolean;
  profile: string | null;
  capabilities: Capability[];
  include: string[];
  exclude: string[];
  reporters: ReporterName[];
  outputDir: string;
  timeoutMs: number;
  toleranceSeconds: number;
  keepCerts: boolean;
}

/** What the `run` flags say; each one given overrides the config file. */
export interface RunFlags {
  config?: string;
  command?: string;
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
  keepCerts?: boolean;
  certs?: string;
}

/** Which flag set which field, so an error names what the user typed. */
const FLAG_FOR_PATH: Readonly<Record<string, string>> = {
  'target.command': '--command',
  'target.url': '--url',
  'target.cwd': '--cwd',
  'target.port': '--port',
  'target.path': '--path',
  'target.certs': '--certs',
  profile: '--profile',
  capabilities: '--capabilities',
  include: '--include',
  exclude: '--exclude',
  reporters: '--reporter',
  outputDir: '--out',
  timeoutMs: '--timeout',
};

export const DEFAULT_READY_TIMEOUT_MS = 10_000;
/** A URL target is already running: it gets less time to answer the first handshake. */
export const DEFAULT_URL_READY_TIMEOUT_MS = 3_000;
export const DEFAULT_PATH = '/webhook';

function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILES.map((name) => resolve(cwd, name)).find((file) => existsSync(file));
}

async function loadFile(file: string): Promise<unknown> {
  if (!existsSync(file)) throw new HarnessError(`${file}: config file not found: check the --config path`);
  const name = basename(file);
  try {
    if (file.endsWith('.json')) return JSON.parse(await readFile(file, 'utf8'));
    // jiti loads TypeScript and ESM alike; no disk cache, so a read-only install works.
    const jiti = createJiti(import.meta.url, { fsCache: false, moduleCache: false });
    return await jiti.import(file, { default: true });
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n', 1)[0] : String(err);
    throw new HarnessError(`${name}: cannot load the config: ${message}`);
  }
}

/** A numeric flag as a number; anything else stays text, so the error shows what was typed. */
const asNumber = (text: string): number | string => (/^\d+$/.test(text) ? Number(text) : text);

/** Lays the flags over the file's raw object; validation sees both together. */
function overlay(raw: Record<string, unknown>, flags: RunFlags): Record<string, unknown> {
  const config: Record<string, unknown> = { ...raw };
  const fileTarget = typeof raw.target === 'object' && raw.target !== null ? (raw.target as Record<string, unknown>) : undefined;
  const target: Record<string, unknown> = { ...fileTarget };
  if (flags.command !== undefined) {
    delete target.url;
    delete target.certs;
    target.command = flags.command;
  }
  if (flags.url !== undefined) {
    for (const key of ['command', 'cwd', 'env', 'port']) delete target[key];
    target.url = flags.url;
  }
  if (flags.cwd !== undefined) target.cwd = flags.cwd;
  if (flags.port !== undefined) target.port = asNumber(flags.port);
  if (flags.path !== undefined) target.path = flags.path;
  if (flags.certs !== undefined) target.certs = flags.certs;
  if (fileTarget || Object.keys(target).length > 0) config.target = target;
  if (flags.profile !== undefined) config.profile = flags.profile;
  if (flags.mtls === false) config.mtls = false;
  if (flags.capabilities !== undefined) config.capabilities = flags.capabilities.split(',').map((c) => c.trim()).filter(Boolean);
  if (flags.include?.length) config.include = flags.include;
  if (flags.exclude?.length) config.exclude = flags.exclude;
  if (flags.reporter?.length) config.reporters = flags.reporter.flatMap((r) => r.split(','));
  if (flags.out !== undefined) config.outputDir = flags.out;
  if (flags.timeout !== undefined) config.timeoutMs = asNumber(flags.timeout);
  return config;
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
  const flag = FLAG_FOR_PATH[issue.path.filter((p) => typeof p !== 'number').map(String).join('.')];
  const flagGiven = flag !== undefined && flagWasGiven(flag, flags);
  const where = flagGiven ? flag : `${fileName}: ${path || 'config'}`;
  const got = issue.code === 'unrecognized_keys' || issue.code === 'custom' ? '' : `, got ${describeInput(issue.input)}`;
  return `${where}: ${issue.message}${got}`;
}

function flagWasGiven(flag: string, flags: RunFlags): boolean {
  const key = flag.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as keyof RunFlags;
  return flags[key] !== undefined;
}

function relativeTo(base: string, path: string | undefined): string | undefined {
  return path === undefined ? undefined : resolve(base, path);
}

/** Finds, loads, merges and validates the config. Throws HarnessError with one line naming the
 * file (or flag), the field and what was expected. */
export async function loadConfig(flags: RunFlags, cwd = process.cwd()): Promise<ResolvedConfig> {
  const file = flags.config !== undefined ? resolve(cwd, flags.config) : findConfigFile(cwd);
  if (!file && flags.command === undefined && flags.url === undefined) {
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

  let target: ProcessTarget | UrlTarget;
  let path = c.target.path ?? DEFAULT_PATH;
  if (c.target.url) {
    const url = new URL(c.target.url);
    if (url.pathname !== '/' && c.target.path === undefined) path = url.pathname;
    target = { kind: 'url', url: url.origin, readyTimeoutMs, certs: resolve(baseFor(flags.certs), c.target.certs ?? '') };
  } else {
    target = {
      kind: 'process',
      command: c.target.command ?? '',
      cwd: relativeTo(baseFor(flags.cwd), c.target.cwd) ?? fileBase,
      env: c.target.env ?? {},
      readyTimeoutMs,
      ...(c.target.port !== undefined ? { port: c.target.port } : {}),
    };
  }
  return {
    source: file ?? null,
    target,
    path,
    // A plain-http listener cannot ask for a client certificate.
    mtls: c.mtls && !(target.kind === 'url' && target.url.startsWith('http:')),
    profile: c.profile === NO_PROFILE ? null : c.profile,
    capabilities: [...new Set(c.capabilities)],
    include: c.include,
    exclude: c.exclude,
    reporters: [...new Set(['console' as const, ...c.reporters])],
    outputDir: relativeTo(baseFor(flags.out), c.outputDir) ?? cwd,
    timeoutMs: c.timeoutMs,
    toleranceSeconds: c.toleranceSeconds,
    keepCerts: flags.keepCerts === true,
  };
}

/** Typed helper for `wh-conformance.config.ts`. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
