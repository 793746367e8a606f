/**
 * Synthetic data sets (math.md §4.5). Every ingredient draws from its own PRNG stream of the same
 * seed, so, for example, x_true does not change when n changes, and the first rows of A stay the
 * same when rows are added (A is drawn row by row).
 */
import type { Dataset } from '../math/types';
import { clipEcho } from './echo';
import { DataError } from './errors';
import { DATA_LIMITS } from './limits';
import { createRng } from './prng';
import { neumaierSum } from './sum';

/** i.i.d. Gaussian rows: A_ij ~ N(0, 1). */
export interface GaussianGeneratorSpec {
  kind: 'gaussian';
  /** Rows, integer in [DATA_LIMITS.nMin, DATA_LIMITS.nMax] = [2, 2 000 000]. */
  n: number;
  /** Features, integer in [1, DATA_LIMITS.dMax] = [1, 1024]. */
  d: number;
  /** Standard deviation of the logit noise ξ in b = softmax(A·x_true + noise·ξ). Default 0.3. */
  noise: number;
  /** Standard deviation of x_true's entries. Default 0.7. */
  xScale: number;
  /**
   * Regularisation strength ρ: w_i = ρ·u_i/n with u_i ~ U[0.5, 1.5). Default {@link DEFAULT_REG}.
   * The 1/n keeps ½‖w∘Ax‖² in balance with the fit ℓ at every n: ℓ = Σ(f_i − b_i)² is O(1/n)
   * when b is spread over n rows, and ½Σ w_i²(a_i·x)² is n terms of O(w²), so w ∝ 1/n keeps
   * their ratio fixed (a fixed w would weigh about n² times more against the fit as n grows).
   */
  reg: number;
  /** Integer in [0, 2^53 − 1]. */
  seed: number;
}

/** "Token embeddings" around a few topic centres: row = centre(cluster) + spread·N(0, I). */
export interface ClustersGeneratorSpec extends Omit<GaussianGeneratorSpec, 'kind'> {
  kind: 'clusters';
  /** Number of topic centres, integer in [1, 64] and ≤ n. Centres ~ N(0, I). */
  clusters: number;
  /** Standard deviation of a row around its centre. Default 0.5. */
  spread: number;
}

/** What {@link generate} makes. */
export type GeneratorSpec = GaussianGeneratorSpec | ClustersGeneratorSpec;

/** What {@link generate} returns. */
export interface GeneratedData {
  /** A, b (a probability vector, sums to 1) and w. */
  dataset: Dataset;
  /** Cluster id (0-based) of each row; only for kind 'clusters'. */
  clusters?: Int32Array;
  /** The planted parameter vector (length d) that generated b. */
  xTrue: Float64Array;
  /** `x1 … xd`. */
  featureNames: string[];
}

/**
 * Default regularisation strength ρ (w_i = ρ·u_i/n). Chosen so that, for n from 50 to 50,000 and
 * both generators, the γc = 0 fit leaves ≤ 20 % of ℓ(0) and γc = 0.1 separates τ from its twin by
 * orders of magnitude (the regime test in src/data/regime.test.ts checks this over seeds).
 */
export const DEFAULT_REG = 0.3;

/** Defaults for the Gaussian generator (math.md §4.5 recipe; n and d sized for a quick demo). */
export const DEFAULT_GENERATOR: Readonly<GaussianGeneratorSpec> = Object.freeze({
  kind: 'gaussian',
  n: 200,
  d: 10,
  noise: 0.3,
  xScale: 0.7,
  reg: DEFAULT_REG,
  seed: 1,
});

/** Defaults for the clusters generator: the Gaussian defaults plus 4 topics with spread 0.5. */
export const DEFAULT_CLUSTERS_GENERATOR: Readonly<ClustersGeneratorSpec> = Object.freeze({
  ...DEFAULT_GENERATOR,
  kind: 'clusters',
  clusters: 4,
  spread: 0.5,
});

