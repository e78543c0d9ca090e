import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPki, kitPaths, writeKit, type IdentityName, type KitPaths } from '../certs/index.js';
import { renderConsole, writeJson, writeJunit } from '../reports/index.js';
import { CATALOG } from '../suites/catalog/index.js';
import type { ResolvedConfig } from './config.js';
import { HarnessError } from './errors.js';
import type { SuiteContext } from './execute.js';
import { LAYERS, type RunResult } from './model.js';
import { PACKAGE_VERSION } from './package-info.js';
import { makePlan, type Plan } from './plan.js';
import { exitCodeFor, finalizeResults, summarize } from './results.js';
import { generateSecrets, readSecrets, secretFor } from './secrets.js';
import { contractEnv } from './target/contract.js';
import { freePort } from './target/free-port.js';
import type { ProbeOptions } from './target/probe.js';
import { startProcessTarget } from './target/process.js';
import type { RunningTarget } from './target/target.js';
import { connectUrlTarget } from './target/url.js';
import { Teardown } from './teardown.js';
import { runSuites } from './vitest-bridge.js';

/** The server certificate's DNS name: sent as SNI and Host, as a provider would. */
const SERVER_NAME = 'localhost';
const LOOPBACK = '127.0.0.1';
const PROBE_ATTEMPT_MS = 1000;
/** The identity the readiness probe presents. */
const PROBE_IDENTITY = 'valid';

export interface RunIo {
  write(text: string): void;
  color: boolean;
  /** Terminal columns, when writing to one. */
  width?: number;
}

interface Kit {
  paths: KitPaths;
  secret: string | undefined;
}

function identitiesFor(plan: Plan): IdentityName[] {
  const names = new Set<string>([PROBE_IDENTITY]);
  for (const s of plan.run) if (s.send.identity) names.add(s.send.identity);
  return [...names] as IdentityName[];
}

async function generateKit(config: ResolvedConfig, plan: Plan, teardown: Teardown, io: RunIo): Promise<Kit> {
  const dir = await mkdtemp(join(tmpdir(), 'whc-kit-'));
  if (config.keepCerts) io.write(`kit kept at ${dir}\n`);
  else teardown.add(() => rm(dir, { recursive: true, force: true }));
  const secrets = generateSecrets();
  const paths = await writeKit(dir, await buildPki({ now: new Date(), identities: identitiesFor(plan) }), secrets);
  return { paths, secret: config.profile ? secretFor(secrets, config.profile, paths.secrets) : undefined };
}

/** A kit someone wrote earlier with `wh-conformance certs --out`, for a listener already running. */
async function existingKit(dir: string, config: ResolvedConfig, plan: Plan): Promise<Kit> {
  const paths = kitPaths(dir);
  const needed = [paths.serverCa, paths.secrets, ...identitiesFor(plan).flatMap((n) => [paths.clientCert(n), paths.clientKey(n)])];
  const missing = needed.find((file) => !existsSync(file));
  if (missing) throw new HarnessError(`kit ${dir} lacks ${missing}: write a complete kit with wh-conformance certs --out ${dir} and restart the listener with it`);
  const secret = config.profile ? secretFor(await readSecrets(paths.secrets), config.profile, paths.secrets) : undefined;
  return { paths, secret };
}

async function probeFor(kit: Kit, config: ResolvedConfig, host: string, port: number, secure: boolean): Promise<ProbeOptions> {
  if (!secure) return { host, port, timeoutMs: PROBE_ATTEMPT_MS };
  const [ca, cert, key] = await Promise.all(
    [kit.paths.serverCa, kit.paths.clientCert(PROBE_IDENTITY), kit.paths.clientKey(PROBE_IDENTITY)].map((f) => readFile(f, 'utf8')),
  );
  return { host, port, timeoutMs: PROBE_ATTEMPT_MS, tls: { servername: SERVER_NAME, ca: ca ?? '', ...(config.mtls ? { cert, key } : {}) } };
}

