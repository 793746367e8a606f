/**
 * What the projection draws when it cannot draw every row, and which rows a box or lasso selection
 * holds, drawn or not. Pure functions, no DOM and no Plotly.
 *
 * The projection is SVG (Plotly's cartesian bundle has no WebGL traces), and an SVG scatter of
 * tens of thousands of markers keeps the main thread busy for seconds on every redraw. So it draws
 * every row up to PROJECTION_POINTS_MAX and a fixed sample above that; a selection then tags every
 * row whose projected point lies inside the selected shape, found here from the shape itself.
 */

/** Most rows the projection draws; above this it draws a fixed sample of this many. */
export const PROJECTION_POINTS_MAX = 4000;

/**
 * Least number of rows of each tag class in a sample (or the whole class when it is smaller), so a
 * few copyrighted rows among many free ones stay visible: with n1/n = 1 %, a proportional sample
 * would draw 40 of them.
 */
export const PROJECTION_CLASS_FLOOR = 500;

/** Seed of the sample's row order. Fixed, so a dataset's sample is the same on every visit. */
export const PROJECTION_SAMPLE_SEED = 0x2f6b_1d4c;

/** The rows the projection draws, by tag. */
export interface ProjectionRows {
  /** Drawn untagged rows, ascending. */
  free: number[];
  /** Drawn copyrighted rows, ascending. */
  copyrighted: number[];
  /** True when these are a sample (n > cap), false when they are every row. */
  sampled: boolean;
}

/**
 * How many rows of each class a sample of `cap` rows takes when there are n0 free and n1
 * copyrighted rows (n0 + n1 > cap): in proportion, but at least min(class size, floor) of each.
 */
export function sampleSizes(
  n0: number,
  n1: number,
  cap: number = PROJECTION_POINTS_MAX,
  floor: number = PROJECTION_CLASS_FLOOR,
): { free: number; copyrighted: number } {
  const n = n0 + n1;
  if (n <= cap) return { free: n0, copyrighted: n1 };
  const proportional = Math.round((cap * n1) / n);
  const k1 = Math.max(Math.min(n1, floor, cap), Math.min(proportional, cap - Math.min(n0, floor, cap)));
  return { free: Math.min(n0, cap - k1), copyrighted: Math.min(n1, k1) };
}

