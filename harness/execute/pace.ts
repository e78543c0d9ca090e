/** How a run's deliveries pace themselves against one listener. */
export interface PaceSettings {
  /** Deliveries in flight at first: one per layer, whose controls open the run side by side. */
  start: number;
  /** Never more than this many at once. */
  max: number;
  /** Below this width each fast delivery widens by one (slow start); from it, a full width of them
   * does. The smallest accept queues hold 5 (Python's socketserver), which the fast ramp must not
   * overrun: a connect beyond the queue stalls a whole second. */
  slowStartUntil: number;
  /** A connection this slow to set up stalled: a connect whose SYN the listener's full accept
   * queue dropped is retried by the kernel after a second. */
  stallMs: number;
  /** Slack over the fastest delivery seen under which one still counts as fast. */
  slackMs: number;
}

export const PACE: PaceSettings = { start: 3, max: 16, slowStartUntil: 5, stallMs: 800, slackMs: 25 };

/** Deliveries in flight to one listener, adapted to it: starts low, widens by one per fast delivery
 * up to slowStartUntil and then by one per full width of them (fast: set up as fast as the fastest
 * seen, the listener serves them side by side), narrows by one on a delivery that queued (it serves
 * one at a time; the fast ramp ends there for good), halves on a stall and never widens to the
 * width that stalled again. A listener with a small accept queue is thus sent what it can take,
 * and a concurrent one soon gets the full width. */
export class Pace {
  private width: number;
  private ceiling: number;
  private active = 0;
  private fastest = Number.POSITIVE_INFINITY;
  /** Fast deliveries since the width last changed. */
  private fastRun = 0;
  /** Until the first delivery that queued or stalled, fast ones widen quickly (slowStartUntil). */
  private slowStart = true;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly settings: PaceSettings = PACE) {
    this.width = settings.start;
    this.ceiling = settings.max;
  }

  /** How many may be in flight now. */
  get limit(): number {
    return this.width;
  }

  /** Waits for a slot; the returned function gives it back, with how long the delivery took. */
  async acquire(): Promise<(tookMs: number | undefined) => void> {
    if (this.active < this.width) this.active += 1;
    // The slot is handed over by release(): the count already includes it.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return (tookMs) => {
      if (released) return;
      released = true;
      this.active -= 1;
      if (tookMs !== undefined) this.observe(tookMs);
      this.handOver();
    };
  }

  private observe(ms: number): void {
    const { stallMs, slackMs, max, slowStartUntil } = this.settings;
    if (ms >= stallMs) {
      this.slowStart = false;
      this.ceiling = Math.max(1, Math.min(this.ceiling, this.width - 1));
      this.resize(Math.floor(this.width / 2));
      return;
    }
    this.fastest = Math.min(this.fastest, ms);
    if (ms > 2 * this.fastest + slackMs) {
      this.slowStart = false;
      this.resize(this.width - 1);
    } else if ((this.slowStart && this.width < slowStartUntil) || ++this.fastRun >= this.width) this.resize(Math.min(this.ceiling, max, this.width + 1));
  }

  private resize(width: number): void {
    this.width = Math.max(1, width);
    this.fastRun = 0;
  }

  private handOver(): void {
    while (this.active < this.width) {
      const next = this.waiting.shift();
      if (!next) return;
      this.active += 1;
      next();
    }
  }
}

const paces = new Map<string, Pace>();

/** The pace of deliveries to `origin`, shared by the layers of a run in this worker. */
export function paceFor(origin: string): Pace {
  let pace = paces.get(origin);
  if (!pace) {
    pace = new Pace();
    paces.set(origin, pace);
  }
  return pace;
}

/** The slowest connection set-up of a scenario's deliveries (a delivery that never connected counts
 * with its whole time), or undefined when it sent none. The set-up is what a full accept queue
 * slows; a listener slow to answer is not one that must be sent less at once. */
export function slowestMs(sent: ReadonlyArray<{ outcome: { ms: number; connectMs?: number } }>): number | undefined {
  return sent.length === 0 ? undefined : Math.max(...sent.map((d) => d.outcome.connectMs ?? d.outcome.ms));
}