async function startTarget(config: ResolvedConfig, kit: Kit, teardown: Teardown): Promise<RunningTarget> {
  const { target } = config;
  if (target.kind === 'url') {
    const url = new URL(target.url);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const probe = await probeFor(kit, config, url.hostname.replace(/^\[|\]$/g, ''), port, url.protocol === 'https:');
    return connectUrlTarget(target.url, probe, target.readyTimeoutMs);
  }
  const port = target.port ?? (await freePort(LOOPBACK));
  const origin = `https://${LOOPBACK}:${port}`;
  const whc = contractEnv({
    host: LOOPBACK,
    port,
    path: config.path,
    kit: kit.paths,
    mtls: config.mtls,
    profile: config.profile,
    secret: kit.secret,
    toleranceSeconds: config.toleranceSeconds,
  });
  const running = await startProcessTarget({
    command: target.command,
    cwd: target.cwd,
    env: { ...(process.env as Record<string, string>), ...target.env, ...whc },
    probe: await probeFor(kit, config, LOOPBACK, port, true),
    origin,
    readyTimeoutMs: target.readyTimeoutMs,
  });
  teardown.add(() => running.stop());
  return running;
}

async function writeReports(result: RunResult, config: ResolvedConfig, io: RunIo): Promise<void> {
  io.write(renderConsole(result, { color: io.color, width: io.width }));
  const written: string[] = [];
  if (config.reporters.includes('json')) written.push(await writeJson(result, config.outputDir));
  if (config.reporters.includes('junit')) written.push(await writeJunit(result, config.outputDir));
  for (const file of written) io.write(`report written: ${file}\n`);
}

/** One conformance run, from plan to reports; returns the exit code. Everything it started is
 * stopped and the kit removed on every path out, SIGINT and SIGTERM included. */
export async function runConformance(config: ResolvedConfig, io: RunIo): Promise<number> {
  const startedAt = new Date();
  const plan = makePlan(CATALOG, config);
  if (plan.run.length + plan.skipped.length === 0) {
    throw new HarnessError('no scenario matches the --include/--exclude globs: see wh-conformance list for the ids');
  }
  const teardown = new Teardown();
  const onSignal = (signal: NodeJS.Signals) => {
    io.write(`\n${signal}: stopping the target and removing the kit\n`);
    void teardown.run().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const kit = config.target.kind === 'url' ? await existingKit(config.target.certs, config, plan) : await generateKit(config, plan, teardown, io);
    const target = await startTarget(config, kit, teardown);
    const cacheDir = await mkdtemp(join(tmpdir(), 'whc-vitest-'));
    teardown.add(() => rm(cacheDir, { recursive: true, force: true }));

    const ctx: SuiteContext = {
      scenarios: plan.run,
      kitDir: kit.paths.dir,
      origin: target.origin,
      servername: SERVER_NAME,
      path: config.path,
      mtls: config.mtls,
      profile: config.profile,
      secret: kit.secret ?? '',
      toleranceSeconds: config.toleranceSeconds,
      timeoutMs: config.timeoutMs,
    };
    const layers = LAYERS.filter((layer) => plan.run.some((s) => s.layer === layer));
    const { records, broken } = layers.length > 0 ? await runSuites(ctx, layers, cacheDir) : { records: [], broken: [] };

    const scenarios = finalizeResults(plan, records, broken, config.profile);
    const summary = summarize(scenarios);
    const result: RunResult = {
      schemaVersion: 1,
      tool: { name: 'wh-conformance', version: PACKAGE_VERSION },
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      target: target.info,
      profile: config.profile,
      mtls: config.mtls,
      capabilities: config.capabilities,
      summary,
      scenarios,
    };
    await writeReports(result, config, io);
    const died = target.describeExit();
    if (died) io.write(`${died} during the run; its last output:\n${target.output(20).map((l) => `  ${l}\n`).join('')}`);
    return exitCodeFor(summary);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown.run();
  }
}
