import type { BrokenTest, RunPosition, ScenarioRecord, VerdictKind } from '../model.js';
import { FAILING_VERDICTS } from '../vocabulary.js';
import { sideEffectsMayChange } from '../judge/index.js';

/** `live`: one line rewritten in place, on a terminal. `lines`: a plain line per finished scenario,
 * no control characters, for CI logs and pipes. */
export type ProgressMode = 'live' | 'lines';

export interface ProgressState {
  /** Scenarios whose verdict is shown. */
  done: number;
  /** Scenarios that have run, their verdict shown or not yet final. */
  ran: number;
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
  const line = `running ${state.ran}/${state.total}  ·  ${failing(state.failures)}  ·  ${seconds(state.elapsedMs)}${last}`;
  return line.length < width ? line : `${line.slice(0, Math.max(0, width - 2))}…`;
}

/** One plain line for a finished scenario. Pure. */
export function renderProgressLine(state: ProgressState): string {
  const pad = String(state.total).length;
  const what = state.last ? ` ${state.last.id} ${state.last.verdict}` : '';
  return `[${String(state.done).padStart(pad)}/${state.total}]${what} (${failing(state.failures)}, ${seconds(state.elapsedMs)})\n`;
}

/** A phase's scenarios as progress needs them. */
export interface ProgressPhase {
  profile: string | null;
  run: ReadonlyArray<{ id: string; layer: string; control?: boolean }>;
  skipped: ReadonlyArray<{ scenario: { id: string } }>;
  /** The events file is read at the end of the run and may still change verdicts (capability events-file). */
  probed: boolean;
}

interface ControlState {
  id: string;
  first?: VerdictKind;
  /** Both runs combined, once the last has ended: the first that did not pass. */
  final?: VerdictKind;
  /** The events file may still change the control's verdict. */
  awaitsEvents?: boolean;
}

interface Held {
  id: string;
  verdict: VerdictKind;
  layer: string | undefined;
  awaitsEvents: boolean;
}

/** Verdicts nothing after the scenario can change: neither the control rule nor the events file. */
const SETTLED: readonly VerdictKind[] = ['fail', 'error'];

/**
 * Counts finished scenarios and failures while the suites run and shows them. It shows a verdict
 * only once it is the one the report will give: `fail` and `error` at once; a negative's `pass` or
 * `warn` once its layer's control has run its last time (a failed control makes it
 * `inconclusive`); a verdict the events file may change (capability events-file) when the run ends
 * (`settle`), from the report itself. Skipped scenarios count from the start, so the total is that
 * of the summary.
 */
export class Progress {
  private readonly state: ProgressState;
  private readonly startedAt: number;
  private ticker: NodeJS.Timeout | undefined;
  private ended = false;
  private readonly printed = new Set<string>();
  private profile: string | null = null;
  private probed = false;
  private layers = new Map<string, string>();
  private controls = new Map<string, ControlState>();
  private held: Held[] = [];

  constructor(
    private readonly out: ProgressOutput,
    private readonly mode: ProgressMode,
    total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.state = { done: 0, ran: 0, total, failures: 0, elapsedMs: 0 };
    if (mode === 'live') {
      // The elapsed time moves on while a slow scenario waits for its deadline.
      this.ticker = setInterval(() => this.draw(), TICK_MS);
      this.ticker.unref();
    }
  }

  /** A phase begins: its skipped scenarios are done, its controls are watched. */
  beginPhase(phase: ProgressPhase): void {
    this.profile = phase.profile;
    this.probed = phase.probed;
    this.layers = new Map(phase.run.map((s) => [s.id, s.layer]));
    this.controls = new Map(phase.run.filter((s) => s.control).map((s) => [s.layer, { id: s.id }]));
    for (const { scenario } of phase.skipped) {
      this.state.ran += 1;
      this.show(scenario.id, 'skip');
    }
  }

  /** One scenario test ended. `awaitsEvents`: the events file may still change its verdict. */
  finished(id: string, verdict: VerdictKind, position: RunPosition, awaitsEvents = false): void {
    if (position !== 'first') this.state.ran += 1;
    const layer = this.layers.get(id);
    const control = layer === undefined ? undefined : this.controls.get(layer);
    if (control?.id === id) {
      if (position === 'first') {
        control.first = verdict;
        // A failed first run fails the control whatever its last run does.
        if (verdict !== 'pass') this.release(layer);
        return;
      }
      control.final = control.first !== undefined && control.first !== 'pass' ? control.first : verdict;
      control.awaitsEvents = awaitsEvents && this.probed && !SETTLED.includes(control.final);
      if (!control.awaitsEvents) this.show(id, control.final);
      this.release(layer);
      return;
    }
    this.judge({ id, verdict, layer, awaitsEvents: awaitsEvents && this.probed });
  }

  /** What the collector hears when a scenario test ends. A test that broke is named `id` or
   * `id (first|last)` and counts as an error. */
  testEnded(ended: { record: ScenarioRecord } | { broken: BrokenTest }): void {
    if ('record' in ended) {
      const { record } = ended;
      this.finished(record.id, record.verdict, record.position, sideEffectsMayChange(record));
      return;
    }
    const match = /^(.*) \((first|last)\)$/.exec(ended.broken.name);
    const position: RunPosition = match?.[2] === 'first' ? 'first' : match?.[2] === 'last' ? 'last' : 'only';
    this.finished(match?.[1] ?? ended.broken.name, 'error', position);
  }

  /** The run's results are final: every scenario not shown yet is shown with the report's verdict. */
  settle(results: ReadonlyArray<{ id: string; profile?: string | null; verdict: VerdictKind }>): void {
    this.held = [];
    this.state.ran = this.state.total;
    for (const r of results) this.show(r.id, r.verdict, r.profile ?? null);
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

  private judge(entry: Held): void {
    if (SETTLED.includes(entry.verdict)) {
      this.show(entry.id, entry.verdict);
      return;
    }
    const control = entry.layer === undefined ? undefined : this.controls.get(entry.layer);
    const failed = control !== undefined && ((control.first !== undefined && control.first !== 'pass') || (control.final !== undefined && control.final !== 'pass'));
    const ruled = entry.verdict === 'pass' || entry.verdict === 'warn';
    // Until the control is judged, a rejection may yet prove nothing.
    if (ruled && control && !failed && (control.final === undefined || control.awaitsEvents)) {
      this.held.push(entry);
      return;
    }
    if (entry.awaitsEvents) return; // shown by settle()
    this.show(entry.id, ruled && failed ? 'inconclusive' : entry.verdict);
  }

  private release(layer: string | undefined): void {
    const waiting = this.held.filter((h) => h.layer === layer);
    this.held = this.held.filter((h) => h.layer !== layer);
    for (const entry of waiting) this.judge(entry);
  }

  private show(id: string, verdict: VerdictKind, profile = this.profile): void {
    const key = `${profile ?? ''}\0${id}`;
    if (this.printed.has(key)) return;
    this.printed.add(key);
    this.state.done += 1;
    if (FAILING_VERDICTS.includes(verdict)) this.state.failures += 1;
    this.state.last = { id, verdict };
    if (this.mode === 'lines') this.out.write(renderProgressLine(this.snapshot()));
    else this.draw();
  }

  private draw(): void {
    this.out.write(CLEAR_LINE + renderLiveLine(this.snapshot(), this.out.columns ?? 80));
  }
}
