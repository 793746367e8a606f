/**
 * The copyright-regression objective in float64 (math.md §4): forward pass, loss parts, gradient,
 * Hessian in the O(n·d²) form Aᵀ(diag(δ) + U·C·Uᵀ)A, and Hessian-vector products. No n×n matrix is
 * ever formed. Both readings of f1 are supported: 'global' (f1 = copyrighted entries of the softmax
 * over all rows) and 'separate' (a softmax over the copyrighted rows alone).
 */
import { dot, matTVec, matVec, weightedGram } from './linalg';
import type { Evaluation, LossParts, Problem } from './types';

/** Everything the derivatives need from one forward pass at x. */
export interface ForwardState {
  /** u = A·x (n). */
  u: Float64Array;
  /** f = softmax(u) over all n rows. */
  f: Float64Array;
  /** φ: f itself ('global'), or softmax over the copyrighted entries of u padded with zeros ('separate'). */
  phi: Float64Array;
  /** c = f − b. */
  c: Float64Array;
  /** c̃ = m∘(φ − b). */
  ct: Float64Array;
  parts: LossParts;
}

/**
 * The u-space Hessian kernel K = diag(δ) + U·C·Uᵀ so that ∇²L = Aᵀ·K·A (math.md §4.4). δ already
 * contains w². U holds k = 3 ('global') or 5 ('separate') n-vectors; C is k×k, row-major.
 */
export interface HessianKernel {
  delta: Float64Array;
  U: Float64Array[];
  C: Float64Array;
}

/** Gradient in u-space: ∇L = Aᵀg. Also returns p1 for the Hessian. */
interface UGradient {
  g: Float64Array;
  s0: number;
  s1: number;
  p1: Float64Array;
  alpha: number;
}

/** Number of copyrighted rows in a mask. */
export function countMask(mask: Uint8Array): number {
  let n1 = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n1++;
  return n1;
}

/** Stable softmax of the entries of u selected by `select` (all when omitted); others are 0. */
function softmaxSelected(u: Float64Array, select?: Uint8Array): Float64Array {
  const n = u.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if ((!select || select[i]) && u[i] > max) max = u[i];
  const out = new Float64Array(n);
  if (max === -Infinity) return out;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (select && !select[i]) continue;
    const e = Math.exp(u[i] - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

/** The γc/ℓ1 term, taken as 0 when γc = 0 (even when ℓ1 = 0, where 0/0 would be NaN). */
function copyrightTerm(gammaC: number, l1: number): number {
  return gammaC === 0 ? 0 : gammaC / l1;
}

/** Forward pass and loss parts at x (O(n·d)). */
export function forward(problem: Problem, x: Float64Array): ForwardState {
  const { n, d, A, b, w, mask, gammaC, reading } = problem;
  const u = matVec(A, n, d, x);
  const f = softmaxSelected(u);
  const phi = reading === 'separate' ? softmaxSelected(u, mask) : f;
  const c = new Float64Array(n);
  const ct = new Float64Array(n);
  let l = 0;
  let l1 = 0;
  let l2Free = 0;
  let reg = 0;
  for (let i = 0; i < n; i++) {
    const ci = f[i] - b[i];
    c[i] = ci;
    l += ci * ci;
    if (mask[i]) {
      const cti = phi[i] - b[i];
      ct[i] = cti;
      l1 += cti * cti;
    } else {
      l2Free += ci * ci;
    }
    const wu = w[i] * u[i];
    reg += wu * wu;
  }
  reg *= 0.5;
  // Under 'global' ℓ − ℓ1 is exactly the loss on the free rows; summing it directly avoids the
  // cancellation of a subtraction. Under 'separate' ℓ2 is defined as ℓ − ℓ1 (math.md §3) and may be < 0.
  const l2 = reading === 'separate' ? l - l1 : l2Free;
  const n1 = countMask(mask);
  const n2 = n - n1;
  const L = 0.5 * l + copyrightTerm(gammaC, l1) + reg;
  const tau = n1 > 0 && n2 > 0 ? l1 / n1 - l2 / n2 : NaN;
  return { u, f, phi, c, ct, parts: { L, l, l1, l2, reg, tau, n1, n2 } };
}

/** Loss parts only. */
export function lossParts(problem: Problem, x: Float64Array): LossParts {
  return forward(problem, x).parts;
}

/** u-space gradient g with ∇L = Aᵀg (math.md §4.3): g = p0 − (2γc/ℓ1²)·p1 + w²∘u. */
function uGradient(problem: Problem, s: ForwardState): UGradient {
  const { n, w, gammaC } = problem;
  const { f, phi, c, ct, u } = s;
  const s0 = dot(f, c);
  const s1 = dot(phi, ct);
  const alpha = gammaC === 0 ? 0 : (2 * gammaC) / (s.parts.l1 * s.parts.l1);
  const p1 = new Float64Array(n);
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    p1[i] = phi[i] * ct[i] - s1 * phi[i];
    const p0 = f[i] * c[i] - s0 * f[i];
    g[i] = p0 - alpha * p1[i] + w[i] * w[i] * u[i];
  }
  return { g, s0, s1, p1, alpha };
}

/** ∇L at x. */
export function gradient(problem: Problem, x: Float64Array): Float64Array {
  const s = forward(problem, x);
  return matTVec(problem.A, problem.n, problem.d, uGradient(problem, s).g);
}

/** The Hessian kernel K with ∇²L = AᵀKA, from a forward pass (math.md §4.2, §4.4). */
export function hessianKernel(problem: Problem, s: ForwardState, ug = uGradient(problem, s)): HessianKernel {
  const { n, b, w, mask, gammaC, reading } = problem;
  const { f, phi } = s;
  const { s0, p1, alpha } = ug;
  const l1 = s.parts.l1;
  const beta3 = gammaC === 0 ? 0 : (8 * gammaC) / (l1 * l1 * l1);
  let kappa0 = 0;
  let kappa1 = 0;
  const r0 = new Float64Array(n);
  const r1 = new Float64Array(n);
  const delta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    kappa0 += f[i] * f[i];
    if (mask[i]) kappa1 += phi[i] * phi[i];
    r0[i] = f[i] * (2 * f[i] - b[i]) - s0 * f[i];
    r1[i] = (mask[i] ? phi[i] * phi[i] : 0) + p1[i];
    delta[i] = r0[i] - alpha * r1[i] + w[i] * w[i];
  }
  if (reading === 'global') {
    // φ = f, so the two blocks merge: U = [f, ρ, p1] with ρ = r0 − α·r1 and κ = κ0 − α·κ1.
    const rho = new Float64Array(n);
    for (let i = 0; i < n; i++) rho[i] = r0[i] - alpha * r1[i];
    const kappa = kappa0 - alpha * kappa1;
    // prettier-ignore
    const C = Float64Array.of(
      kappa, -1, 0,
      -1, 0, 0,
      0, 0, beta3,
    );
    return { delta, U: [f, rho, p1], C };
  }
  // U = [f, r0, φ, r1, p1], C = blkdiag([[κ0, −1], [−1, 0]], α·[[−κ1, 1], [1, 0]], β3).
  // prettier-ignore
  const C = Float64Array.of(
    kappa0, -1, 0, 0, 0,
    -1, 0, 0, 0, 0,
    0, 0, -alpha * kappa1, alpha, 0,
    0, 0, alpha, 0, 0,
    0, 0, 0, 0, beta3,
  );
  return { delta, U: [f, r0, phi, r1, p1], C };
}

