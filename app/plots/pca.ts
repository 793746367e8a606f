/**
 * A 2-D projection of the rows by PCA: the top two principal directions of the centred rows of A,
 * found by power iteration with deflation on the d×d covariance. The covariance is estimated from
 * at most MAX_SAMPLE evenly spaced rows, so the cost stays O(MAX_SAMPLE·d² + n·d) for any n.
 */

const MAX_SAMPLE = 2000;

/** Coordinates of every row on the two leading principal axes. */
export interface Projection {
  x: Float64Array;
  y: Float64Array;
  /** Share of the variance each axis explains (of the sampled rows). */
  explained: [number, number];
}

function powerIteration(C: Float64Array, d: number, seedVector: number): { v: Float64Array; lambda: number } {
  let v = new Float64Array(d).map((_, j) => 1 + ((j * 7 + seedVector) % 5) * 0.1);
  let lambda = 0;
  for (let it = 0; it < 300; it++) {
    const next = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += C[i * d + j] * v[j];
      next[i] = s;
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += next[i] * next[i];
    norm = Math.sqrt(norm);
    if (norm === 0) return { v, lambda: 0 };
    for (let i = 0; i < d; i++) next[i] /= norm;
    let diff = 0;
    for (let i = 0; i < d; i++) diff += Math.abs(next[i] - v[i]);
    v = next;
    lambda = norm;
    if (diff < 1e-10) break;
  }
  return { v, lambda };
}

/** PCA of the n×d row-major matrix A to two dimensions (d = 1 gives y = 0). */
export function pca2(A: Float64Array, n: number, d: number): Projection {
  const stride = Math.max(1, Math.ceil(n / MAX_SAMPLE));
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += A[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const C = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i += stride) {
    for (let j = 0; j < d; j++) row[j] = A[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) C[a * d + b] += row[a] * row[b];
  }
  let trace = 0;
  for (let a = 0; a < d; a++) trace += C[a * d + a];
  const first = powerIteration(C, d, 1);
  const deflated = new Float64Array(C);
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) deflated[a * d + b] -= first.lambda * first.v[a] * first.v[b];
  const second = d > 1 ? powerIteration(deflated, d, 3) : { v: new Float64Array(d), lambda: 0 };
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sx = 0;
    let sy = 0;
    for (let j = 0; j < d; j++) {
      const c = A[i * d + j] - mean[j];
      sx += c * first.v[j];
      sy += c * second.v[j];
    }
    x[i] = sx;
    y[i] = sy;
  }
  return { x, y, explained: trace > 0 ? [first.lambda / trace, second.lambda / trace] : [0, 0] };
}
