import { describe, expect, it } from 'vitest';
import {
  PROJECTION_CLASS_FLOOR,
  PROJECTION_POINTS_MAX,
  polygonTester,
  projectionRows,
  rowKey,
  rowsInside,
  sampleSizes,
  selectionShape,
} from './projection-sample';

/** A mask of n rows with the given rows tagged. */
function maskOf(n: number, tagged: (i: number) => boolean): Uint8Array {
  const m = new Uint8Array(n);
  for (let i = 0; i < n; i++) m[i] = tagged(i) ? 1 : 0;
  return m;
}

describe('sampleSizes', () => {
  it('keeps every row up to the cap', () => {
    expect(sampleSizes(3000, 1000)).toEqual({ free: 3000, copyrighted: 1000 });
  });
  it('samples in proportion, with at least the floor (or the whole class) of each class', () => {
    expect(sampleSizes(40_000, 10_000)).toEqual({ free: 3200, copyrighted: 800 });
    expect(sampleSizes(49_000, 1000)).toEqual({ free: 3500, copyrighted: PROJECTION_CLASS_FLOOR });
    expect(sampleSizes(49_990, 10)).toEqual({ free: 3990, copyrighted: 10 });
    expect(sampleSizes(10, 49_990)).toEqual({ free: 10, copyrighted: 3990 });
    expect(sampleSizes(1000, 49_000)).toEqual({ free: PROJECTION_CLASS_FLOOR, copyrighted: 3500 });
    expect(sampleSizes(50_000, 0)).toEqual({ free: PROJECTION_POINTS_MAX, copyrighted: 0 });
  });
  it('always fills the cap exactly', () => {
    for (const n1 of [0, 1, 7, 499, 500, 501, 2345, 9999, 10_000, 30_000]) {
      const s = sampleSizes(10_001 - Math.min(n1, 10_001), Math.min(n1, 10_001));
      expect(s.free + s.copyrighted).toBe(PROJECTION_POINTS_MAX);
    }
  });
});

describe('rowKey', () => {
  it('differs between rows and between seeds', () => {
    const keys = new Set<number>();
    for (let i = 0; i < 10_000; i++) keys.add(rowKey(i, 1));
    expect(keys.size).toBe(10_000);
    expect(rowKey(5, 1)).not.toBe(rowKey(5, 2));
    expect(rowKey(5, 1)).toBe(rowKey(5, 1));
  });
});

describe('projectionRows', () => {
  it('draws every row, by tag, up to the cap', () => {
    const r = projectionRows(
      maskOf(10, (i) => i % 3 === 0),
      10,
    );
    expect(r).toEqual({ free: [1, 2, 4, 5, 7, 8], copyrighted: [0, 3, 6, 9], sampled: false });
  });

  it('draws a fixed sample of the cap above it, each class from its own rows, ascending', () => {
    const n = 50_000;
    const mask = maskOf(n, (i) => i % 100 === 0); // n1 = 500 = 1 %
    const r = projectionRows(mask, n);
    expect(r.sampled).toBe(true);
    const sizes = sampleSizes(n - 500, 500);
    expect(r.free).toHaveLength(sizes.free);
    expect(r.copyrighted).toHaveLength(sizes.copyrighted);
    expect(r.copyrighted).toHaveLength(500); // every copyrighted row (the floor), not 1 % of 4,000
    expect(r.free.every((i) => mask[i] === 0)).toBe(true);
    expect(r.copyrighted.every((i) => mask[i] === 1)).toBe(true);
    for (const rows of [r.free, r.copyrighted]) {
      expect(rows.every((v, k) => k === 0 || v > rows[k - 1])).toBe(true);
    }
    // The same dataset and tags give the same sample; another seed gives another.
    expect(projectionRows(mask, n)).toEqual(r);
    expect(projectionRows(mask, n, PROJECTION_POINTS_MAX, PROJECTION_CLASS_FLOOR, 99).free).not.toEqual(
      r.free,
    );
  });

  it('takes the rows with the smallest keys, so tagging a few rows keeps most of the sample', () => {
    const n = 20_000;
    const mask = maskOf(n, (i) => i < 2000);
    const r = projectionRows(mask, n, 1000, 100, 7);
    // The free rows drawn are exactly those with the smallest keys among free rows.
    const free = [];
    for (let i = 0; i < n; i++) if (mask[i] === 0) free.push(i);
    free.sort((a, b) => rowKey(a, 7) - rowKey(b, 7));
    expect(r.free).toEqual(free.slice(0, r.free.length).sort((a, b) => a - b));
    // Tag 20 more rows: the drawn free rows barely change.
    const next = new Uint8Array(mask);
    for (let i = 5000; i < 5020; i++) next[i] = 1;
    const s = projectionRows(next, n, 1000, 100, 7);
    const kept = s.free.filter((i) => r.free.includes(i)).length;
    expect(kept).toBeGreaterThan(0.95 * r.free.length);
  });

  it('takes a whole bucket boundary right (many rows, a cap that splits a bucket)', () => {
    const n = 300_000;
    const mask = new Uint8Array(n);
    const r = projectionRows(mask, n, 4000, 500, 3);
    expect(r.free).toHaveLength(4000);
    expect(r.copyrighted).toHaveLength(0);
    let maxKey = 0;
    for (const i of r.free) maxKey = Math.max(maxKey, rowKey(i, 3));
    let smaller = 0;
    for (let i = 0; i < n; i++) if (rowKey(i, 3) <= maxKey) smaller++;
    expect(smaller).toBe(4000);
  });
});