/** A row's place in the sample order: a 32-bit hash of (row, seed) (murmur3's finaliser). */
export function rowKey(row: number, seed: number = PROJECTION_SAMPLE_SEED): number {
  let h = (Math.imul(row ^ seed, 0x9e3779b1) ^ (seed >>> 7)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const BUCKET_SHIFT = 16;
const BUCKETS = 1 << (32 - BUCKET_SHIFT);

/**
 * The rows the projection draws for this mask: every row when n ≤ cap; otherwise, in each tag class,
 * the sampleSizes() rows with the smallest rowKey. The order of rows does not depend on the tags,
 * so tagging a few rows moves only a few rows in or out of the sample, and the same dataset and
 * tags always give the same sample. O(n) time (a 65,536-bucket histogram of the keys finds each
 * class's cut-off without sorting n keys).
 */
export function projectionRows(
  mask: Uint8Array,
  n: number,
  cap: number = PROJECTION_POINTS_MAX,
  floor: number = PROJECTION_CLASS_FLOOR,
  seed: number = PROJECTION_SAMPLE_SEED,
): ProjectionRows {
  if (n <= cap) {
    const free: number[] = [];
    const copyrighted: number[] = [];
    for (let i = 0; i < n; i++) (mask[i] === 1 ? copyrighted : free).push(i);
    return { free, copyrighted, sampled: false };
  }
  const hist = [new Uint32Array(BUCKETS), new Uint32Array(BUCKETS)];
  const totals = [0, 0];
  for (let i = 0; i < n; i++) {
    const c = mask[i] === 1 ? 1 : 0;
    hist[c][rowKey(i, seed) >>> BUCKET_SHIFT]++;
    totals[c]++;
  }
  const sizes = sampleSizes(totals[0], totals[1], cap, floor);
  const want = [sizes.free, sizes.copyrighted];
  // Per class: rows in buckets below `cut` are all taken; the bucket `cut` is taken in part.
  const cut = [0, 0];
  const below = [0, 0];
  for (const c of [0, 1]) {
    let b = 0;
    let sum = 0;
    while (b < BUCKETS && sum + hist[c][b] <= want[c]) sum += hist[c][b++];
    cut[c] = b;
    below[c] = sum;
  }
  const taken: number[][] = [[], []];
  const edge: number[][] = [[], []];
  for (let i = 0; i < n; i++) {
    const c = mask[i] === 1 ? 1 : 0;
    const bucket = rowKey(i, seed) >>> BUCKET_SHIFT;
    if (bucket < cut[c]) taken[c].push(i);
    else if (bucket === cut[c]) edge[c].push(i);
  }
  for (const c of [0, 1]) {
    const rest = want[c] - below[c];
    if (rest > 0) {
      const keyed = edge[c].map((row) => ({ row, key: rowKey(row, seed) }));
      keyed.sort((a, b) => a.key - b.key || a.row - b.row);
      for (let j = 0; j < rest; j++) taken[c].push(keyed[j].row);
      taken[c].sort((a, b) => a - b);
    }
  }
  return { free: taken[0], copyrighted: taken[1], sampled: true };
}

/** A selected shape in data coordinates. */
export type SelectionShape =
  | { kind: 'box'; x: [number, number]; y: [number, number] }
  | {
      kind: 'lasso';
      /** One or more closed rings (the last vertex joins the first), combined even-odd. */
      rings: { x: number[]; y: number[] }[];
    };

/** The fields of Plotly's plotly_selected event this module reads. */
export interface SelectedEventShape {
  range?: { x?: readonly number[]; y?: readonly number[] };
  lassoPoints?: { x?: readonly number[]; y?: readonly number[] };
}

/**
 * The shape of a plotly_selected event of the chart with axes `x` and `y`, or null when it has none.
 *
 * How Plotly 2.35 reports it (src/components/selections/select.js): a box gives `range`, keyed by
 * axis id, each [min, max] ascending, in data units; a lasso gives `lassoPoints`, keyed by axis
 * id, the lasso's vertices in data units, not closed (the last vertex joins the first). Either
 * describes the shape of the latest drag only: points of earlier shapes kept with Shift are in
 * `points`. Where Plotly reports several merged polygons as `lassoPoints` it concatenates them,
 * each closed by repeating its first vertex; they are split back into rings here.
 */
export function selectionShape(event: SelectedEventShape | undefined | null): SelectionShape | null {
  const rx = event?.range?.x;
  const ry = event?.range?.y;
  if (rx && ry && rx.length === 2 && ry.length === 2) {
    const x: [number, number] = [Math.min(rx[0], rx[1]), Math.max(rx[0], rx[1])];
    const y: [number, number] = [Math.min(ry[0], ry[1]), Math.max(ry[0], ry[1])];
    return [...x, ...y].every(Number.isFinite) ? { kind: 'box', x, y } : null;
  }
  const lx = event?.lassoPoints?.x;
  const ly = event?.lassoPoints?.y;
  if (lx && ly && lx.length === ly.length && lx.length >= 3) {
    const rings = splitRings(lx.map(Number), ly.map(Number));
    return rings.length > 0 ? { kind: 'lasso', rings } : null;
  }
  return null;
}

/** Splits a vertex list at each vertex that repeats the first vertex of the ring under way. */
function splitRings(xs: readonly number[], ys: readonly number[]): { x: number[]; y: number[] }[] {
  const rings: { x: number[]; y: number[] }[] = [];
  let x: number[] = [];
  let y: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) return [];
    if (x.length >= 3 && xs[i] === x[0] && ys[i] === y[0]) {
      rings.push({ x, y });
      x = [];
      y = [];
    } else {
      x.push(xs[i]);
      y.push(ys[i]);
    }
  }
  if (x.length >= 3) rings.push({ x, y });
  return rings;
}

/** Tests points against closed polygon rings, with a bounding box and y-bands to skip edges. */
export interface PolygonTester {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  /** True when (x, y) is inside the rings (even-odd) or on any edge or vertex. */
  contains(x: number, y: number): boolean;
}

