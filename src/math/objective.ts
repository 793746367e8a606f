/**
 * The copyright-regression objective in float64 (math.md §4): forward pass, loss parts, gradient,
 * Hessian in the O(n·d²) form Aᵀ(diag(δ) + U·C·Uᵀ)A, and Hessian-vector products. No n×n matrix is
 * ever formed. Both readings of f1 are supported: 'global' (f1 = copyrighted entries of the softmax
 * over all rows) and 'separate' (a softmax over the copyrighted rows alone).
 */
import { dot, matTVec, weightedGram } from './linalg';
import { DEFAULT_TAU_TARGET, methodOf, type FValues, type MethodName } from './methods';
import { plainRowKernels, type AsyncRowKernels, type RowKernels } from './row-kernels';
import { NeumaierSum } from './sum';
import type { Evaluation, LossParts, Problem, Reading } from './types';

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
  // Compensated: the normaliser scales every f_i, so its rounding noise would reach ℓ and L whole.
  const sum = new NeumaierSum();
  for (let i = 0; i < n; i++) {
    if (select && !select[i]) continue;
    const e = Math.exp(u[i] - max);
    out[i] = e;
    sum.add(e);
  }
  const total = sum.value;
  for (let i = 0; i < n; i++) out[i] /= total;
  return out;
}

/** The γc/ℓ1 term, taken as 0 when γc = 0 (even when ℓ1 = 0, where 0/0 would be NaN). */
function copyrightTerm(gammaC: number, l1: number): number {
  return gammaC === 0 ? 0 : gammaC / l1;
}

/**
 * The copyright term's derivative coefficients (math.md §4.3, §4.4): α = 2γc/ℓ1² in the gradient
 * and the Hessian's δ and C, β3 = 8γc/ℓ1³ on the p1p1ᵀ block. Both are 0 when γc = 0, even at
 * ℓ1 = 0. The one definition, used by the float64 objective and by the GPU engine's assembly (the
 * WGSL computes its float32 α for the per-row vectors from the same formula, reduce.wgsl).
 */
export function copyrightCoefficients(gammaC: number, l1: number): { alpha: number; beta3: number } {
  if (gammaC === 0) return { alpha: 0, beta3: 0 };
  return { alpha: (2 * gammaC) / (l1 * l1), beta3: (8 * gammaC) / (l1 * l1 * l1) };
}

/** The sums over rows that the loss parts are made of. */
export interface LossSums {
  /** ℓ = Σ c_i². */
  l: number;
  /** ℓ1 = Σ m_i (φ_i − b_i)². */
  l1: number;
  /** Σ over the free rows of c_i² (ℓ2 under 'global'). */
  l2Free: number;
  /** ½ Σ (w_i u_i)². */
  reg: number;
}

/** The part of a configuration that picks F (methods.ts): method and τ-target's t. */
export interface MethodChoice {
  method?: MethodName;
  tauTarget?: number;
}

/**
 * F and its derivatives at (ℓ1, ℓ2) for a configuration's method with strength s (math.md §9).
 */
export function methodValues(
  choice: MethodChoice,
  s: number,
  l1: number,
  l2: number,
  n1: number,
  n2: number,
): FValues {
  return methodOf(choice).F(l1, l2, { s, n1, n2, tauTarget: choice.tauTarget ?? DEFAULT_TAU_TARGET });
}

/** Whether a configuration runs the paper's method (the §4 formulas, both readings). */
export function isPaperMethod(choice: MethodChoice): boolean {
  return (choice.method ?? 'paper') === 'paper';
}

/** Throws when a method is asked for under a reading it is not defined for. */
export function assertMethodReading(choice: MethodChoice, reading: Reading): void {
  const info = methodOf(choice);
  if (reading === 'separate' && !info.bothReadings) {
    throw new RangeError(`the ${info.label} method is defined under the global reading only (math.md §9)`);
  }
}

/**
 * L, ℓ2 and τ from the row sums (math.md §3, §4.1, §9): the one definition, used by
 * {@link forward} and by the GPU engine on its float32 sums. `choice` picks F (default: the
 * paper's, L = ½ℓ + γc/ℓ1 + reg, computed as before); other methods give L = F(ℓ1, ℓ2) + reg
 * with `gammaC` as their strength.
 */
