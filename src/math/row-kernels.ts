/**
 * The passes over the n×d data matrix A that dominate an evaluation (O(n·d) and O(n·d²)), behind
 * one interface bound to A, so the objective can run on the plain-TypeScript loops of linalg.ts
 * (the reference, and the fallback) or on faster kernels with the same contract (WebAssembly SIMD
 * in src/wasm, row shards across workers). Implementations differ only by rounding: they may sum
 * in another order, nothing else.
 */
import { matTVec, matVec, weightedGram } from './linalg';

/**
 * Rows per reduction block of the fast kernels (src/wasm): sums over rows are formed block by block
 * from zero and the block partials added in block order. Fixed, so results do not depend on how
 * the rows are split between row shards, which hold whole blocks; data with fewer than two blocks
 * is not sharded.
 */
export const REDUCTION_BLOCK_ROWS = 2048;

/** The fewest rows that are split over row shards (two reduction blocks). */
export const MIN_SHARDED_ROWS = 2 * REDUCTION_BLOCK_ROWS;

export interface RowKernels {
  /** Short name for people (benches, the engine's description), e.g. "TypeScript". */
  readonly name: string;
  /** u = A·x (n). */
  matVec(x: Float64Array): Float64Array;
  /** Aᵀ·v_p for each n-vector v_p (d each), from as few passes over A as the implementation can. */
  matTVecs(vs: readonly Float64Array[]): Float64Array[];
  /**
   * The weighted Gram Aᵀ·diag(δ)·A (d×d, both triangles, exactly symmetric) and Aᵀ·v_p for each
   * n-vector v_p, from as few passes over A as the implementation can (the Hessian and the gradient
   * of one evaluation read A together).
   */
  gramAndMatTVecs(
    delta: Float64Array,
    vs: readonly Float64Array[],
  ): { gram: Float64Array; atv: Float64Array[] };
  /** Releases what the kernels hold (memory, workers); unusable afterwards. */
  dispose(): void;
}

/** The plain-TypeScript kernels of linalg.ts over A (n×d, row-major): the reference. */
export function plainRowKernels(A: Float64Array, n: number, d: number): RowKernels {
  return {
    name: 'TypeScript',
    matVec: (x) => matVec(A, n, d, x),
    matTVecs: (vs) => vs.map((v) => matTVec(A, n, d, v)),
    gramAndMatTVecs: (delta, vs) => ({
      gram: weightedGram(A, n, d, delta),
      atv: vs.map((v) => matTVec(A, n, d, v)),
    }),
    dispose: () => {},
  };
}

/** {@link RowKernels} whose passes answer later (row shards in workers). */
export interface AsyncRowKernels {
  readonly name: string;
  matVec(x: Float64Array): Promise<Float64Array>;
  matTVecs(vs: readonly Float64Array[]): Promise<Float64Array[]>;
  gramAndMatTVecs(
    delta: Float64Array,
    vs: readonly Float64Array[],
  ): Promise<{ gram: Float64Array; atv: Float64Array[] }>;
  dispose(): void;
}
