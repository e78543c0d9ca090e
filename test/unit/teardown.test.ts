import { describe, expect, it } from 'vitest';
import { Teardown } from '../../harness/teardown.js';

describe('Teardown', () => {
  it('runs steps last-in first-out, awaiting each', async () => {
    const order: string[] = [];
    const teardown = new Teardown();
    teardown.add(() => order.push('kit'));
    teardown.add(async () => {
      await Promise.resolve();
      order.push('responder');
    });
    teardown.add(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      order.push('target');
    });
    await teardown.run();
    expect(order).toEqual(['target', 'responder', 'kit']);
  });

  it('runs a step added with addFirst before all others, whenever it was added', async () => {
    const order: string[] = [];
    const teardown = new Teardown();
    teardown.add(() => order.push('kit'));
    teardown.addFirst(() => order.push('progress'));
    teardown.add(() => order.push('target'));
    await teardown.run();
    expect(order).toEqual(['progress', 'target', 'kit']);
  });

  it('runs once even if called twice concurrently, and again later', async () => {
    const calls: string[] = [];
    const teardown = new Teardown();
    teardown.add(() => calls.push('a'));
    teardown.add(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      calls.push('b');
    });
    const first = teardown.run();
    const second = teardown.run();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await teardown.run();
    expect(calls).toEqual(['b', 'a']);
  });

  it('a throwing or rejecting step does not stop the rest, and run() resolves', async () => {
    const calls: string[] = [];
    const teardown = new Teardown();
    teardown.add(() => calls.push('first added'));
    teardown.add(() => {
      throw new Error('sync failure');
    });
    teardown.add(() => Promise.reject(new Error('async failure')));
    teardown.add(() => calls.push('last added'));
    await expect(teardown.run()).resolves.toBeUndefined();
    expect(calls).toEqual(['last added', 'first added']);
  });

  it('with no steps resolves', async () => {
    await expect(new Teardown().run()).resolves.toBeUndefined();
  });
});
