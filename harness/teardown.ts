/** Steps that undo what a run set up, run last-in first-out, once, whatever happened. */
export class Teardown {
  private readonly steps: Array<() => Promise<unknown> | unknown> = [];
  private readonly firsts: Array<() => Promise<unknown> | unknown> = [];
  private running: Promise<void> | undefined;

  add(step: () => Promise<unknown> | unknown): void {
    this.steps.push(step);
  }

  /** A step that runs before every other, whenever it was added (closing the progress line). */
  addFirst(step: () => Promise<unknown> | unknown): void {
    this.firsts.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      this.steps.push(...this.firsts.splice(0));
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        try {
          await step();
        } catch {
          // a failed step must not keep the others from running
        }
      }
    })();
    return this.running;
  }
}
