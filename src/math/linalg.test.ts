import { describe, expect, it } from 'vitest';
import { randomVector, relErr } from '../testing/random-problem';
import { lambdaMin, sigmaMin, symmetricEigenvalues } from './eigen';
import {
  cholesky,
  choleskySolve,
  dampedCholeskySolve,
  distance,
  matTVec,
  matVec,
  norm2,
  weightedGram,
} from './linalg';

/** Q·diag(ev)·Qᵀ with Q a product of Givens rotations: a symmetric matrix with known eigenvalues. */
function withEigenvalues(ev: number[], seed: number): Float64Array {
  const d = ev.length;
  const Q = new Float64Array(d * d);
  for (let i = 0; i < d; i++) Q[i * d + i] = 1;
  const angles = randomVector(d * d, seed);
  let a = 0;
  for (let p = 0; p < d; p++)
    for (let q = p + 1; q < d; q++) {
      const c = Math.cos(angles[a]);
      const s = Math.sin(angles[a++]);
      for (let r = 0; r < d; r++) {
        const x = Q[r * d + p];
        const y = Q[r * d + q];
        Q[r * d + p] = c * x - s * y;
        Q[r * d + q] = s * x + c * y;
      }
    }
  const M = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Q[i * d + k] * ev[k] * Q[j * d + k];
      M[i * d + j] = s;
    }
  return M;
}

describe('linear algebra', () => {
  it('matVec, matTVec and weightedGram agree with explicit sums', () => {
    const n = 7;
    const d = 3;
    const A = randomVector(n * d, 1);
    const x = randomVector(d, 2);
    const v = randomVector(n, 3);
    const u = matVec(A, n, d, x);
    const at = matTVec(A, n, d, v);
    const G = weightedGram(A, n, d, v);
    for (let i = 0; i < n; i++)
      expect(u[i]).toBeCloseTo(A[i * 3] * x[0] + A[i * 3 + 1] * x[1] + A[i * 3 + 2] * x[2], 14);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += A[i * d + j] * v[i];
      expect(at[j]).toBeCloseTo(s, 13);
      for (let k = 0; k < d; k++) {
        let g = 0;
        for (let i = 0; i < n; i++) g += A[i * d + j] * v[i] * A[i * d + k];
        expect(G[j * d + k]).toBeCloseTo(g, 13);
      }
    }
  });

  it('Cholesky solves an SPD system and refuses an indefinite one', () => {
    const M = withEigenvalues([0.5, 1, 3, 10], 5);
    const rhs = randomVector(4, 6);
    const L = cholesky(M, 4)!;
    const x = choleskySolve(L, 4, rhs);
    const back = matVec(M, 4, 4, x);
    expect(relErr(back, rhs)).toBeLessThan(1e-13);
    expect(cholesky(withEigenvalues([-0.1, 1, 2, 3], 5), 4)).toBeNull();
  });

  it('damped Cholesky adds μ ×10 until positive definite, and solves (M + μI)x = b', () => {
    const M = withEigenvalues([-0.37, 1, 2, 3], 9);
    const rhs = randomVector(4, 10);
    const sol = dampedCholeskySolve(M, 4, rhs)!;
    expect(sol.mu).toBeGreaterThan(0.37);
    // The previous damping level (μ/10) must not have been enough: μ/10 ≤ 0.37.
    expect(sol.mu / 10).toBeLessThanOrEqual(0.37);
    const shifted = new Float64Array(M);
    for (let i = 0; i < 4; i++) shifted[i * 4 + i] += sol.mu;
    expect(relErr(matVec(shifted, 4, 4, sol.x), rhs)).toBeLessThan(1e-12);
    expect(dampedCholeskySolve(withEigenvalues([1, 2], 3), 2, Float64Array.of(1, 1))!.mu).toBe(0);
  });

  it('eigenvalues, λ_min and σ_min match matrices built with known spectra', () => {
    const ev = [-2, 0.25, 1, 7, 11];
    const M = withEigenvalues(ev, 21);
    const got = symmetricEigenvalues(M, 5);
    ev.forEach((e, i) => expect(got[i]).toBeCloseTo(e, 12));
    expect(lambdaMin(M, 5)).toBeCloseTo(-2, 12);
    // A = [I; 0]·diag(s) stacked: singular values are s.
    const s = [3, 0.5, 2];
    const A = new Float64Array(5 * 3);
    s.forEach((v, j) => (A[j * 3 + j] = v));
    expect(sigmaMin(A, 5, 3)).toBeCloseTo(0.5, 12);
    expect(sigmaMin(A, 2, 3)).toBe(0);
  });

  it('norm2 survives extreme magnitudes', () => {
    expect(norm2([3e200, 4e200])).toBeCloseTo(5e200, -190);
    expect(norm2([3e-200, 4e-200])).toBeCloseTo(5e-200, 210);
    expect(norm2([0, 0])).toBe(0);
  });

  it('distance is the Euclidean norm of the difference', () => {
    expect(distance([1, 2, 3], [4, 6, 3])).toBe(5);
    expect(distance([7, -1], [7, -1])).toBe(0);
  });
});
