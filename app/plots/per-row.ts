/**
 * Per-row quantities at the current iterate, for the f(x)-vs-b scatter, the loss histograms and
 * the table: f_i(x), and the row's squared error (φ_i − b_i)² on copyrighted rows (φ depends on
 * the reading) and (f_i − b_i)² on free rows, so the rows sum to ℓ1 and ℓ2 under reading A.
 */
import { forward } from '../../src/math/objective';
import type { Dataset, ObjectiveConfig } from '../../src/math/types';

/** Per-row values at x. */
export interface PerRow {
  f: Float64Array;
  loss: Float64Array;
}

/** f(x) and the per-row squared errors. O(n·d). */
export function perRow(dataset: Dataset, config: ObjectiveConfig, x: Float64Array): PerRow {
  const s = forward({ ...dataset, ...config }, x);
  const loss = new Float64Array(dataset.n);
  for (let i = 0; i < dataset.n; i++) {
    const e = config.mask[i] ? s.phi[i] - dataset.b[i] : s.f[i] - dataset.b[i];
    loss[i] = e * e;
  }
  return { f: s.f, loss };
}

/** Memo of the last per-row computation, so table and plots share one O(n·d) pass per iterate. */
let cache: {
  dataset: Dataset;
  mask: Uint8Array;
  reading: string;
  gammaC: number;
  x: Float64Array;
  value: PerRow;
} | null = null;

/** perRow with a one-entry cache keyed on object identity of the inputs. */
export function perRowCached(dataset: Dataset, config: ObjectiveConfig, x: Float64Array): PerRow {
  if (
    cache &&
    cache.dataset === dataset &&
    cache.mask === config.mask &&
    cache.reading === config.reading &&
    cache.gammaC === config.gammaC &&
    cache.x === x
  ) {
    return cache.value;
  }
  const value = perRow(dataset, config, x);
  cache = { dataset, mask: config.mask, reading: config.reading, gammaC: config.gammaC, x, value };
  return value;
}