describe('selectionShape (Plotly 2.35 plotly_selected fields)', () => {
  it('reads a box from range, keyed by axis id, and orders its ends', () => {
    expect(selectionShape({ range: { x: [2, -1], y: [0, 3] } })).toEqual({
      kind: 'box',
      x: [-1, 2],
      y: [0, 3],
    });
  });
  it('reads a lasso from lassoPoints (open: the last vertex joins the first)', () => {
    expect(selectionShape({ lassoPoints: { x: [0, 4, 4, 0], y: [0, 0, 4, 4] } })).toEqual({
      kind: 'lasso',
      rings: [{ x: [0, 4, 4, 0], y: [0, 0, 4, 4] }],
    });
  });
  it('splits merged polygons that Plotly concatenates, each closed by its first vertex', () => {
    const s = selectionShape({
      lassoPoints: { x: [0, 1, 1, 0, 0, 5, 6, 6, 5, 5], y: [0, 0, 1, 1, 0, 5, 5, 6, 6, 5] },
    });
    expect(s).toEqual({
      kind: 'lasso',
      rings: [
        { x: [0, 1, 1, 0], y: [0, 0, 1, 1] },
        { x: [5, 6, 6, 5], y: [5, 5, 6, 6] },
      ],
    });
  });
  it('gives null for a click (no shape), a degenerate lasso or non-numbers', () => {
    expect(selectionShape(undefined)).toBeNull();
    expect(selectionShape({})).toBeNull();
    expect(selectionShape({ lassoPoints: { x: [0, 1], y: [0, 1] } })).toBeNull();
    expect(selectionShape({ range: { x: [0, Number.NaN], y: [0, 1] } })).toBeNull();
  });
});

