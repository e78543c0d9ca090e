import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import type { ImageBuild } from '../config/index.js';
import { HarnessError } from '../errors.js';
import { deadline, type Engine } from './container-runtime.js';
import { OutputTail } from './output-tail.js';

/** One line of the engine's build progress. */
interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** A first build of a real listener image can take minutes; a hung one must not hold CI forever. */
const BUILD_DEADLINE_MS = 15 * 60_000;

/** Every file of the context, relative to it; the engine client leaves out what .dockerignore names. */
async function contextFiles(context: string): Promise<string[]> {
  const entries = await readdir(context, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => relative(context, `${e.parentPath}/${e.name}`));
}

/** Builds the Dockerfile as `tag` on the engine testcontainers reached. The build's own error and
 * last output lines explain a failure. */
export async function buildImage(engine: Engine, build: ImageBuild, tag: string): Promise<void> {
  if (!existsSync(build.dockerfile)) throw new HarnessError(`Dockerfile ${build.dockerfile} does not exist: fix target.dockerfile`);
  if (!existsSync(build.context)) throw new HarnessError(`build context ${build.context} does not exist: fix target.context`);
  const inContext = relative(build.context, build.dockerfile);
  if (inContext.startsWith('..') || isAbsolute(inContext)) {
    throw new HarnessError(`Dockerfile ${build.dockerfile} is outside the build context ${build.context}: move it into the context or fix target.context`);
  }
  const { dockerode } = engine.client.container;
  const tail = new OutputTail(40);
  const fail = (reason: string) => new HarnessError(`building ${build.dockerfile} as ${tag} failed: ${reason}; fix the Dockerfile (docker build -f ${build.dockerfile} ${build.context} shows the same)`, tail.last(20));
  const reason = (err: unknown) => (err instanceof HarnessError ? err : fail(err instanceof Error ? err.message : String(err)));
  const progress = await dockerode.buildImage({ context: build.context, src: await contextFiles(build.context) }, { t: tag, dockerfile: inContext }).catch((err: unknown) => {
    throw reason(err);
  });
  const built = new Promise<void>((resolve, reject) => {
    dockerode.modem.followProgress(
      progress,
      (error) => (error ? reject(fail(error.message)) : resolve()),
      (event: BuildEvent) => {
        if (event.stream) tail.push(event.stream);
        if (event.error) reject(fail(event.errorDetail?.message ?? event.error));
      },
    );
  });
  await deadline(built, BUILD_DEADLINE_MS, 'the build').catch((err: unknown) => {
    throw reason(err);
  });
}
