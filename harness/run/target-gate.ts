import { BroadcastChannel } from 'node:worker_threads';
import type { GateMessage } from '../execute/index.js';

let gates = 0;

/**
 * The harness's side of a target gate (execute/target-gate.ts): tells a suite file, already running
 * in vitest's worker, the origin of the listener once it is ready, or that it will never be.
 */
export class TargetGate {
  readonly name = `whc-target-${process.pid}-${++gates}`;
  private readonly channel = new BroadcastChannel(this.name);
  private word: GateMessage | undefined;
  private closed = false;

  constructor() {
    // A worker that says hello after the word was given hears it again.
    this.channel.onmessage = (event) => {
      if ((event as { data: GateMessage }).data.kind === 'hello' && this.word) this.channel.postMessage(this.word);
    };
  }

  /** Opens the gate once `origin` settles: with its value, or aborted with its error's message. */
  follow(origin: Promise<string>): void {
    origin.then(
      (value) => this.say({ kind: 'open', origin: value }),
      (err: unknown) => this.abort(`the listener did not start: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  /** Tells the suite file the listener will never be ready (the run is stopping): its tests end
   * at once, so vitest can close. The first word stands. */
  abort(reason: string): void {
    this.say({ kind: 'abort', reason });
  }

  /** After the suite file ended; a word given later (a stop closed vitest first) goes nowhere. */
  close(): void {
    this.closed = true;
    this.channel.close();
  }

  private say(word: GateMessage): void {
    this.word ??= word;
    if (!this.closed) this.channel.postMessage(this.word);
  }
}
