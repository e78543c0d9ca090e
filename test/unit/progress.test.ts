import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Progress, progressMode, renderLiveLine, renderProgressLine, type ProgressOutput } from '../../harness/run/progress.js';

/** A stand-in terminal: what was written, and its width. */
class FakeTerminal implements ProgressOutput {
  text = '';
  readonly isTTY = true;
  constructor(readonly columns: number) {}
  write(text: string): void {
    this.text += text;
  }
  /** What a person sees on the last line: everything after the last carriage return, control sequences removed. */
  screen(): string {
    return (this.text.split('\r').at(-1) ?? '').replace(/\x1b\[2K/g, '');
  }
}

describe('progressMode', () => {
  it('is live only on a terminal outside CI', () => {
    expect(progressMode(true, {})).toBe('live');
    expect(progressMode(true, { CI: 'true' })).toBe('lines');
    expect(progressMode(true, { CI: '1' })).toBe('lines');
    expect(progressMode(true, { CI: 'false' })).toBe('live');
    expect(progressMode(false, {})).toBe('lines');
  });
});

describe('the rendered lines', () => {
  const state = { done: 3, ran: 3, total: 13, failures: 1, elapsedMs: 2345, last: { id: 'mtls.expired', verdict: 'fail' as const } };

  it('live: done/total, failures, elapsed and the last scenario, cut to the width', () => {
    expect(renderLiveLine(state, 120)).toBe('running 3/13  ·  1 failing  ·  2.3 s  mtls.expired fail');
    const cut = renderLiveLine(state, 20);
    expect(cut).toHaveLength(19);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('plain: one aligned line per scenario, no control characters', () => {
    expect(renderProgressLine(state)).toBe('[ 3/13] mtls.expired fail (1 failing, 2.3 s)\n');
    expect(renderProgressLine(state)).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });
});

const MTLS = { id: 'mtls.valid', layer: 'mtls', control: true };
const phase = (run: Array<{ id: string; layer: string; control?: boolean }>, skipped: string[] = [], probed = false) => ({
  profile: 'standard-webhooks',
  run,
  skipped: skipped.map((id) => ({ scenario: { id } })),
  probed,
});
const record = (id: string, verdict: 'pass' | 'warn' | 'fail', position: 'first' | 'last' | 'only' = 'only') => ({
  id,
  position,
  verdict,
  reason: '',
  webhookId: '',
  sent: [{ webhookId: 'w', judged: true, outcome: { kind: 'accepted' as const, phase: 'response' as const, detail: '', ms: 1 } }],
  outcome: { kind: 'accepted' as const, phase: 'response' as const, detail: '', ms: 1 },
});

describe('Progress', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1000;
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('on a terminal rewrites one line, ticks the elapsed time, and clears the line at the end', () => {
    const tty = new FakeTerminal(80);
    const progress = new Progress(tty, 'live', 3, now);
    progress.beginPhase(phase([MTLS, { id: 'mtls.expired', layer: 'mtls' }, { id: 'mtls.revoked-crl', layer: 'mtls' }]));
    clock += 400;
    progress.testEnded({ record: record('mtls.valid', 'pass', 'first') });
    // A control's first run is not done yet.
    expect(tty.text).toBe('');
    progress.finished('mtls.expired', 'fail', 'only');
    expect(tty.screen()).toBe('running 1/3  ·  1 failing  ·  0.4 s  mtls.expired fail');
    clock += 2000;
    vi.advanceTimersByTime(1000);
    expect(tty.screen()).toBe('running 1/3  ·  1 failing  ·  2.4 s  mtls.expired fail');
    progress.testEnded({ broken: { name: 'mtls.valid (last)', message: 'boom' } });
    expect(tty.screen()).toBe('running 2/3  ·  2 failing  ·  2.4 s  mtls.valid error');
    expect(tty.text).not.toContain('\n');
    progress.finish();
    expect(tty.text.endsWith('\r\x1b[2K')).toBe(true);
    const written = tty.text.length;
    vi.advanceTimersByTime(5000);
    progress.finish();
    expect(tty.text.length).toBe(written);
  });

  it('counts a control that failed first and last once', () => {
    const tty = new FakeTerminal(80);
    const progress = new Progress(tty, 'live', 1, now);
    progress.beginPhase(phase([{ id: 'sig.valid', layer: 'sig', control: true }]));
    progress.finished('sig.valid', 'fail', 'first');
    progress.finished('sig.valid', 'fail', 'last');
    expect(progress.snapshot()).toMatchObject({ done: 1, failures: 1 });
    progress.finish();
  });

  it('elsewhere writes a plain line per finished scenario and nothing else', () => {
    let text = '';
    const progress = new Progress({ write: (t) => void (text += t) }, 'lines', 2, now);
    progress.beginPhase(phase([{ id: 'sig.valid', layer: 'sig', control: true }, { id: 'sig.wrong-secret', layer: 'sig' }]));
    progress.finished('sig.valid', 'pass', 'first');
    progress.finished('sig.wrong-secret', 'pass', 'only');
    clock += 1500;
    progress.finished('sig.valid', 'pass', 'last');
    vi.advanceTimersByTime(5000);
    progress.finish();
    // The negative waits for its control: until then, a failing control could make it inconclusive.
    expect(text).toBe('[1/2] sig.valid pass (0 failing, 1.5 s)\n[2/2] sig.wrong-secret pass (0 failing, 1.5 s)\n');
  });

  it('counts skipped scenarios from the first line: the total is the summary\'s', () => {
    let text = '';
    const progress = new Progress({ write: (t) => void (text += t) }, 'lines', 3, now);
    progress.beginPhase(phase([{ id: 'mtls.expired', layer: 'mtls' }], ['mtls.revoked-ocsp', 'sig.replayed-delivery']));
    progress.finished('mtls.expired', 'pass', 'only');
    expect(text.split('\n').filter(Boolean)).toEqual([
      '[1/3] mtls.revoked-ocsp skip (0 failing, 0.0 s)',
      '[2/3] sig.replayed-delivery skip (0 failing, 0.0 s)',
      '[3/3] mtls.expired pass (0 failing, 0.0 s)',
    ]);
  });

  it('shows a rejection as inconclusive when its control failed, first run or last', () => {
    for (const failedRun of ['first', 'last'] as const) {
      let text = '';
      const progress = new Progress({ write: (t) => void (text += t) }, 'lines', 3, now);
      progress.beginPhase(phase([MTLS, { id: 'mtls.expired', layer: 'mtls' }, { id: 'mtls.revoked-crl', layer: 'mtls' }]));
      progress.finished('mtls.valid', failedRun === 'first' ? 'fail' : 'pass', 'first');
      progress.finished('mtls.expired', 'pass', 'only');
      progress.finished('mtls.revoked-crl', 'fail', 'only');
      progress.finished('mtls.valid', failedRun === 'last' ? 'fail' : 'pass', 'last');
      const shown = text.split('\n').filter(Boolean).map((line) => line.replace(/^\[\d\/3\] /, '').replace(/ \(.*$/, ''));
      expect([failedRun, shown.sort()]).toEqual([failedRun, ['mtls.expired inconclusive', 'mtls.revoked-crl fail', 'mtls.valid fail']]);
    }
  });

  // The events file is read when the run ends: until then, what it may change is not shown.
  it('with the events file, shows a verdict it may change only when the run is settled, from the report', () => {
    let text = '';
    const progress = new Progress({ write: (t) => void (text += t) }, 'lines', 3, now);
    progress.beginPhase(phase([{ id: 'sig.valid', layer: 'sig', control: true }, { id: 'sig.replayed-delivery', layer: 'sig' }, { id: 'sig.wrong-secret', layer: 'sig' }], [], true));
    progress.testEnded({ record: record('sig.valid', 'pass', 'first') });
    progress.testEnded({ record: record('sig.replayed-delivery', 'warn') });
    progress.testEnded({ record: record('sig.wrong-secret', 'fail') });
    progress.testEnded({ record: record('sig.valid', 'pass', 'last') });
    expect(text).toBe('[1/3] sig.wrong-secret fail (1 failing, 0.0 s)\n');
    expect(progress.snapshot()).toMatchObject({ ran: 3, done: 1 });
    progress.settle([
      { id: 'sig.valid', profile: 'standard-webhooks', verdict: 'pass' },
      { id: 'sig.replayed-delivery', profile: 'standard-webhooks', verdict: 'pass' },
      { id: 'sig.wrong-secret', profile: 'standard-webhooks', verdict: 'fail' },
    ]);
    expect(text.split('\n').slice(1, 3)).toEqual(['[2/3] sig.valid pass (1 failing, 0.0 s)', '[3/3] sig.replayed-delivery pass (1 failing, 0.0 s)']);
  });
});
