/**
 * The Engine interface: what solvers and sweeps call to evaluate the objective. An engine is bound
 * to one Dataset (A, b, w) and evaluates a batch of (x, config) pairs per call, so a GPU engine can
 * read A once for all of them. CpuEngine (float64, src/math) is the reference; GpuEngine (WebGPU,
 * float32) implements the same contract.
 */
import type { Dataset, Evaluation, ObjectiveConfig } from '../math/types';

/** One point to evaluate: a parameter vector (length d) and the objective it is evaluated under. */
export interface EvalRequest {
  x: Float64Array;
  config: ObjectiveConfig;
}

/**
 * Hessian wanted from an evaluation: none, the exact ∇²L, or the DLS23-style sketch where the
 * diagonal part Aᵀdiag(δ)A is replaced by leverage-score row sampling (math.md §2) and the low-rank
 * part is kept exact. `rows` is the expected number of sampled rows; `seed` makes it reproducible.
 */
export type HessianMode = 'none' | 'exact' | { sketch: { rows: number; seed: number } };

export interface EvalOptions {
  /** Compute ∇L (default true). */
  gradient?: boolean;
  /** Default 'none'. */
  hessian?: HessianMode;
}

export type EngineKind = 'cpu' | 'gpu';

export interface Engine {
  readonly kind: EngineKind;
  /** Human-readable backend description, e.g. "CPU float64" or the GPU adapter. */
  readonly description: string;
  /**
   * Arithmetic the engine evaluates in (default 'float64'). Solvers scale their line-search slack,
   * ℓ1 guard and no-progress test to it: float32 resolves L only to about 6e-8 relative.
   */
  readonly precision?: 'float64' | 'float32';
  /** The data this engine is bound to. */
  readonly dataset: Dataset;
  /** Loss parts (and derivatives on request) for each request, in order. */
  evaluate(batch: readonly EvalRequest[], options?: EvalOptions): Promise<Evaluation[]>;
  /** ∇²L(x_k)·v_k for each request k, without forming the Hessian (for Newton-CG). */
  hessianVectorProducts(batch: readonly EvalRequest[], v: readonly Float64Array[]): Promise<Float64Array[]>;
  /** Releases buffers and workers; the engine is unusable afterwards. */
  dispose(): void;
}
