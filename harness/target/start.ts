import { readFile } from 'node:fs/promises';
import { kitPaths, type KitPaths } from '../../certs/index.js';
import type { ResolvedConfig } from '../config/index.js';
import { PROBE_IDENTITY, RUN_SECRETS, type RunKit } from '../kit/index.js';
import type { Teardown } from '../teardown.js';
import { contractEnv } from './contract.js';
import { freePort } from './free-port.js';
import { SERVER_NAME } from './server-tls.js';
import type { ProbeOptions } from './probe.js';
import { startProcessTarget } from './process.js';
import type { RunningTarget } from './target.js';
import { connectUrlTarget } from './url.js';

const LOOPBACK = '127.0.0.1';
const PROBE_ATTEMPT_MS = 1000;

async function probeFor(kit: RunKit, mtls: boolean, host: string, port: number, secure: boolean, servername = SERVER_NAME): Promise<ProbeOptions> {
  if (!secure) return { host, port, timeoutMs: PROBE_ATTEMPT_MS };
  const [ca, cert, key] = await Promise.all([kit.serverCaFile, kit.paths.clientCert(PROBE_IDENTITY), kit.paths.clientKey(PROBE_IDENTITY)].map((f) => (f === null ? undefined : readFile(f, 'utf8'))));
  const server = ca === undefined ? { insecure: true as const } : { serverCa: ca };
  return { host, port, timeoutMs: PROBE_ATTEMPT_MS, tls: { servername, server, ...(mtls ? { cert, key } : {}) } };
}

/** Starts (or reaches) the configured target and waits until it is ready; a started one is
 * stopped at teardown. */
export async function startTarget(config: ResolvedConfig, kit: RunKit, teardown: Teardown): Promise<RunningTarget> {
  const { target } = config;
  if (target.kind === 'url') {
    const url = new URL(target.url);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const probe = await probeFor(kit, config.mtls, url.hostname.replace(/^\[|\]$/g, ''), port, url.protocol === 'https:', target.servername);
    return connectUrlTarget(target.url, probe, target.readyTimeoutMs);
  }
  // Inside a container the kit and the events file are at their container paths.
  const contract = (host: string, port: number, paths: KitPaths, eventsFile = kit.eventsFile) =>
    contractEnv({
      host,
      port,
      path: config.path,
      kit: paths,
      mtls: config.mtls,
      profile: config.profile,
      signing: kit.keys,
      ...(config.genericHmac ? { genericHmac: config.genericHmac } : {}),
      toleranceSeconds: config.toleranceSeconds,
      // The responder listens on this machine's loopback, which a container on a bridge network cannot reach.
      ...(target.kind === 'container' && target.network === 'bridge' ? {} : { revocation: kit.revocation }),
      ...(kit.eventsFile && eventsFile ? { eventsFile } : {}),
    });
  if (target.kind === 'container') {
    // Loaded only for image targets: a process run does not pay for the container code (tar-stream).
    const [{ startContainerTarget }, { CONTAINER_KIT_DIR, CONTAINER_EVENTS_FILE }] = await Promise.all([import('./container.js'), import('./container-kit.js')]);
    return startContainerTarget({
      target,
      kitDir: kit.paths.dir,
      contract: (host, port) => contract(host, port, kitPaths(CONTAINER_KIT_DIR), CONTAINER_EVENTS_FILE),
      probe: (port) => probeFor(kit, config.mtls, LOOPBACK, port, true),
      teardown,
      ...(kit.eventsFile ? { eventsFile: kit.eventsFile } : {}),
    });
  }
  const port = target.port ?? (await freePort(LOOPBACK));
  const whc = contract(LOOPBACK, port, kit.paths);
  const running = await startProcessTarget({
    command: target.command,
    cwd: target.cwd,
    env: { ...(process.env as Record<string, string>), ...target.env, ...whc },
    probe: await probeFor(kit, config.mtls, LOOPBACK, port, true),
    origin: `https://${LOOPBACK}:${port}`,
    readyTimeoutMs: target.readyTimeoutMs,
    port,
    // Printed after the teardown, when the run's own output is done: stderr, masked like all of it.
    warn: (text) => process.stderr.write(RUN_SECRETS.mask(text)),
  });
  teardown.add(() => running.stop());
  return running;
}
