import { beforeAll } from 'vitest';
import { awaitSuiteContext, type ProvidedSuiteContext, type SuiteContext } from '../harness/execute/index.js';

/** The phase's whole context, for the tests of a suite file: the file is collected while the
 * listener starts, and its first test waits (beforeAll) until the listener is ready. */
export function contextWhenReady(provided: ProvidedSuiteContext): () => SuiteContext {
  let ready: SuiteContext | undefined;
  beforeAll(async () => {
    ready = await awaitSuiteContext(provided);
  }, provided.testTimeoutMs);
  return () => {
    if (!ready) throw new Error('a scenario ran before its listener was ready');
    return ready;
  };
}
