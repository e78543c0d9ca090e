import { LINE_CUT_MARK } from '../kit/index.js';
/** Where a line too long to keep was cut: the cut line ends with it, then the count of bytes dropped. */
const cutMark = (dropped: number) => `${LINE_CUT_MARK}${dropped} more bytes]`;
const NEWLINE = 0x0a;

interface StreamState {
  kept: Buffer[];
  keptBytes: number;
  /** Bytes of the current line beyond `maxLineBytes`, counted and dropped. */
  dropped: number;
}

/** Keeps the last lines a target printed, for error messages and the report, in bounded memory
 * and linear time whatever it prints: at most `maxLines` lines of at most `maxLineBytes` bytes
 * each (a longer line keeps its start and ends with a mark saying how much was cut). Each stream
 * (stdout, stderr) is split on its own, on bytes: a newline byte never occurs inside a UTF-8
 * character, so a character cut across chunks stays whole. */
export class OutputTail {
  private lines: string[] = [];
  private readonly streams = new Map<string, StreamState>();

  constructor(
    private readonly maxLines = 200,
    private readonly maxLineBytes = 1024,
  ) {}

  push(chunk: Buffer | string, stream = 'stdout'): void {
    let state = this.streams.get(stream);
    if (!state) {
      state = { kept: [], keptBytes: 0, dropped: 0 };
      this.streams.set(stream, state);
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE, start); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      this.keep(state, bytes, start, end);
      this.add(render(state));
      state.kept = [];
      state.keptBytes = 0;
      state.dropped = 0;
      start = end + 1;
    }
    this.keep(state, bytes, start, bytes.length);
  }

  private keep(state: StreamState, bytes: Buffer, from: number, to: number): void {
    const take = Math.max(0, Math.min(this.maxLineBytes - state.keptBytes, to - from));
    // A copy: a slice would keep the whole chunk it came from alive.
    if (take > 0) state.kept.push(Buffer.from(bytes.subarray(from, from + take)));
    state.keptBytes += take;
    state.dropped += to - from - take;
  }

  private add(line: string): void {
    this.lines.push(line);
    // Trimmed in batches, so that many short lines cost linear time.
    if (this.lines.length > 2 * this.maxLines) this.lines = this.lines.slice(-this.maxLines);
  }

  /** The last `count` lines, unterminated ones included. */
  last(count = this.maxLines): string[] {
    const partials = [...this.streams.values()].filter((s) => s.keptBytes + s.dropped > 0).map(render);
    return [...this.lines.slice(-Math.min(count, this.maxLines)), ...partials].slice(-count);
  }
}

function render(state: StreamState): string {
  let text = Buffer.concat(state.kept).toString('utf8');
  if (state.dropped === 0) return text.endsWith('\r') ? text.slice(0, -1) : text;
  // The cut may have split a character: its start decodes as U+FFFD.
  text = text.replace(/\uFFFD+$/, '');
  return `${text}${cutMark(state.dropped)}`;
}
