import { describe, expect, it } from 'vitest';
import { guardRun, STOPPED_EXIT_CODES } from '../../harness/run/run-guard.js';
import { Teardown } from '../../harness/teardown.js';

describe('guardRun', () => {
  it('past the run deadline, tears down, then exits 2 with one line saying why', async () => {
    const teardown = new Teardown();
    const order: string[] = [];
    teardown.add(() => order.push('teardown'));
    const written: string[] = [];
    const exited = new Promise<number>((resolve) => {
      const release = guardRun({ teardown, write: (text) => written.push(text), runTimeoutMs: 20, exit: (code) => (order.push('exit'), release(), resolve(code)) });
    });
    expect(await exited).toBe(STOPPED_EXIT_CODES.deadline);
    expect(order).toEqual(['teardown', 'exit']);
    expect(written.join('')).toBe('\nthe run did not finish within its deadline of 20 ms (--run-timeout): stopping the target and removing the kit\n');
  });

  it('a teardown that hangs is cut at its deadline, and the run says so before it exits', async () => {
    const teardown = new Teardown();
    teardown.add(() => new Promise<void>(() => undefined));
    const written: string[] = [];
    const exited = new Promise<number>((resolve) => {
      const release = guardRun({ teardown, write: (text) => written.push(text), runTimeoutMs: 10, teardownDeadlineMs: 30, exit: (code) => (release(), resolve(code)) });
    });
    expect(await exited).toBe(STOPPED_EXIT_CODES.deadline);
    expect(written.at(-1)).toBe('the teardown did not finish within 30 ms: what the run started may still run, and its kit may be left in the temporary directory\n');
  });

  it('released, it no longer listens for signals nor keeps its deadline', async () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    let exits = 0;
    const release = guardRun({ teardown: new Teardown(), write: () => undefined, runTimeoutMs: 10, exit: () => (exits += 1) });
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before.map((n) => n + 1));
    release();
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exits).toBe(0);
  });
});
