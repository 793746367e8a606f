import { describe, expect, it } from 'vitest';
import { visibleRows } from './row-window';

describe('visibleRows', () => {
  it('covers the rows in view plus the overscan, clamped to the list', () => {
    // 28 px rows, a 320 px view at the top: rows 0…11 are (partly) in view.
    expect(visibleRows(0, 320, 50_000, 28, 12)).toEqual({ first: 0, last: 23 });
    // Scrolled to row 1000 exactly.
    expect(visibleRows(28_000, 320, 50_000, 28, 12)).toEqual({ first: 988, last: 1023 });
    // At the end: nothing past the last row.
    expect(visibleRows(50_000 * 28 - 320, 320, 50_000, 28, 12)).toEqual({ first: 49_976, last: 49_999 });
  });

  it('every row of a scroll position in view is rendered (any offset, view and count)', () => {
    for (const [top, height, count] of [
      [13, 300, 100],
      [999, 57, 40],
      [0, 0, 3],
      [5_000, 320, 10],
    ]) {
      const { first, last } = visibleRows(top, height, count, 28, 2);
      for (let i = 0; i < count; i++) {
        const inView = (i + 1) * 28 > top && i * 28 < top + height;
        if (inView) expect(i >= first && i <= last).toBe(true);
      }
      expect(first).toBeGreaterThanOrEqual(0);
      expect(last).toBeLessThan(count);
    }
  });

  it('an empty list renders nothing', () => {
    const { first, last } = visibleRows(0, 320, 0, 28, 12);
    expect(last).toBeLessThan(first);
  });
});