describe('polygonTester', () => {
  // A concave "U": the notch (1..2 × 1..3) is outside.
  const u = polygonTester([{ x: [0, 3, 3, 2, 2, 1, 1, 0], y: [0, 0, 3, 3, 1, 1, 3, 3] }]);

  it('tells inside from outside, concave parts included', () => {
    expect(u.contains(0.5, 0.5)).toBe(true);
    expect(u.contains(2.5, 2.5)).toBe(true);
    expect(u.contains(1.5, 2)).toBe(false); // in the notch
    expect(u.contains(-0.5, 0.5)).toBe(false);
    expect(u.contains(1.5, 3.5)).toBe(false);
  });

  it('counts every point on an edge or a vertex as inside (the rule Plotly applies)', () => {
    for (const [x, y] of [
      [0, 0], // vertex
      [1.5, 0], // bottom edge
      [3, 2], // right edge
      [1.5, 1], // notch floor, a horizontal edge
      [1, 2], // notch wall, a vertical edge
      [2, 3], // vertex at the top
      [0, 3],
    ]) {
      expect(u.contains(x, y), `(${x}, ${y})`).toBe(true);
    }
  });

  it('counts a ray through a vertex once (half-open edges)', () => {
    // A diamond: a ray along y = 0 passes through its vertices (0, 0) and (2, 0).
    const d = polygonTester([{ x: [1, 2, 1, 0], y: [-1, 0, 1, 0] }]);
    expect(d.contains(1, 0)).toBe(true);
    expect(d.contains(-0.5, 0)).toBe(false);
    expect(d.contains(2.5, 0)).toBe(false);
    expect(d.contains(1, 0.99)).toBe(true);
    expect(d.contains(1, 1.01)).toBe(false);
  });

  it('combines rings even-odd (a ring inside another is a hole) and does not join them', () => {
    const t = polygonTester([
      { x: [0, 10, 10, 0], y: [0, 0, 10, 10] },
      { x: [4, 6, 6, 4], y: [4, 4, 6, 6] },
      { x: [20, 21, 21, 20], y: [0, 0, 1, 1] },
    ]);
    expect(t.contains(2, 2)).toBe(true);
    expect(t.contains(5, 5)).toBe(false);
    expect(t.contains(4, 5)).toBe(true); // on the hole's edge
    expect(t.contains(20.5, 0.5)).toBe(true);
    expect(t.contains(15, 0.5)).toBe(false); // between the rings
  });

  it('agrees with a plain crossing test on many random points and a many-sided lasso', () => {
    // A star-shaped lasso of 200 vertices.
    const m = 200;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k < m; k++) {
      const a = (2 * Math.PI * k) / m;
      const r = 1 + 0.5 * Math.sin(7 * a) + 0.2 * Math.cos(23 * a);
      xs.push(r * Math.cos(a));
      ys.push(r * Math.sin(a));
    }
    const t = polygonTester([{ x: xs, y: ys }]);
    const plain = (x: number, y: number): boolean => {
      let inside = false;
      for (let i = 0, j = m - 1; i < m; j = i++) {
        if (ys[i] > y !== ys[j] > y && x < xs[i] + ((y - ys[i]) * (xs[j] - xs[i])) / (ys[j] - ys[i]))
          inside = !inside;
      }
      return inside;
    };
    let seed = 12345;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    let agree = 0;
    for (let k = 0; k < 20_000; k++) {
      const x = 4 * rand() - 2;
      const y = 4 * rand() - 2;
      if (t.contains(x, y) === plain(x, y)) agree++;
    }
    expect(agree).toBe(20_000);
  });
});

describe('rowsInside', () => {
  const px = Float64Array.from([0, 1, 2, 3, 1, Number.NaN]);
  const py = Float64Array.from([0, 1, 2, 3, 3, 1]);

  it('a box includes its edges and skips non-finite points', () => {
    expect(rowsInside({ kind: 'box', x: [1, 2], y: [1, 3] }, px, py)).toEqual([1, 2, 4]);
  });

  it('a lasso selects the rows inside its polygon', () => {
    // Triangle (0,0)–(3,0)–(3,3): rows 0..3 lie on its hypotenuse, row 4 is above it.
    const shape = { kind: 'lasso' as const, rings: [{ x: [0, 3, 3], y: [0, 0, 3] }] };
    expect(rowsInside(shape, px, py)).toEqual([0, 1, 2, 3]);
  });

  it('selects among 2e6 rows with a 300-vertex lasso (bounding-box prefilter, banded edges)', () => {
    const n = 2_000_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    let s = 1;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      x[i] = s / 2 ** 32 - 0.5;
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      y[i] = s / 2 ** 32 - 0.5;
    }
    const m = 300;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k < m; k++) {
      const a = (2 * Math.PI * k) / m;
      xs.push(0.3 * Math.cos(a));
      ys.push(0.3 * Math.sin(a));
    }
    const rows = rowsInside({ kind: 'lasso', rings: [{ x: xs, y: ys }] }, x, y);
    // A disc of radius 0.3 in the unit square: π·0.09 ≈ 28.3 % of the rows.
    expect(rows.length / n).toBeGreaterThan(0.27);
    expect(rows.length / n).toBeLessThan(0.29);
  });
});
