import { describe, expect, it } from 'vitest';
import { Pace, type PaceSettings } from '../../harness/execute/pace.js';

const SETTINGS: PaceSettings = { start: 2, max: 6, slowStartUntil: 2, stallMs: 800, slackMs: 5 };

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Takes `count` slots at once: those granted now, and how many still wait. */
async function take(pace: Pace, count: number) {
  const granted: Array<(ms: number | undefined) => void> = [];
  const all = Array.from({ length: count }, () => pace.acquire().then((release) => granted.push(release)));
  await settle();
  return { granted, all };
}

/** Sends `count` deliveries one width at a time, each taking `ms`, and returns the widths seen. */
async function rounds(pace: Pace, count: number, ms: (width: number) => number): Promise<number[]> {
  const widths: number[] = [];
  for (let i = 0; i < count; i++) {
    widths.push(pace.limit);
    const release = await pace.acquire();
    release(ms(pace.limit));
  }
  return widths;
}

describe('Pace', () => {
  it('starts at its start width: the slot after that waits until one is given back', async () => {
    const pace = new Pace(SETTINGS);
    const { granted, all } = await take(pace, 3);
    expect(granted).toHaveLength(2);
    granted[0]?.(undefined);
    await settle();
    expect(granted).toHaveLength(3);
    for (const release of granted) release(undefined);
    await Promise.all(all);
  });

  it('widens by one after a full width of fast deliveries, up to its maximum', async () => {
    expect(await rounds(new Pace(SETTINGS), 20, () => 10)).toEqual([2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6]);
  });

  it('below its slow-start width, widens by one per fast delivery; from it, by one per full width', async () => {
    expect(await rounds(new Pace({ ...SETTINGS, slowStartUntil: 4 }), 12, () => 10)).toEqual([2, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6]);
  });

  it('leaves slow start for good at the first delivery that queued', async () => {
    // The fastest seen took 10 ms; at width 3 a delivery takes 30 ms > 2 × 10 + 5: it narrows to 2,
    // and from there widens only by one per full width, though below the slow-start width.
    const widths = await rounds(new Pace({ ...SETTINGS, slowStartUntil: 5 }), 8, (width) => (width >= 3 ? 30 : 10));
    expect(widths).toEqual([2, 3, 2, 2, 3, 2, 2, 3]);
  });

  it('narrows by one on a delivery that queued behind others (a listener serving one at a time)', async () => {
    // Each delivery waits for those ahead of it: 10 ms per delivery in flight. The fastest seen
    // took 20 ms (at width 2): at width 5 a delivery takes 50 ms > 2 × 20 + 5, so it narrows.
    const widths = await rounds(new Pace(SETTINGS), 16, (width) => 10 * width);
    expect(widths).toEqual([2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 4, 4, 4, 4, 5, 4]);
  });

  it('halves on a stalled delivery and never widens to the width that stalled again', async () => {
    const pace = new Pace(SETTINGS);
    // A listener whose accept queue overflows beyond 4 in flight: the 5th connect stalls a second.
    const widths = await rounds(pace, 30, (width) => (width >= 5 ? 1000 : 10));
    expect(widths.slice(0, 10)).toEqual([2, 2, 3, 3, 3, 4, 4, 4, 4, 5]);
    expect(widths.slice(10, 12)).toEqual([2, 2]);
    expect(Math.max(...widths.slice(10))).toBe(4);
  });

  it('never goes below one, and every waiting delivery runs when the width shrinks', async () => {
    const pace = new Pace({ ...SETTINGS, start: 4 });
    const { granted, all } = await take(pace, 8);
    expect(granted).toHaveLength(4);
    for (let i = 0; i < 8; i++) {
      granted[i]?.(2000);
      await settle();
    }
    await Promise.all(all);
    expect(granted).toHaveLength(8);
    expect(pace.limit).toBe(1);
  });
});
