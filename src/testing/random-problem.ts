/**
 * Random problems for tests (math.md §4.5 recipe, with copyright rows scattered anywhere, not only
 * a leading block). Test-only helper; the product's generators live in src/data.
 */
import { createRng } from '../data/prng';
import type { Dataset, ObjectiveConfig, Problem, Reading } from '../math/types';

export interface RandomProblemSpec {
  n: number;
  d: number;
  n1: number;
  gammaC: number;
  reading?: Reading;
  seed: number;
  /** w_i ~ U[wLow, wHigh] (default [0.15, 0.45] as in math.md §7). */
  wLow?: number;
  wHigh?: number;
}

/** A random problem: A ~ N(0,1), b = softmax(A·x_true + 0.3ξ), n1 scattered copyright rows. */
export function randomProblem(spec: RandomProblemSpec): Problem {
  const { n, d, n1, gammaC, seed } = spec;
  const rng = createRng(seed, 7);
  const A = new Float64Array(n * d);
  for (let i = 0; i < A.length; i++) A[i] = rng.normal();
  const xTrue = new Float64Array(d);
  for (let j = 0; j < d; j++) xTrue[j] = 0.7 * rng.normal();
  const z = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += A[i * d + j] * xTrue[j];
    z[i] = s + 0.3 * rng.normal();
    max = Math.max(max, z[i]);
  }
  let sum = 0;
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) sum += b[i] = Math.exp(z[i] - max);
  for (let i = 0; i < n; i++) b[i] /= sum;
  const w = new Float64Array(n);
  const lo = spec.wLow ?? 0.15;
  const hi = spec.wHigh ?? 0.45;
  for (let i = 0; i < n; i++) w[i] = rng.uniform(lo, hi);
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const mask = new Uint8Array(n);
  for (let k = 0; k < n1; k++) mask[order[k]] = 1;
  return { n, d, A, b, w, mask, gammaC, reading: spec.reading ?? 'global' };
}

/** Splits a Problem into the engine's Dataset and ObjectiveConfig. */
export function splitProblem(p: Problem): { dataset: Dataset; config: ObjectiveConfig } {
  const { n, d, A, b, w, mask, gammaC, reading } = p;
  return { dataset: { n, d, A, b, w }, config: { mask, gammaC, reading } };
}

/** A random vector with N(0, scale²) entries. */
export function randomVector(length: number, seed: number, scale = 1): Float64Array {
  const rng = createRng(seed, 11);
  return Float64Array.from({ length }, () => scale * rng.normal());
}

/** max|a − b| / max|b|: the relative error measure of math.md §7.1. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}