/**
 * Adds (AᵀU)·C·(AᵀU)ᵀ to the symmetric d×d matrix H, given the d-vectors a_k = Aᵀu_k and a
 * symmetric k×k C. Entries are computed on the upper triangle and mirrored, so H stays exactly
 * symmetric (Cholesky and the eigen-solver rely on it).
 */
export function addLowRank(H: Float64Array, d: number, AtU: Float64Array[], C: Float64Array): void {
  const k = AtU.length;
  // B = C·(AtU)ᵀ as k d-vectors: b_p = Σ_q C_pq a_q, so the update is Σ_p a_p b_pᵀ.
  const B = AtU.map((_, p) => {
    const bp = new Float64Array(d);
    for (let q = 0; q < k; q++) {
      const cpq = C[p * k + q];
      if (cpq === 0) continue;
      const aq = AtU[q];
      for (let j = 0; j < d; j++) bp[j] += cpq * aq[j];
    }
    return bp;
  });
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += AtU[p][i] * B[p][j];
      H[i * d + j] += s;
      if (j !== i) H[j * d + i] = H[i * d + j];
    }
  }
}

/** ∇²L = Aᵀ·diag(δ)·A + (AᵀU)·C·(AᵀU)ᵀ from a kernel (O(n·d²)). */
export function hessianFromKernel(problem: Problem, K: HessianKernel): Float64Array {
  const { A, n, d } = problem;
  const H = weightedGram(A, n, d, K.delta);
  addLowRank(
    H,
    d,
    K.U.map((v) => matTVec(A, n, d, v)),
    K.C,
  );
  return H;
}

/** ∇²L at x, d×d row-major. */
export function hessian(problem: Problem, x: Float64Array): Float64Array {
  const s = forward(problem, x);
  return hessianFromKernel(problem, hessianKernel(problem, s));
}

/** K·z for the u-space kernel (O(n·k)). */
export function applyKernel(K: HessianKernel, z: Float64Array): Float64Array {
  const n = z.length;
  const k = K.U.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = K.delta[i] * z[i];
  const proj = K.U.map((v) => dot(v, z));
  for (let p = 0; p < k; p++) {
    let coef = 0;
    for (let q = 0; q < k; q++) coef += K.C[p * k + q] * proj[q];
    if (coef === 0) continue;
    const up = K.U[p];
    for (let i = 0; i < n; i++) out[i] += coef * up[i];
  }
  return out;
}

/** ∇²L(x)·v without forming the Hessian: Aᵀ·K·(A·v), O(n·d). */
export function hessianVectorProduct(problem: Problem, x: Float64Array, v: Float64Array): Float64Array {
  const { A, n, d } = problem;
  const s = forward(problem, x);
  const K = hessianKernel(problem, s);
  return matTVec(A, n, d, applyKernel(K, matVec(A, n, d, v)));
}

/** Options for {@link evaluateAt}. */
export interface EvaluateOptions {
  gradient?: boolean;
  hessian?: boolean;
}

/** Loss parts, and on request ∇L and ∇²L, from one forward pass. */
export function evaluateAt(problem: Problem, x: Float64Array, opts: EvaluateOptions = {}): Evaluation {
  const s = forward(problem, x);
  const out: Evaluation = { ...s.parts };
  if (opts.gradient === false && !opts.hessian) return out;
  const ug = uGradient(problem, s);
  if (opts.gradient !== false) out.grad = matTVec(problem.A, problem.n, problem.d, ug.g);
  if (opts.hessian) out.hessian = hessianFromKernel(problem, hessianKernel(problem, s, ug));
  return out;
}
