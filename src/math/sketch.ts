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
 */
import type { Rng } from '../data/prng';
import { cholesky, choleskySolve, weightedGram } from './linalg';
import type { HessianKernel } from './objective';
import { addLowRank } from './objective';
import { matTVec } from './linalg';

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

/** A sketched Hessian and how many rows it used. */
export interface SketchedHessian {
  hessian: Float64Array;
  rowsUsed: number;
}

/**
 * Sketched ∇²L given the kernel at x, the leverage scores of A, the expected sample size and a
 * random stream.
 */
export function sketchedHessian(
  A: Float64Array,
  n: number,
  d: number,
  K: HessianKernel,
  leverage: Float64Array,
  rows: number,
  rng: Rng,
): SketchedHessian {
  const { delta } = K;
  let qSum = 0;
  for (let i = 0; i < n; i++) if (delta[i] > 0) qSum += delta[i] * leverage[i];
  const kept: number[] = [];
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const di = delta[i];
    if (di < 0) {
      kept.push(i);
      weight[i] = di;
    } else if (di > 0 && qSum > 0) {
      const p = Math.min(1, (rows * di * leverage[i]) / qSum);
      if (p > 0 && rng.next() < p) {
        kept.push(i);
        weight[i] = di / p;
      }
    }
  }
  const H = weightedGram(A, n, d, weight, kept);
  addLowRank(
    H,
    d,
    K.U.map((v) => matTVec(A, n, d, v)),
    K.C,
  );
  return { hessian: H, rowsUsed: kept.length };
}
