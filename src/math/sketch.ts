/**
 * The sketched Hessian of the DLS23 approximate Newton method, adapted to our kernel (math.md §2):
 * ∇²L = Aᵀdiag(δ)A + (AᵀU)C(AᵀU)ᵀ, where only the O(n·d²) diagonal part is sampled and the
 * rank-3/5 part is kept exact.
 *
 * Row i (with δ_i > 0) is kept with probability p_i = min(1, s·q_i/Σq) and weight δ_i/p_i, so the
 * sampled Gram is an unbiased estimate of Aᵀdiag(δ)A. The importance q_i = δ_i·lev_i uses the
 * leverage scores lev_i of A itself (computed once per data set): the exact leverage scores of
 * diag(δ)^½·A would cost as much as the Gram we avoid, and lev_i(A)·δ_i is proportional to them
 * when δ is roughly constant. Rows with δ_i < 0 (possible away from the optimum) are kept exactly,
 * since sampling needs δ ≥ 0.
 *
 * Row i's coin is a hash of (seed, i), not the i-th draw of a sequential stream: every row's
 * decision is independent of the others', so the GPU engine (shaders/vectors.wgsl, sketchWeights)
 * draws the same coins in parallel and samples the same rows, up to float32 in p_i.
 */
import { cholesky, choleskySolve, weightedGram } from './linalg';
import type { HessianKernel } from './objective';
import { assembleHessian, kernelAtU } from './objective';

/** Leverage scores lev_i = a_iᵀ(AᵀA)⁻¹a_i of the rows of A (n×d), O(n·d²). They sum to rank(A). */
export function leverageScores(A: Float64Array, n: number, d: number): Float64Array {
  const G = weightedGram(A, n, d, new Float64Array(n).fill(1));
  // A tiny ridge keeps the factorisation alive when A is rank-deficient.
  let trace = 0;
  for (let j = 0; j < d; j++) trace += G[j * d + j];
  const ridge = 1e-12 * Math.max(trace / Math.max(d, 1), 1e-300);
  for (let j = 0; j < d; j++) G[j * d + j] += ridge;
  const L = cholesky(G, d);
  const lev = new Float64Array(n);
  if (!L) return lev.fill(d / n);
  for (let i = 0; i < n; i++) {
    const a = A.subarray(i * d, (i + 1) * d);
    const z = choleskySolve(L, d, a);
    let s = 0;
    for (let j = 0; j < d; j++) s += a[j] * z[j];
    lev[i] = s;
  }
  return lev;
}

/**
 * The murmur3 32-bit finaliser (a bijection on u32 with full avalanche), on u32 values. The WGSL
 * twin is `fmix32` in shaders/vectors.wgsl; both use only 32-bit integer operations, so they agree
 * bit for bit.
 */
function fmix32(h: number): number {
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The 32-bit key of a sketch seed (a safe integer ≥ 0; the solvers use seed + iteration): both
 * 32-bit halves go through the finaliser, so distinct seeds below 2^53 rarely share a key.
 */
export function sketchKey(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`sketched Hessian: the seed must be a non-negative safe integer, got ${seed}`);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return fmix32((fmix32((lo ^ 0x9e3779b9) >>> 0) ^ hi) >>> 0);
}

/**
 * Row i's coin under `key`: uniform on the 2⁻²⁴ grid of [0, 1), so that it is exact in float32 and
 * the GPU compares the same number with its p_i.
 */
export function sketchCoin(key: number, i: number): number {
  const h = fmix32((fmix32((i ^ key) >>> 0) + key) >>> 0);
  return (h >>> 8) / 16777216;
}

/**
 * Checks a sketch request (both engines call it, so both refuse the same requests): `rows` a
 * positive finite number, `seed` a non-negative safe integer. Returns the seed's key.
 */
export function checkSketchRequest(rows: number, seed: number): number {
  if (!(rows > 0) || !Number.isFinite(rows)) {
    throw new RangeError(`sketched Hessian: rows must be a positive number, got ${rows}`);
  }
  return sketchKey(seed);
}

/** The per-row Gram weights of a sketch and how many rows they keep. */
export interface SketchWeights {
  /** δ_i/p_i for a sampled row, δ_i for a row with δ_i < 0, else 0 (length n). */
  weight: Float64Array;
  rowsUsed: number;
}

/**
 * Which rows the sketch keeps, and their weights, given δ, the leverage scores of A, the expected
 * sample size `rows` and the seed. The sampled Gram is Aᵀdiag(weight)A.
 */
export function sketchWeights(
  delta: ArrayLike<number>,
  leverage: ArrayLike<number>,
  rows: number,
  seed: number,
): SketchWeights {
  const n = delta.length;
  const key = checkSketchRequest(rows, seed);
  let qSum = 0;
  for (let i = 0; i < n; i++) if (delta[i] > 0) qSum += delta[i] * leverage[i];
  const weight = new Float64Array(n);
  let rowsUsed = 0;
  for (let i = 0; i < n; i++) {
    const di = delta[i];
    if (di < 0) {
      weight[i] = di;
      rowsUsed++;
    } else if (di > 0 && qSum > 0) {
      const p = Math.min(1, (rows * di * leverage[i]) / qSum);
      if (sketchCoin(key, i) < p) {
        weight[i] = di / p;
        rowsUsed++;
      }
    }
  }
  return { weight, rowsUsed };
}

/** A sketched Hessian and how many rows it used. */
export interface SketchedHessian {
  hessian: Float64Array;
  rowsUsed: number;
}

/**
 * Sketched ∇²L given the kernel at x, the leverage scores of A, the expected sample size and the
 * seed (float64; assembled by the same {@link assembleHessian} as the exact Hessian).
 */
export function sketchedHessian(
  A: Float64Array,
  n: number,
  d: number,
  K: HessianKernel,
  leverage: Float64Array,
  rows: number,
  seed: number,
): SketchedHessian {
  const { weight, rowsUsed } = sketchWeights(K.delta, leverage, rows, seed);
  const gram = weightedGram(A, n, d, weight);
  return { hessian: assembleHessian(d, gram, kernelAtU(A, n, d, K), K.C), rowsUsed };
}