/**
 * Largest n·d a generator makes: DATA_LIMITS.cellsMax (2^25), the limit of every data source.
 * Larger n is reduced, with a notice. (An alias kept for the code that imports it by this name.)
 */
export const MAX_GENERATED_CELLS = DATA_LIMITS.cellsMax;

/** Range of each numeric field: [min, max], whether it must be an integer. n and d: DATA_LIMITS. */
const LIMITS = {
  n: { min: DATA_LIMITS.nMin, max: DATA_LIMITS.nMax, integer: true },
  d: { min: 1, max: DATA_LIMITS.dMax, integer: true },
  noise: { min: 0, max: 10, integer: false },
  xScale: { min: 0, max: 10, integer: false },
  // 1e7 covers every version-1 link (w ≤ 100 at n ≤ 50,000 migrates to ρ = w·n ≤ 5·10⁶).
  reg: { min: 0, max: 1e7, integer: false },
  seed: { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true },
  clusters: { min: 1, max: 64, integer: true },
  spread: { min: 0, max: 10, integer: false },
} as const;

type NumericField = keyof typeof LIMITS;

/** A possibly incomplete or out-of-range spec, e.g. read from a URL. Every field is optional. */
export type GeneratorSpecInput = { readonly [K in NumericField | 'kind']?: unknown };

/** Result of {@link validateGeneratorSpec}. */
export interface ValidatedGeneratorSpec {
  /** A spec {@link generate} accepts. */
  spec: GeneratorSpec;
  /** One human-readable sentence per value that was filled in or changed; empty when none was. */
  notices: string[];
}

/**
 * Makes any input into a valid spec: missing or non-numeric fields take the defaults, non-integers
 * are rounded where an integer is needed, out-of-range values are clamped to the range, n is reduced
 * so that n·d ≤ {@link MAX_GENERATED_CELLS}, and clusters ≤ n. Each change adds a notice.
 */
export function validateGeneratorSpec(input: GeneratorSpecInput): ValidatedGeneratorSpec {
  const notices: string[] = [];
  let kind: GeneratorSpec['kind'];
  if (input.kind === 'gaussian' || input.kind === 'clusters') {
    kind = input.kind;
  } else {
    kind = 'gaussian';
    notices.push(
      input.kind === undefined
        ? 'kind: missing; using "gaussian"'
        : `kind: unknown generator ${JSON.stringify(clipEcho(String(input.kind)))}; using "gaussian"`,
    );
  }
  const defaults: ClustersGeneratorSpec = { ...DEFAULT_CLUSTERS_GENERATOR };

  const read = (field: NumericField): number => {
    const limit = LIMITS[field];
    const raw = input[field];
    if (raw === undefined) return defaults[field];
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      notices.push(`${field}: ${describe(raw)} is not a finite number; using ${defaults[field]}`);
      return defaults[field];
    }
    let v = raw;
    if (limit.integer && !Number.isInteger(v)) {
      v = Math.round(v);
      notices.push(`${field}: ${raw} is not an integer; using ${v}`);
    }
    if (v < limit.min) {
      notices.push(`${field}: ${v} is below the minimum ${limit.min}; using ${limit.min}`);
      v = limit.min;
    } else if (v > limit.max) {
      notices.push(`${field}: ${v} is above the maximum ${limit.max}; using ${limit.max}`);
      v = limit.max;
    }
    return v;
  };

  const d = read('d');
  let n = read('n');
  if (n * d > MAX_GENERATED_CELLS) {
    const capped = Math.floor(MAX_GENERATED_CELLS / d);
    notices.push(`n: ${n} rows × ${d} features exceeds ${MAX_GENERATED_CELLS} entries; using n = ${capped}`);
    n = capped;
  }
  const base = {
    n,
    d,
    noise: read('noise'),
    xScale: read('xScale'),
    reg: read('reg'),
    seed: read('seed'),
  };
  if (kind === 'gaussian') return { spec: { kind, ...base }, notices };
  let clusters = read('clusters');
  if (clusters > n) {
    notices.push(`clusters: ${clusters} is more than n = ${n}; using ${n}`);
    clusters = n;
  }
  return { spec: { kind, ...base, clusters, spread: read('spread') }, notices };
}