export function lossPartsFromSums(
  sums: LossSums,
  gammaC: number,
  reading: Reading,
  n1: number,
  n2: number,
  choice: MethodChoice = {},
): LossParts {
  const { l, l1, reg } = sums;
  // Under 'global' ℓ − ℓ1 is exactly the loss on the free rows; summing it directly avoids the
  // cancellation of a subtraction. Under 'separate' ℓ2 is defined as ℓ − ℓ1 (math.md §3) and may be < 0.
  const l2 = reading === 'separate' ? l - l1 : sums.l2Free;
  const L = isPaperMethod(choice)
    ? 0.5 * l + copyrightTerm(gammaC, l1) + reg
    : methodValues(choice, gammaC, l1, l2, n1, n2).F + reg;
  const tau = n1 > 0 && n2 > 0 ? l1 / n1 - l2 / n2 : NaN;
  return { L, l, l1, l2, reg, tau, n1, n2 };
}

/** Number of low-rank vectors in the Hessian kernel's U: 3 under 'global', 5 under 'separate'. */
export function lowRankSize(reading: Reading): 3 | 5 {
  return reading === 'separate' ? 5 : 3;
}

/**
 * The k×k matrix C of the Hessian kernel K = diag(δ) + U·C·Uᵀ (math.md §4.4), row-major, with
 * κ0 = ‖f‖², κ1 = ‖m∘φ‖² and α, β3 from {@link copyrightCoefficients}. The one definition, used by
 * {@link hessianKernel} and the GPU engine. The vectors U are [f, ρ, p1] ('global', ρ = r0 − α·r1,
 * the two blocks merged since φ = f) or [f, r0, φ, r1, p1] ('separate').
 */
export function lowRankCoefficients(
  reading: Reading,
  kappa0: number,
  kappa1: number,
  alpha: number,
  beta3: number,
): Float64Array {
  if (reading === 'global') {
    const kappa = kappa0 - alpha * kappa1;
    // prettier-ignore
    return Float64Array.of(
      kappa, -1, 0,
      -1, 0, 0,
      0, 0, beta3,
    );
  }
  // C = blkdiag([[κ0, −1], [−1, 0]], α·[[−κ1, 1], [1, 0]], β3).
  // prettier-ignore
  return Float64Array.of(
    kappa0, -1, 0, 0, 0,
    -1, 0, 0, 0, 0,
    0, 0, -alpha * kappa1, alpha, 0,
    0, 0, alpha, 0, 0,
    0, 0, 0, 0, beta3,
  );
}

/** The kernels to use for a problem: the given ones, or the plain-TypeScript reference. */
function kernelsFor(problem: Problem, kernels?: RowKernels): RowKernels {
  return kernels ?? plainRowKernels(problem.A, problem.n, problem.d);
}

/** Forward pass and loss parts at x (O(n·d)); `kernels` (default: the reference) computes A·x. */
export function forward(problem: Problem, x: Float64Array, kernels?: RowKernels): ForwardState {
  return forwardFromU(problem, kernelsFor(problem, kernels).matVec(x));
}

/** The forward pass from u = A·x (O(n)): everything after the pass over A. */
export function forwardFromU(problem: Problem, u: Float64Array): ForwardState {
  const { n, b, w, mask, gammaC, reading } = problem;
  assertMethodReading(problem, reading);
  const f = softmaxSelected(u);
  const phi = reading === 'separate' ? softmaxSelected(u, mask) : f;
  const c = new Float64Array(n);
  const ct = new Float64Array(n);
  // Compensated sums: L must be resolved to ~1e-16 relative for the line search's 1e-15·|L| slack
  // (a sequential sum over n = 1e5 rows left ~1e-14 of noise and cost Newton iterations).
  const l = new NeumaierSum();
  const l1 = new NeumaierSum();
  const l2Free = new NeumaierSum();
  const reg = new NeumaierSum();
  for (let i = 0; i < n; i++) {
    const ci = f[i] - b[i];
    c[i] = ci;
    l.add(ci * ci);
    if (mask[i]) {
      const cti = phi[i] - b[i];
      ct[i] = cti;
      l1.add(cti * cti);
    } else {
      l2Free.add(ci * ci);
    }
    const wu = w[i] * u[i];
    reg.add(wu * wu);
  }
  const n1 = countMask(mask);
  const sums = { l: l.value, l1: l1.value, l2Free: l2Free.value, reg: 0.5 * reg.value };
  return { u, f, phi, c, ct, parts: lossPartsFromSums(sums, gammaC, reading, n1, n - n1, problem) };
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
  const { alpha } = copyrightCoefficients(gammaC, s.parts.l1);
  const p1 = new Float64Array(n);
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    p1[i] = phi[i] * ct[i] - s1 * phi[i];
    const p0 = f[i] * c[i] - s0 * f[i];
    g[i] = p0 - alpha * p1[i] + w[i] * w[i] * u[i];
  }
  return { g, s0, s1, p1, alpha };
}

