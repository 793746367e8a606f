/**
 * Dense float64 linear algebra for the n×d data matrix and the d×d Hessian (eigenvalues are in
 * eigen.ts, apart, so that code which needs none does not load ml-matrix). Matrices are row-major
 * Float64Arrays. The d×d parts are small (d ≤ 1024), so plain loops are enough; the O(n·d²) Gram
 * loop is written so its inner loop walks contiguous memory.
 */

/** u = A·x for A n×d (row-major). */
export function matVec(A: Float64Array, n: number, d: number, x: Float64Array): Float64Array {
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += A[row + j] * x[j];
    u[i] = s;
  }
  return u;
}

/** Aᵀ·v for A n×d (row-major), v of length n; returns a d-vector. */
export function matTVec(A: Float64Array, n: number, d: number, v: Float64Array): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    const row = i * d;
    for (let j = 0; j < d; j++) out[j] += A[row + j] * vi;
  }
  return out;
}

/**
 * Aᵀ·diag(δ)·A (d×d, symmetric) summed over the given rows (all rows when `rows` is omitted), each
 * row i weighted by δ[i]. Only the upper triangle is accumulated, then mirrored: n·d²/2
 * multiply-adds. Rows are taken four at a time so each load/store of G carries four multiply-adds
 * (the loop is bound by traffic on G, not by arithmetic).
 */
export function weightedGram(
  A: Float64Array,
  n: number,
  d: number,
  delta: Float64Array,
  rows?: ArrayLike<number>,
): Float64Array {
  const G = new Float64Array(d * d);
  // Row indices with a non-zero weight.
  const idx: number[] = [];
  const count = rows ? rows.length : n;
  for (let r = 0; r < count; r++) {
    const i = rows ? rows[r] : r;
    if (delta[i] !== 0) idx.push(i);
  }
  let r = 0;
  for (; r + 4 <= idx.length; r += 4) {
    const o0 = idx[r] * d;
    const o1 = idx[r + 1] * d;
    const o2 = idx[r + 2] * d;
    const o3 = idx[r + 3] * d;
    const d0 = delta[idx[r]];
    const d1 = delta[idx[r + 1]];
    const d2 = delta[idx[r + 2]];
    const d3 = delta[idx[r + 3]];
    for (let j = 0; j < d; j++) {
      const t0 = d0 * A[o0 + j];
      const t1 = d1 * A[o1 + j];
      const t2 = d2 * A[o2 + j];
      const t3 = d3 * A[o3 + j];
      const gRow = j * d;
      for (let k = j; k < d; k++) {
        G[gRow + k] += t0 * A[o0 + k] + t1 * A[o1 + k] + t2 * A[o2 + k] + t3 * A[o3 + k];
      }
    }
  }
  for (; r < idx.length; r++) {
    const o = idx[r] * d;
    const di = delta[idx[r]];
    for (let j = 0; j < d; j++) {
      const t = di * A[o + j];
      const gRow = j * d;
      for (let k = j; k < d; k++) G[gRow + k] += t * A[o + k];
    }
  }
  mirrorUpper(G, d);
  return G;
}

/** Copies the upper triangle of a d×d matrix onto its lower triangle. */
export function mirrorUpper(M: Float64Array, d: number): void {
  for (let j = 0; j < d; j++) for (let k = j + 1; k < d; k++) M[k * d + j] = M[j * d + k];
}

/** Inner product. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm, scaled so that it neither overflows nor underflows for extreme entries. */
export function norm2(a: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i] / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

/** Euclidean distance ‖a − b‖ (through {@link norm2}, so extreme entries do not overflow). */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const diff = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) diff[i] = a[i] - b[i];
  return norm2(diff);
}

/**
 * Cholesky factor L (lower, row-major) with M = L·Lᵀ, or null when M is not numerically positive
 * definite (a pivot ≤ 0 or not finite).
 */
export function cholesky(M: Float64Array, d: number): Float64Array | null {
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = M[j * d + j];
    const jr = j * d;
    for (let k = 0; k < j; k++) s -= L[jr + k] * L[jr + k];
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const ljj = Math.sqrt(s);
    L[jr + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const ir = i * d;
      let t = M[ir + j];
      for (let k = 0; k < j; k++) t -= L[ir + k] * L[jr + k];
      L[ir + j] = t / ljj;
    }
  }
  return L;
}

/** Solves L·Lᵀ·x = rhs given the Cholesky factor L. */
export function choleskySolve(L: Float64Array, d: number, rhs: Float64Array): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = rhs[i];
    for (let k = 0; k < i; k++) s -= L[i * d + k] * y[k];
    y[i] = s / L[i * d + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < d; k++) s -= L[k * d + i] * x[k];
    x[i] = s / L[i * d + i];
  }
  return x;
}

/** Result of a damped solve: x = (M + μI)⁻¹·rhs. */
export interface DampedSolve {
  x: Float64Array;
  /** The damping that made M + μI positive definite; 0 when M itself was. */
  mu: number;
}

/**
 * Solves (M + μI)·x = rhs with the smallest μ in {0, μ0, 10μ0, 100μ0, …} for which the Cholesky
 * factorisation succeeds. μ0 is 1e-10 times the largest diagonal magnitude (at least 1e-12), so the
 * first damping is far below the matrix's own scale. Returns null only if no μ up to 1e300 works
 * (a matrix with non-finite entries).
 */
export function dampedCholeskySolve(M: Float64Array, d: number, rhs: Float64Array): DampedSolve | null {
  let maxDiag = 0;
  for (let i = 0; i < d; i++) maxDiag = Math.max(maxDiag, Math.abs(M[i * d + i]));
  if (!Number.isFinite(maxDiag)) return null;
  let mu = 0;
  const work = new Float64Array(M);
  for (let attempt = 0; attempt < 400; attempt++) {
    if (mu > 0) for (let i = 0; i < d; i++) work[i * d + i] = M[i * d + i] + mu;
    const L = cholesky(work, d);
    if (L) return { x: choleskySolve(L, d, rhs), mu };
    mu = mu === 0 ? Math.max(1e-10 * maxDiag, 1e-12) : mu * 10;
    if (mu > 1e300) break;
  }
  return null;
}