/** A value quoted back in a notice, clipped (it may come from a link of any length). */
function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(clipEcho(v)) : clipEcho(String(v));
}

/** PRNG stream numbers: one per ingredient, so that changing one size leaves the others' draws alone. */
const STREAM = { A: 1, xTrue: 2, noise: 3, w: 4, centres: 5, assignment: 6 } as const;

/**
 * Generates a data set. Deterministic: the same spec gives bit-identical arrays on every platform.
 *
 * Recipe (math.md §4.5): x_true_j ~ N(0, xScale²); A from the chosen kind; ξ_i ~ N(0, 1);
 * b = softmax(A·x_true + noise·ξ), computed as exp(u − max u)/Σ; w_i = reg·u_i/n, u_i ~ U[0.5, 1.5).
 * For 'clusters', rows are assigned to clusters in equal shares (sizes differ by at most one), in a
 * seeded random order, so every cluster is present.
 *
 * @throws DataError when the spec is not valid (run {@link validateGeneratorSpec} first).
 */
export function generate(spec: GeneratorSpec): GeneratedData {
  const checked = validateGeneratorSpec(spec);
  if (checked.notices.length > 0) {
    throw new DataError(`invalid generator spec: ${checked.notices.join('; ')}`);
  }
  const { n, d, seed } = spec;

  const xTrue = new Float64Array(d);
  const rx = createRng(seed, STREAM.xTrue);
  // `+ 0` turns the −0 that xScale = 0 makes of negative draws into +0.
  for (let j = 0; j < d; j++) xTrue[j] = spec.xScale * rx.normal() + 0;

  const A = new Float64Array(n * d);
  const ra = createRng(seed, STREAM.A);
  let clusterIds: Int32Array | undefined;
  if (spec.kind === 'gaussian') {
    for (let k = 0; k < n * d; k++) A[k] = ra.normal();
  } else {
    const k = spec.clusters;
    const centres = new Float64Array(k * d);
    const rc = createRng(seed, STREAM.centres);
    for (let t = 0; t < k * d; t++) centres[t] = rc.normal();
    clusterIds = new Int32Array(n);
    for (let i = 0; i < n; i++) clusterIds[i] = i % k;
    createRng(seed, STREAM.assignment).shuffle(clusterIds);
    for (let i = 0; i < n; i++) {
      const c = clusterIds[i];
      for (let j = 0; j < d; j++) A[i * d + j] = centres[c * d + j] + spec.spread * ra.normal();
    }
  }

  // Logits u = A·x_true + noise·ξ, then a stable softmax.
  const b = new Float64Array(n);
  const rn = createRng(seed, STREAM.noise);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    let u = 0;
    for (let j = 0; j < d; j++) u += A[i * d + j] * xTrue[j];
    u += spec.noise * rn.normal();
    b[i] = u;
    if (u > max) max = u;
  }
  for (let i = 0; i < n; i++) b[i] = Math.exp(b[i] - max);
  const total = neumaierSum(b); // ≥ 1, since the max row contributes exp(0)
  for (let i = 0; i < n; i++) b[i] /= total;

  const w = new Float64Array(n);
  const rw = createRng(seed, STREAM.w);
  // (u/n)·ρ, in this order, so that scaling the ρ = 1 draw by ρ (as the app does) is bit-identical.
  for (let i = 0; i < n; i++) w[i] = (rw.uniform(0.5, 1.5) / n) * spec.reg;

  const featureNames = Array.from({ length: d }, (_, j) => `x${j + 1}`);
  const result: GeneratedData = { dataset: { n, d, A, b, w }, xTrue, featureNames };
  if (clusterIds) result.clusters = clusterIds;
  return result;
}