/** The u-space gradient of the method family and what its Hessian reuses (math.md §9). */
interface FamilyGradient {
  g: Float64Array;
  p1: Float64Array;
  p2: Float64Array;
  F: FValues;
}

/**
 * u-space gradient of L = F(ℓ1, ℓ2) + ½‖w∘u‖² under the global reading (math.md §9):
 * g = 2F₁·p1 + 2F₂·p2 + w²∘u with p_μ = f∘e_μ − ⟨f, e_μ⟩f, e_μ = μ∘c for μ ∈ {m, 1 − m}.
 */
function familyGradient(problem: Problem, s: ForwardState): FamilyGradient {
  const { n, w, mask, gammaC } = problem;
  const { f, c, u, parts } = s;
  const F = methodValues(problem, gammaC, parts.l1, parts.l2, parts.n1, parts.n2);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    if (mask[i]) s1 += f[i] * c[i];
    else s2 += f[i] * c[i];
  }
  const p1 = new Float64Array(n);
  const p2 = new Float64Array(n);
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const fc = f[i] * c[i];
    p1[i] = (mask[i] ? fc : 0) - s1 * f[i];
    p2[i] = (mask[i] ? 0 : fc) - s2 * f[i];
    g[i] = 2 * F.F1 * p1[i] + 2 * F.F2 * p2[i] + w[i] * w[i] * u[i];
  }
  return { g, p1, p2, F };
}

/**
 * The family's Hessian kernel (math.md §9): δ = ρ + w², U = [f, ρ, p1, p2] and
 * C = [[κ, −1, 0, 0], [−1, 0, 0, 0], [0, 0, 4F₁₁, 4F₁₂], [0, 0, 4F₁₂, 4F₂₂]], with
 * r_μ = μ∘f∘f + p_μ, ρ = 2F₁r1 + 2F₂r2, κ_μ = ⟨μ∘f, f⟩ and κ = 2F₁κ1 + 2F₂κ2.
 */
function familyHessianKernel(problem: Problem, s: ForwardState, fg: FamilyGradient): HessianKernel {
  const { n, w, mask } = problem;
  const { f } = s;
  const { p1, p2, F } = fg;
  let kappa1 = 0;
  let kappa2 = 0;
  const rho = new Float64Array(n);
  const delta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ff = f[i] * f[i];
    if (mask[i]) kappa1 += ff;
    else kappa2 += ff;
    const r1 = (mask[i] ? ff : 0) + p1[i];
    const r2 = (mask[i] ? 0 : ff) + p2[i];
    rho[i] = 2 * F.F1 * r1 + 2 * F.F2 * r2;
    delta[i] = rho[i] + w[i] * w[i];
  }
  return { delta, U: [f, rho, p1, p2], C: familyLowRankCoefficients(F, kappa1, kappa2) };
}

/**
 * The 4×4 C of the family's Hessian kernel (math.md §9) for U = [f, ρ, p1, p2], row-major, from F's
 * derivatives and κ_μ = ⟨μ∘f, f⟩ (κ1 on the copyrighted rows, κ2 on the free ones). The one
 * definition, used by {@link hessianKernel} and the GPU engine (on its float32 sums).
 */
export function familyLowRankCoefficients(F: FValues, kappa1: number, kappa2: number): Float64Array {
  const kappa = 2 * F.F1 * kappa1 + 2 * F.F2 * kappa2;
  // prettier-ignore
  return Float64Array.of(
    kappa, -1, 0, 0,
    -1, 0, 0, 0,
    0, 0, 4 * F.F11, 4 * F.F12,
    0, 0, 4 * F.F12, 4 * F.F22,
  );
}

/** ∇L at x. */
export function gradient(problem: Problem, x: Float64Array): Float64Array {
  const s = forward(problem, x);
  const g = isPaperMethod(problem) ? uGradient(problem, s).g : familyGradient(problem, s).g;
  return matTVec(problem.A, problem.n, problem.d, g);
}

