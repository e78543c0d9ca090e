import type { BrokenTest, RunPosition, ScenarioRecord, VerdictKind } from '../model.js';
import { FAILING_VERDICTS } from '../vocabulary.js';

/** `live`: one line rewritten in place, on a terminal. `lines`: a plain line per finished scenario,
 * no control characters, for CI logs and pipes. */
export type ProgressMode = 'live' | 'lines';

export interface ProgressState {
  done: number;
  total: number;
  failures: number;
  elapsedMs: number;
  /** The scenario that finished last, with its verdict. */
  last?: { id: string; verdict: VerdictKind };
}

/** Where progress goes: a terminal or any stream. */
export interface ProgressOutput {
  write(text: string): void;
  columns?: number;
}

const CLEAR_LINE = '\r\x1b[2K';
const TICK_MS = 1000;

/** A live line on a terminal outside CI; plain lines everywhere else. */
export function progressMode(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): ProgressMode {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return isTTY && !ci ? 'live' : 'lines';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function failing(n: number): string {
  return `${n} failing`;
}

/** The live line's text, without control characters, cut to `width` columns. Pure. */
export function renderLiveLine(state: ProgressState, width: number): string {
  const last = state.last ? `  ${state.last.id} ${state.last.verdict}` : '';
  const line = `running ${state.done}/${state.total}  ·  ${failing(state.failures)}  ·  ${seconds(state.elapsedMs)}${last}`;
  return line.length < width ? line : `${line.slice(0, Math.max(0, width - 2))}…`;
}

/** One plain line for a finished scenario. Pure. */
export function renderProgressLine(state: ProgressState): string {
  const pad = String(state.total).length;
  const what = state.last ? ` ${state.last.id} ${state.last.verdict}` : '';
  return `[${String(state.done).padStart(pad)}/${state.total}]${what} (${failing(state.failures)}, ${seconds(state.elapsedMs)})\n`;
}

/** Counts finished scenarios and failures while the suites run and shows them. A control runs
 * first and last: it is done after its last run. */
export class Progress {
  private readonly state: ProgressState;
  private readonly startedAt: number;
  private ticker: NodeJS.Timeout | undefined;
  private readonly failedFirstRun = new Set<string>();
  private ended = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly mode: ProgressMode,
    total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.state = { done: 0, total, failures: 0, elapsedMs: 0 };
    if (mode === 'live') {
      // The elapsed time moves on while a slow scenario waits for its deadline.
      this.ticker = setInterval(() => this.draw(), TICK_MS);
      this.ticker.unref();
    }
  }

  /** One scenario test ended. */
  finished(id: string, verdict: VerdictKind, position: RunPosition): void {
    // A control that failed its first run is counted once, not again after its last.
    const counted = this.failedFirstRun.delete(id) && position === 'last';
    if (FAILING_VERDICTS.includes(verdict) && !counted) this.state.failures += 1;
    if (position === 'first') {
      if (FAILING_VERDICTS.includes(verdict)) this.failedFirstRun.add(id);
      return;
    }
    this.state.done += 1;
    this.state.last = { id, verdict };
    if (this.mode === 'lines') this.out.write(renderProgressLine(this.snapshot()));
    else this.draw();
  }

  /** What the collector hears when a scenario test ends. A test that broke is named `id` or
   * `id (first|last)` and counts as an error. */
  testEnded(ended: { record: ScenarioRecord } | { broken: BrokenTest }): void {
    if ('record' in ended) {
      this.finished(ended.record.id, ended.record.verdict, ended.record.position);
      return;
    }
    const match = /^(.*) \((first|last)\)$/.exec(ended.broken.name);
    const position: RunPosition = match?.[2] === 'first' ? 'first' : match?.[2] === 'last' ? 'last' : 'only';
    this.finished(match?.[1] ?? ended.broken.name, 'error', position);
  }

  /** Stops the ticker and clears the live line, so the report starts on a clean line. */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.ticker);
    if (this.mode === 'live') this.out.write(CLEAR_LINE);
  }

  snapshot(): ProgressState {
    return { ...this.state, elapsedMs: this.now() - this.startedAt };
  }

  private draw(): void {
    this.out.write(CLEAR_LINE + renderLiveLine(this.snapshot(), this.out.columns ?? 80));
  }
}
