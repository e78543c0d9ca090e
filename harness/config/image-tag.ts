import { createHash } from 'node:crypto';
import { basename } from 'node:path';

export interface ImageBuild {
  /** The build context directory (absolute). */
  context: string;
  /** The Dockerfile (absolute), inside the context. */
  dockerfile: string;
}

/**
 * The tag a Dockerfile target is built as: stable for the same context and Dockerfile, so the
 * next run reuses the image and the engine's layer cache. Pure.
 */
export function imageTagFor(build: ImageBuild): string {
  const name = basename(build.context).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'listener';
  const hash = createHash('sha256').update(`${build.context}\0${build.dockerfile}`).digest('hex').slice(0, 12);
  return `wh-conformance/${name}:${hash}`;
}
