/**
 * The Engine interface: what solvers and sweeps call to evaluate the objective. An engine is bound
 * to one Dataset (A, b, w) and evaluates a batch of (x, config) pairs per call, so a GPU engine can
 * read A once for all of them. CpuEngine (float64, src/math) is the reference; GpuEngine (WebGPU,
 * float32) implements the same contract.
 */
import { METHODS, type MethodName } from '../math/methods';
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

/**
 * What an engine can honour, for solvers and for people (the app and the CLI show it). An engine
 * never substitutes: a request it cannot serve as asked (e.g. a sketched Hessian on an engine
 * with `sketch: 'unsupported'`) rejects with {@link UnsupportedRequestError}.
 */
export interface EngineCapabilities {
  /**
   * Arithmetic the engine evaluates in. Solvers scale their line-search slack, ℓ1 guard and
   * no-progress test to it: float32 resolves L only to about 6e-8 relative.
   */
  readonly precision: 'float64' | 'float32';
  /**
   * Hessian mode `{ sketch }`: 'sampled' = the leverage-score row sample of math.md §2, the same
   * rows (up to the engine's precision in p_i) for the same (seed, rows) on every engine that says
   * so; 'unsupported' = such a request rejects.
   */
  readonly sketch: 'sampled' | 'unsupported';
  /** The protection methods (src/math/methods.ts) it evaluates; a config with another rejects. */
  readonly methods: readonly MethodName[];
}

/** Rejection of a request the engine cannot honour as asked (see {@link EngineCapabilities}). */
export class UnsupportedRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedRequestError';
  }
}

/**
 * Throws {@link UnsupportedRequestError} when `options` ask for something `capabilities` exclude;
 * every engine calls it before serving an evaluation, so nothing is silently served differently.
 */
export function assertSupported(
  capabilities: EngineCapabilities,
  options: EvalOptions = {},
  batch: readonly EvalRequest[] = [],
): void {
  if (typeof options.hessian === 'object' && capabilities.sketch === 'unsupported') {
    throw new UnsupportedRequestError(
      'this engine cannot sample rows for a sketched Hessian; use the exact Hessian or another engine',
    );
  }
  for (const { config } of batch) {
    const method = config.method ?? 'paper';
    if (!capabilities.methods.includes(method)) {
      throw new UnsupportedRequestError(
        `this engine does not evaluate the ${METHODS[method].label} method; use the CPU engine`,
      );
    }
  }
}

export interface Engine {
  readonly kind: EngineKind;
  /** Human-readable backend description, e.g. "CPU float64" or the GPU adapter. */
  readonly description: string;
  /** What the engine supports; requests outside it reject instead of being served differently. */
  readonly capabilities: EngineCapabilities;
  /**
   * @deprecated Same as `capabilities.precision` (kept while src/solve/solvers.ts reads it; absent
   * means 'float64').
   */
  readonly precision?: EngineCapabilities['precision'];
  /** The data this engine is bound to. */
  readonly dataset: Dataset;
  /** Loss parts (and derivatives on request) for each request, in order. */
  evaluate(batch: readonly EvalRequest[], options?: EvalOptions): Promise<Evaluation[]>;
  /**
   * ∇²L(x_k)·v_k for each request k (exact Hessian, never sketched), without forming the Hessian
   * (for Newton-CG). `v` has one d-vector per request.
   */
  hessianVectorProducts(batch: readonly EvalRequest[], v: readonly Float64Array[]): Promise<Float64Array[]>;
  /** Releases buffers and workers; the engine is unusable afterwards. */
  dispose(): void;
}