/**
 * The Hessian kernel K with ∇²L = AᵀKA, from a forward pass (math.md §4.2, §4.4; §9 for the
 * methods other than the paper's, whose `ug` is not used).
 */
export function hessianKernel(problem: Problem, s: ForwardState, ug?: UGradient): HessianKernel {
  if (!isPaperMethod(problem)) return familyHessianKernel(problem, s, familyGradient(problem, s));
  return paperHessianKernel(problem, s, ug ?? uGradient(problem, s));
}

function paperHessianKernel(problem: Problem, s: ForwardState, ug: UGradient): HessianKernel {
  const { n, b, w, mask, gammaC, reading } = problem;
  const { f, phi } = s;
  const { s0, p1, alpha } = ug;
  const { beta3 } = copyrightCoefficients(gammaC, s.parts.l1);
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
  const C = lowRankCoefficients(reading, kappa0, kappa1, alpha, beta3);
  if (reading === 'global') {
    const rho = new Float64Array(n);
    for (let i = 0; i < n; i++) rho[i] = r0[i] - alpha * r1[i];
    return { delta, U: [f, rho, p1], C };
  }
  return { delta, U: [f, r0, phi, r1, p1], C };
}

/**
 * ∇²L = G + (AᵀU)·C·(AᵀU)ᵀ from the weighted Gram G = Aᵀdiag(δ)A (d×d; only its upper triangle
 * is read), the d-vectors a_p = Aᵀu_p and the k×k C of {@link lowRankCoefficients}. The one
 * assembly both engines use (the GPU engine passes its float32 G and AᵀU; the sum is float64).
 * Each entry is computed once, on the upper triangle, and written to both triangles, so H is
 * exactly symmetric whatever the inputs' rounding: Cholesky and the eigen-solver rely on it.
 */
export function assembleHessian(
  d: number,
  gram: ArrayLike<number>,
  AtU: readonly ArrayLike<number>[],
  C: ArrayLike<number>,
): Float64Array {
  const k = AtU.length;
  if (C.length !== k * k) throw new Error(`assembleHessian: C has ${C.length} entries for k = ${k}`);
  // B = C·(AᵀU)ᵀ as k d-vectors: b_p = Σ_q C_pq a_q, so the low-rank part is Σ_p a_p b_pᵀ.
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
  const H = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = gram[i * d + j];
      for (let p = 0; p < k; p++) s += AtU[p][i] * B[p][j];
      H[i * d + j] = s;
      H[j * d + i] = s;
    }
  }
  return H;
}

/**
 * out += (AᵀU)·C·(AᵀU)ᵀ·v, the low-rank part of ∇²L·v from the d-vectors a_p = Aᵀu_p and the C of
 * {@link lowRankCoefficients} (O(d·k²)); returns out. The GPU engine's Hessian-vector products add
 * it in float64 to their float32 Aᵀdiag(δ)A·v.
 */
export function addLowRankProduct(
  out: Float64Array,
  AtU: readonly ArrayLike<number>[],
  C: ArrayLike<number>,
  v: ArrayLike<number>,
): Float64Array {
  const k = AtU.length;
  const d = out.length;
  const proj = AtU.map((a) => dot(a, v));
  for (let p = 0; p < k; p++) {
    let coef = 0;
    for (let q = 0; q < k; q++) coef += C[p * k + q] * proj[q];
    if (coef === 0) continue;
    const ap = AtU[p];
    for (let j = 0; j < d; j++) out[j] += coef * ap[j];
  }
  return out;
}

/** The d-vectors Aᵀu_p of the kernel's low-rank vectors, A n×d (O(n·d·k)). */
export function kernelAtU(A: Float64Array, n: number, d: number, K: HessianKernel): Float64Array[] {
  return K.U.map((v) => matTVec(A, n, d, v));
}

