/**
 * Eigenvalues of symmetric d×d matrices (ml-matrix's symmetric QR), and what they give: λ_min of
 * the Hessian (the solvers' convexity record) and σ_min(A). Apart from linalg.ts so that the page's
 * first download, which evaluates the objective for its charts, does not carry ml-matrix.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { weightedGram } from './linalg';

/** All eigenvalues of a symmetric d×d matrix, ascending. */
export function symmetricEigenvalues(M: Float64Array, d: number): Float64Array {
  const m = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m.set(i, j, M[i * d + j]);
  const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  return Float64Array.from(eig.realEigenvalues).sort();
}

/** Smallest eigenvalue of a symmetric d×d matrix. */
export function lambdaMin(M: Float64Array, d: number): number {
  return symmetricEigenvalues(M, d)[0];
}

/**
 * Smallest singular value of the tall n×d matrix A, as √λ_min(AᵀA). Squaring the condition number
 * loses precision when σ_min/σ_max is below ~1e-8; that regime is singular for our purposes anyway.
 */
export function sigmaMin(A: Float64Array, n: number, d: number): number {
  if (n < d) return 0;
  const G = weightedGram(A, n, d, new Float64Array(n).fill(1));
  return Math.sqrt(Math.max(0, lambdaMin(G, d)));
}