/**
 * A tester for these rings. The rule, the one Plotly's own lasso applies to the points it draws
 * (src/lib/polygon.js): a point on an edge or a vertex is inside; otherwise it is inside when a
 * ray from it crosses the edges an odd number of times, each edge counted over the half-open
 * y-range [min, max) so a ray through a vertex counts once. Edges are indexed by horizontal bands,
 * so a point meets only the edges that span its y.
 */
export function polygonTester(rings: { x: number[]; y: number[] }[]): PolygonTester {
  const ex0: number[] = [];
  const ey0: number[] = [];
  const ex1: number[] = [];
  const ey1: number[] = [];
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (const ring of rings) {
    const m = ring.x.length;
    for (let i = 0; i < m; i++) {
      const j = (i + 1) % m;
      ex0.push(ring.x[i]);
      ey0.push(ring.y[i]);
      ex1.push(ring.x[j]);
      ey1.push(ring.y[j]);
      xmin = Math.min(xmin, ring.x[i]);
      xmax = Math.max(xmax, ring.x[i]);
      ymin = Math.min(ymin, ring.y[i]);
      ymax = Math.max(ymax, ring.y[i]);
    }
  }
  const edges = ex0.length;
  const bands = Math.max(1, Math.min(256, edges));
  const height = (ymax - ymin) / bands;
  const band = (y: number): number =>
    height > 0 ? Math.min(bands - 1, Math.max(0, Math.floor((y - ymin) / height))) : 0;
  // Edge lists per band, compressed (CSR): band b's edges are index[start[b] .. start[b + 1]).
  const start = new Int32Array(bands + 1);
  for (let e = 0; e < edges; e++) {
    const last = band(Math.max(ey0[e], ey1[e]));
    for (let b = band(Math.min(ey0[e], ey1[e])); b <= last; b++) start[b + 1]++;
  }
  for (let b = 0; b < bands; b++) start[b + 1] += start[b];
  const index = new Int32Array(start[bands]);
  const fill = start.slice(0, bands);
  for (let e = 0; e < edges; e++) {
    const last = band(Math.max(ey0[e], ey1[e]));
    for (let b = band(Math.min(ey0[e], ey1[e])); b <= last; b++) index[fill[b]++] = e;
  }
  const contains = (x: number, y: number): boolean => {
    if (!(x >= xmin && x <= xmax && y >= ymin && y <= ymax)) return false;
    const b = band(y);
    let inside = false;
    for (let k = start[b]; k < start[b + 1]; k++) {
      const e = index[k];
      const x0 = ex0[e];
      const y0 = ey0[e];
      const x1 = ex1[e];
      const y1 = ey1[e];
      if (y < Math.min(y0, y1) || y > Math.max(y0, y1)) continue;
      // On the edge (collinear and within its box): inside.
      if ((x1 - x0) * (y - y0) === (y1 - y0) * (x - x0) && x >= Math.min(x0, x1) && x <= Math.max(x0, x1)) {
        return true;
      }
      // Crossing of the ray towards +x, the edge taken over [min y, max y).
      if (y0 > y !== y1 > y && x < x0 + ((y - y0) * (x1 - x0)) / (y1 - y0)) inside = !inside;
    }
    return inside;
  };
  return { xmin, xmax, ymin, ymax, contains };
}

/**
 * Every row whose point (px[i], py[i]) lies in the shape, ascending. A box includes its edges;
 * a lasso follows polygonTester's rule. Points outside the shape's bounding box are rejected with
 * four comparisons, so this is O(n) plus the edge tests of the points inside the box.
 */
export function rowsInside(shape: SelectionShape, px: ArrayLike<number>, py: ArrayLike<number>): number[] {
  const out: number[] = [];
  const n = Math.min(px.length, py.length);
  if (shape.kind === 'box') {
    const [x0, x1] = shape.x;
    const [y0, y1] = shape.y;
    for (let i = 0; i < n; i++) {
      const x = px[i];
      const y = py[i];
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(i);
    }
    return out;
  }
  const t = polygonTester(shape.rings);
  for (let i = 0; i < n; i++) {
    const x = px[i];
    const y = py[i];
    if (x >= t.xmin && x <= t.xmax && y >= t.ymin && y <= t.ymax && t.contains(x, y)) out.push(i);
  }
  return out;
}
