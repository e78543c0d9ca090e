import { chmod } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { StartedTestContainer } from 'testcontainers';
import type { ContainerTarget } from '../config/index.js';
import { HarnessError } from '../errors.js';
import { sleep } from './sleep.js';
import type { TargetInfo } from '../model.js';
import type { Teardown } from '../teardown.js';
import { buildImage } from './container-build.js';
import { CONTAINER_EVENTS_FILE, fileFromArchive, kitArchive, resolveOwner } from './container-kit.js';
import { connectEngine, deadline, removeRunContainers, RUN_LABEL, type Engine } from './container-runtime.js';
import { freePort } from './free-port.js';
import { OutputTail } from './output-tail.js';
import { awaitReadiness, type ProbeOptions } from './probe.js';
import type { RunningTarget, TargetExit } from './target.js';

export interface ContainerTargetOptions {
  target: ContainerTarget;
  /** The kit on this machine; copied into the container at CONTAINER_KIT_DIR. */
  kitDir: string;
  /** The WHC_* variables for a listener on `host:port` that finds the kit at CONTAINER_KIT_DIR. */
  contract(host: string, port: number): Record<string, string>;
  /** The readiness probe for the listener reached on 127.0.0.1:`port`. */
  probe(port: number): Promise<ProbeOptions>;
  teardown: Teardown;
  /** SIGTERM, then SIGKILL after this long. */
  graceMs?: number;
  /** The events file on this machine (capability events-file), mounted at CONTAINER_EVENTS_FILE. */
  eventsFile?: string;
}

const LOOPBACK = '127.0.0.1';
/** In its own network namespace the listener may take any port: a fixed one reads well in an
 * image's EXPOSE line and docs. */
export const DEFAULT_CONTAINER_PORT = 8443;
/** How long teardown waits for a container start in flight, so it can remove what it created. */
const START_SETTLE_MS = 10_000;
/** Pulling a large image on a slow link takes minutes; a hung engine must not hold CI forever. */
const START_DEADLINE_MS = 10 * 60_000;
const NUMERIC_USER = /^\d+(:\d+)?$/;

const firstLine = (err: unknown) => ((err instanceof Error ? err.message : String(err)).split('\n', 1)[0] ?? '').trim();

/** A GenericContainer that copies the kit in, owned by the image's user, between create and
 * start, and can publish its port on loopback only. */
function listenerContainer(engine: Engine, image: string, kitDir: string, created: (id: string) => void) {
  const { client } = engine;
  return new (class ListenerContainer extends engine.tc.GenericContainer {
    publishOnLoopback(port: number): this {
      this.withExposedPorts(port);
      // Docker publishes on every interface by default; the harness only ever connects to loopback.
      this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${port}/tcp`]: [{ HostIp: LOOPBACK, HostPort: '0' }] };
      return this;
    }

    withInit(): this {
      // A listener that is PID 1 ignores SIGTERM unless it handles it; docker-init passes it on,
      // so a stop is graceful and quick.
      this.hostConfig.Init = true;
      return this;
    }

    protected override async containerCreated(id: string): Promise<void> {
      created(id);
      const container = client.container.getById(id);
      const user = (await client.container.inspect(container)).Config.User ?? '';
      const passwd = user === '' || NUMERIC_USER.test(user) ? undefined : await client.container.fetchArchive(container, '/etc/passwd').then((tar) => fileFromArchive(tar, 'passwd'), () => undefined);
      const owner = resolveOwner(user, passwd);
      if ('error' in owner) throw new HarnessError(`image ${image} ${owner.error}: the kit cannot be given to that user; fix the image's USER`);
      await client.container.putArchive(container, await kitArchive(kitDir, owner), '/');
    }
  })(image);
}

/** Starts the listener image with testcontainers, the kit copied in and the WHC_* environment set,
 * waits until a handshake succeeds, and hands back a handle that stops and removes it. Every
 * container of the run carries a run label and is removed at teardown, whatever happened. */
