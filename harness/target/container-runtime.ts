import { connect } from 'node:net';
import type { ContainerRuntimeClient } from 'testcontainers';
import { HarnessError } from '../errors.js';

/** testcontainers, loaded only when a run has a container target: other runs do not pay for it. */
export type Testcontainers = typeof import('testcontainers');

export interface Engine {
  tc: Testcontainers;
  client: ContainerRuntimeClient;
}

/** The label every container of a run carries: `docker ps -a --filter label=wh-conformance.run`. */
export const RUN_LABEL = 'wh-conformance.run';
const DEFAULT_SOCKET = '/var/run/docker.sock';
const CONNECT_DEADLINE_MS = 15_000;
const SOCKET_CHECK_MS = 2_000;

/** `work`, or a rejection saying what took too long. */
export function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Why a unix socket cannot be connected to, in words a person can act on; undefined if it can. */
function socketProblem(path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const done = (text: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    const timer = setTimeout(() => done(`did not accept a connection within ${SOCKET_CHECK_MS} ms`), SOCKET_CHECK_MS);
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') done('does not exist');
      else if (err.code === 'EACCES') done('is not accessible to this user (EACCES): run as a member of the docker group');
      else if (err.code === 'ECONNREFUSED') done('refuses connections (ECONNREFUSED): the engine behind it is not running');
      else done(`cannot be opened (${err.code ?? err.message})`);
    });
  });
}

/** The unix socket DOCKER_HOST names (or the default one when it is unset); undefined for tcp:// and others. */
const socketOf = (dockerHost: string | undefined) => (dockerHost === undefined ? DEFAULT_SOCKET : dockerHost.startsWith('unix://') ? dockerHost.slice('unix://'.length) : undefined);

/** One line naming what was probed (DOCKER_HOST, the socket), what was found and how to fix it. */
export function describeMissingEngine(dockerHost: string | undefined, socket: string | undefined, problem: string): string {
  const fix = 'start a Docker engine (dockerd, Docker Desktop, or Podman with its Docker socket), or set DOCKER_HOST to its socket, e.g. unix:///var/run/docker.sock';
  const host = dockerHost === undefined ? 'DOCKER_HOST (unset)' : `DOCKER_HOST=${dockerHost}`;
  const found = socket === undefined ? `, which ${problem}` : ` and the socket ${socket}, which ${problem}`;
  return `no container engine for the image target: probed ${host}${found}; ${fix}`;
}

/** testcontainers and a working client, or a HarnessError that explains why there is none. */
export async function connectEngine(): Promise<Engine> {
  // The harness only ever connects to loopback, so the host testcontainers would work out for
  // mapped ports (a network gateway, when it runs in a container itself) is never used; resolving
  // it fails on engines without the default bridge network.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
  const dockerHost = process.env.DOCKER_HOST;
  const socket = socketOf(dockerHost);
  // DOCKER_HOST names the engine to use: testcontainers would silently fall back to another one.
  const problem = dockerHost !== undefined && socket !== undefined ? await socketProblem(socket) : undefined;
  if (problem) throw new HarnessError(describeMissingEngine(dockerHost, socket, problem));
  const tc = await import('testcontainers');
  try {
    return { tc, client: await deadline(tc.getContainerRuntimeClient(), CONNECT_DEADLINE_MS, 'reaching the container engine') };
  } catch (err) {
    const cause = err instanceof Error ? err.message : String(err);
    const found = (socket && (await socketProblem(socket))) ?? `did not answer as a container engine (${cause})`;
    throw new HarnessError(describeMissingEngine(dockerHost, socket, found));
  }
}

/** Force-removes every container of the run, whatever state it is in. Never rejects. */
export async function removeRunContainers(engine: Engine, runId: string): Promise<void> {
  const { dockerode } = engine.client.container;
  try {
    const containers = await dockerode.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } });
    await Promise.all(containers.map((c) => dockerode.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  } catch {
    // the engine went away: there is nothing left to reach
  }
}
