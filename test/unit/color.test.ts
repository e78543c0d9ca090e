import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../harness/run/color.js';

describe('colorEnabled', () => {
  it('colours a terminal only', () => {
    expect(colorEnabled(true, {})).toBe(true);
    expect(colorEnabled(false, {})).toBe(false);
  });
  it('does not colour a pipe under CI (picocolors would)', () => {
    expect(colorEnabled(false, { CI: 'true' })).toBe(false);
    expect(colorEnabled(false, { CI: 'true', GITHUB_ACTIONS: 'true' })).toBe(false);
  });
  it('honours NO_COLOR over everything, an empty one not', () => {
    expect(colorEnabled(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '' })).toBe(true);
  });
  it('honours FORCE_COLOR, 0 and false meaning off', () => {
    expect(colorEnabled(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(false, { FORCE_COLOR: '' })).toBe(true);
    expect(colorEnabled(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(true, { FORCE_COLOR: 'false' })).toBe(false);
  });
  it('does not colour a dumb terminal', () => {
    expect(colorEnabled(true, { TERM: 'dumb' })).toBe(false);
  });
});
