import { StringDecoder } from 'node:string_decoder';

interface StreamState {
  decoder: StringDecoder;
  partial: string;
}

/** Keeps the last lines a target printed, for error messages and the report. Each stream (stdout,
 * stderr) is decoded and split on its own, so a character or line cut across chunks stays whole. */
export class OutputTail {
  private readonly lines: string[] = [];
  private readonly streams = new Map<string, StreamState>();

  constructor(private readonly max = 200) {}

  push(chunk: Buffer | string, stream = 'stdout'): void {
    let state = this.streams.get(stream);
    if (!state) {
      state = { decoder: new StringDecoder('utf8'), partial: '' };
      this.streams.set(stream, state);
    }
    const text = typeof chunk === 'string' ? chunk : state.decoder.write(chunk);
    const parts = (state.partial + text).split(/\r?\n/);
    state.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
  }

  private add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }

  /** The last `count` lines, unterminated ones included. */
  last(count = this.max): string[] {
    const partials = [...this.streams.values()].map((s) => s.partial).filter((p) => p !== '');
    return [...this.lines, ...partials].slice(-count);
  }
}