export async function startContainerTarget(options: ContainerTargetOptions): Promise<RunningTarget> {
  const { target, teardown } = options;
  const engine = await connectEngine();
  const runId = randomUUID();
  let starting: Promise<unknown> | undefined;
  // Registered before anything is created: on an error or a signal mid-start it still finds, by
  // label, what the engine created.
  teardown.add(async () => {
    if (starting) await Promise.race([starting.catch(() => undefined), sleep(START_SETTLE_MS)]);
    await removeRunContainers(engine, runId);
  });
  if (target.build) await buildImage(engine, target.build, target.image);

  const hostNetwork = target.network === 'host';
  const listenPort = target.port ?? (hostNetwork ? await freePort(LOOPBACK) : DEFAULT_CONTAINER_PORT);
  const tail = new OutputTail();
  let containerId: string | undefined;
  let exit: TargetExit | undefined;
  const recordExit = async () => {
    const state = containerId ? await engine.client.container.inspect(engine.client.container.getById(containerId)).then((i) => i.State, () => undefined) : undefined;
    exit = { code: state?.ExitCode ?? null, signal: null, ...(state?.Error ? { error: state.Error } : {}) };
  };

  const container = listenerContainer(engine, target.image, options.kitDir, (id) => (containerId = id))
    .withLabels({ [RUN_LABEL]: runId })
    .withEnvironment({ ...target.env, ...options.contract(hostNetwork ? LOOPBACK : '0.0.0.0', listenPort) })
    // Removal is the harness's own teardown (by label), so Ryuk is neither needed nor started.
    .withAutoCleanup(false)
    .withInit()
    // Readiness is the harness's handshake probe below, the same as for a process.
    .withWaitStrategy({ waitUntilReady: async () => undefined, withStartupTimeout() { return this; }, isStartupTimeoutSet: () => false, getStartupTimeout: () => 0 })
    .withLogConsumer((stream: Readable) => {
      stream.on('data', (chunk: string | Buffer) => tail.push(chunk));
      // The log stream ends when the container stops.
      stream.once('end', () => void recordExit());
    });
  if (hostNetwork) container.withNetworkMode('host');
  else container.publishOnLoopback(listenPort);
  if (target.command) container.withCommand(target.command);
  if (options.eventsFile) {
    // The container's user is rarely this one: it may append to the file, which holds delivery ids
    // only; the kit directory around it stays private on this machine.
    await chmod(options.eventsFile, 0o666);
    container.withBindMounts([{ source: options.eventsFile, target: CONTAINER_EVENTS_FILE, mode: 'rw' }]);
  }

  let started: StartedTestContainer;
  try {
    const start = container.start();
    starting = start;
    started = await deadline(start, START_DEADLINE_MS, 'creating and starting the container (pulling its image included)');
  } catch (err) {
    if (err instanceof HarnessError) throw err;
    throw new HarnessError(
      `image ${target.image} did not start: ${firstLine(err)}; check the name (docker images), build or pull it${hostNetwork ? '' : ", or use host networking (target.network: 'host', --network host)"}`,
      tail.last(20),
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= started.stop({ timeout: options.graceMs ?? 3000, remove: true }).then(() => undefined, () => undefined));
  teardown.add(stop);

  const port = hostNetwork ? listenPort : started.getMappedPort(listenPort);
  const origin = `https://${LOOPBACK}:${port}`;
  const where = hostNetwork ? `${LOOPBACK}:${listenPort}` : `0.0.0.0:${listenPort} inside the container`;
  await awaitReadiness(await options.probe(port), {
    deadlineMs: target.readyTimeoutMs,
    exited: () => (exit ? `image ${target.image}: container ${exitText(exit)} before it was ready` : undefined),
    neverReady: (reason) =>
      `image ${target.image}: container never completed a handshake on ${origin}: ${reason}; does the listener listen on WHC_HOST:WHC_PORT (${where})? raise target.readyTimeoutMs if it starts slowly`,
    stop,
    output: () => tail.last(20),
  });
  const info: TargetInfo = { kind: 'container', description: describe(target), url: origin };
  return {
    info,
    origin,
    describeExit: () => (exit ? `container ${exitText(exit)}` : undefined),
    output: (count) => tail.last(count),
    stop,
  };
}

function exitText(exit: TargetExit): string {
  return exit.error ? `could not run (${exit.error})` : `exited with code ${exit.code ?? 'unknown'}`;
}

function describe(target: ContainerTarget): string {
  const image = target.build ? `${target.build.dockerfile} (built as ${target.image})` : target.image;
  return target.command ? `${image} ${target.command.join(' ')}` : image;
}