/** ∇²L = Aᵀ·diag(δ)·A + (AᵀU)·C·(AᵀU)ᵀ from a kernel (O(n·d²)). */
export function hessianFromKernel(problem: Problem, K: HessianKernel): Float64Array {
  const { A, n, d } = problem;
  return assembleHessian(d, weightedGram(A, n, d, K.delta), kernelAtU(A, n, d, K), K.C);
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
export function hessianVectorProduct(
  problem: Problem,
  x: Float64Array,
  v: Float64Array,
  kernels?: RowKernels,
): Float64Array {
  const k = kernelsFor(problem, kernels);
  const K = hessianKernel(problem, forward(problem, x, k));
  return k.matTVecs([applyKernel(K, k.matVec(v))])[0];
}

/** {@link hessianVectorProduct} on kernels that answer later (row shards). */
export async function hessianVectorProductAsync(
  problem: Problem,
  x: Float64Array,
  v: Float64Array,
  kernels: AsyncRowKernels,
): Promise<Float64Array> {
  const K = hessianKernel(problem, forwardFromU(problem, await kernels.matVec(x)));
  return (await kernels.matTVecs([applyKernel(K, await kernels.matVec(v))]))[0];
}

/** Options for {@link evaluateAt}. */
export interface EvaluateOptions {
  gradient?: boolean;
  hessian?: boolean;
}

/**
 * What the derivatives ask of the second pass over A, from a forward pass: the n-vectors to
 * multiply by Aᵀ (g first when ∇L is wanted) and, for ∇²L, the kernel whose δ weights the Gram.
 * Null when no derivative is wanted.
 */
interface DerivativePass {
  vs: Float64Array[];
  K: HessianKernel | null;
  wantGrad: boolean;
}

function derivativePass(problem: Problem, s: ForwardState, opts: EvaluateOptions): DerivativePass | null {
  const wantGrad = opts.gradient !== false;
  if (!wantGrad && !opts.hessian) return null;
  if (!isPaperMethod(problem)) {
    const fg = familyGradient(problem, s);
    if (!opts.hessian) return { vs: [fg.g], K: null, wantGrad };
    const K = familyHessianKernel(problem, s, fg);
    return { vs: wantGrad ? [fg.g, ...K.U] : K.U, K, wantGrad };
  }
  const ug = uGradient(problem, s);
  if (!opts.hessian) return { vs: [ug.g], K: null, wantGrad };
  const K = hessianKernel(problem, s, ug);
  return { vs: wantGrad ? [ug.g, ...K.U] : K.U, K, wantGrad };
}

/** The evaluation from the forward pass and the second pass's results (Aᵀv_p, and the Gram). */
function finishEvaluation(
  problem: Problem,
  s: ForwardState,
  pass: DerivativePass,
  atv: Float64Array[],
  gram: Float64Array | null,
): Evaluation {
  const out: Evaluation = { ...s.parts };
  if (pass.wantGrad) out.grad = atv[0];
  if (pass.K && gram)
    out.hessian = assembleHessian(problem.d, gram, pass.wantGrad ? atv.slice(1) : atv, pass.K.C);
  return out;
}

/**
 * Loss parts, and on request ∇L and ∇²L, from one forward pass. `kernels` (default: the reference
 * loops) does the passes over A: one for A·x, then one for ∇L, or one for ∇L and ∇²L together
 * (the Gram, Aᵀg and AᵀU read the same rows).
 */
export function evaluateAt(
  problem: Problem,
  x: Float64Array,
  opts: EvaluateOptions = {},
  kernels?: RowKernels,
): Evaluation {
  const k = kernelsFor(problem, kernels);
  const s = forward(problem, x, k);
  const pass = derivativePass(problem, s, opts);
  if (!pass) return { ...s.parts };
  if (!pass.K) return finishEvaluation(problem, s, pass, k.matTVecs(pass.vs), null);
  const { gram, atv } = k.gramAndMatTVecs(pass.K.delta, pass.vs);
  return finishEvaluation(problem, s, pass, atv, gram);
}

/** {@link evaluateAt} on kernels that answer later (row shards): the same stages, awaited. */
export async function evaluateAtAsync(
  problem: Problem,
  x: Float64Array,
  opts: EvaluateOptions,
  kernels: AsyncRowKernels,
): Promise<Evaluation> {
  const s = forwardFromU(problem, await kernels.matVec(x));
  const pass = derivativePass(problem, s, opts);
  if (!pass) return { ...s.parts };
  if (!pass.K) return finishEvaluation(problem, s, pass, await kernels.matTVecs(pass.vs), null);
  const { gram, atv } = await kernels.gramAndMatTVecs(pass.K.delta, pass.vs);
  return finishEvaluation(problem, s, pass, atv, gram);
}
