import { describe, expect, it } from 'vitest';
import { awaitSuiteContext, type ProvidedSuiteContext } from '../../harness/execute/index.js';
import { awaitTarget } from '../../harness/execute/target-gate.js';
import { TargetGate } from '../../harness/run/target-gate.js';

// The two sides of a target gate, over a real BroadcastChannel (in one thread here; in a run the
// waiter is in vitest's worker thread, which the channel reaches the same way).

const ORIGIN = 'https://127.0.0.1:8443';
const later = <T>(ms: number, value: () => T | Promise<T>) => new Promise<T>((resolve, reject) => setTimeout(() => Promise.resolve().then(value).then(resolve, reject), ms));

describe('target gate', () => {
  it('a waiter that came first hears the origin once the listener is ready', async () => {
    const gate = new TargetGate();
    try {
      const waiting = awaitTarget(gate.name, 5000);
      gate.follow(later(50, () => ORIGIN));
      await expect(waiting).resolves.toBe(ORIGIN);
    } finally {
      gate.close();
    }
  });

  it('a waiter that comes after the word was given hears it again on its hello', async () => {
    const gate = new TargetGate();
    try {
      gate.follow(Promise.resolve(ORIGIN));
      await later(50, () => undefined);
      await expect(awaitTarget(gate.name, 5000)).resolves.toBe(ORIGIN);
    } finally {
      gate.close();
    }
  });

  it('a listener that never started aborts the waiter with its error', async () => {
    const gate = new TargetGate();
    try {
      const waiting = awaitTarget(gate.name, 5000);
      gate.follow(later(20, () => Promise.reject(new Error('target exited with code 3 before it was ready'))));
      await expect(waiting).rejects.toThrow(/^the listener did not start: target exited with code 3 before it was ready$/);
    } finally {
      gate.close();
    }
  });

  it('a gate nobody opens ends the wait at its deadline', async () => {
    const gate = new TargetGate();
    try {
      await expect(awaitTarget(gate.name, 100)).rejects.toThrow('the harness never said whether the listener started (100 ms)');
    } finally {
      gate.close();
    }
  });

  it('a word given after the gate closed goes nowhere and throws nothing', async () => {
    const gate = new TargetGate();
    let settle: (origin: string) => void = () => undefined;
    gate.follow(new Promise<string>((resolve) => (settle = resolve)));
    gate.close();
    settle(ORIGIN);
    await later(20, () => undefined);
    await expect(awaitTarget(gate.name, 100)).rejects.toThrow(/never said/);
  });

  it('gives the suites the whole context: the provided one with the origin, without the gate', async () => {
    const gate = new TargetGate();
    const provided: ProvidedSuiteContext = {
      scenarios: [], drills: [], kitDir: '/kit', servername: 'localhost', serverCaFile: '/kit/server-ca.pem', path: '/webhook', mtls: true,
      profile: 'standard-webhooks', signingKey: 'whsec_x', toleranceSeconds: 300, timeoutMs: 2500, strict: false, targetGate: gate.name, testTimeoutMs: 5000,
    };
    try {
      gate.follow(Promise.resolve(ORIGIN));
      const { targetGate: _gate, testTimeoutMs: _deadline, ...phase } = provided;
      await expect(awaitSuiteContext(provided)).resolves.toEqual({ ...phase, origin: ORIGIN });
    } finally {
      gate.close();
    }
  });
});
