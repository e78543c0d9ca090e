/** Steps that undo what a run set up, run last-in first-out, once, whatever happened. */
export class Teardown {
  private readonly steps: Array<() => Promise<unknown> | unknown> = [];
  private running: Promise<void> | undefined;

  add(step: () => Promise<unknown> | unknown): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
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
