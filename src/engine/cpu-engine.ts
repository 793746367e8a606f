/**
 * CpuEngine: the float64 engine on src/math. It is the oracle every GPU result is checked against,
 * the fallback when WebGPU is missing or lost, and (in the browser) it runs in a Worker. Its passes
 * over A run on the WebAssembly SIMD kernels where they are available (src/wasm), else on the
 * TypeScript reference loops; the two differ by rounding only (src/wasm/wasm-kernels.test.ts).
 */
import {
  evaluateAt,
  evaluateAtAsync,
  forward,
  hessianKernel,
  hessianVectorProduct,
  hessianVectorProductAsync,
} from '../math/objective';
import { METHOD_NAMES } from '../math/methods';
import { plainRowKernels, type AsyncRowKernels, type RowKernels } from '../math/row-kernels';
import { leverageScores, sketchedHessian } from '../math/sketch';
import { createWasmRowKernels, REDUCTION_BLOCK_ROWS } from '../wasm/wasm-kernels';
import { createShardedRowKernels, type ShardPort } from './row-shards';
import type { Dataset, Evaluation, Problem } from '../math/types';
import {
  assertSupported,
  type Engine,
  type EngineCapabilities,
  type EvalOptions,
  type EvalRequest,
} from './engine';

/** The CPU engine's capabilities: float64, the sampled sketch of src/math/sketch.ts, every method. */
export const CPU_CAPABILITIES: EngineCapabilities = {
  precision: 'float64',
  sketch: 'sampled',
  methods: METHOD_NAMES,
};

/**
 * Which row kernels a CpuEngine runs: 'auto' = WebAssembly SIMD where available, else TypeScript;
 * 'typescript' = the reference loops (tests that need the reference's exact sums, benches).
 */
export type CpuKernelChoice = 'auto' | 'typescript';

export interface CpuEngineOptions {
  kernels?: CpuKernelChoice;
  /**
   * Row shards for {@link CpuEngine.evaluate} and the Hessian-vector products: `count` shards in
   * all, shard 0 on the engine's own thread and `spawn(s)` giving the port of each other one
   * (src/engine/row-shards.ts). Used with the WebAssembly kernels only, and only when there are
   * at least two reduction blocks of rows; the results are the same bits as without shards.
   */
  shards?: { count: number; spawn: (index: number) => ShardPort };
}

export class CpuEngine implements Engine {
  readonly kind = 'cpu' as const;
  readonly capabilities = CPU_CAPABILITIES;
  private leverage: Float64Array | null = null;
  private kernelsMade: RowKernels | null = null;
  /** Whether {@link kernels} are the WebAssembly ones (row shards run those only). */
  private onWasm = false;
  private sharded: Promise<AsyncRowKernels | null> | null = null;
  private shardedName: string | null = null;

  constructor(
    readonly dataset: Dataset,
    private readonly options: CpuEngineOptions = {},
  ) {}

  /** The row kernels, made on first use (the WebAssembly ones copy A into their memory). */
  get kernels(): RowKernels {
    if (!this.kernelsMade) {
      const { A, n, d } = this.dataset;
      const wasm = (this.options.kernels ?? 'auto') === 'auto' ? createWasmRowKernels(A, n, d) : null;
      this.onWasm = wasm !== null;
      this.kernelsMade = wasm ?? plainRowKernels(A, n, d);
    }
    return this.kernelsMade;
  }

  /**
   * The sharded kernels when shards were asked for and are worth having (WebAssembly kernels, two
   * or more blocks of rows), made on first use; null otherwise or when they could not start (the
   * engine then runs on its own thread: same results, one core).
   */
  private shardedKernels(): Promise<AsyncRowKernels | null> {
    if (!this.sharded) {
      const { shards } = this.options;
      const { A, n, d } = this.dataset;
      const worth =
        shards !== undefined &&
        shards.count > 1 &&
        n >= 2 * REDUCTION_BLOCK_ROWS &&
        this.kernels !== null &&
        this.onWasm;
      this.sharded = worth
        ? createShardedRowKernels(A, n, d, shards.count, shards.spawn).then(
            (k) => {
              this.shardedName = k?.name ?? null;
              return k;
            },
            () => null,
          )
        : Promise.resolve(null);
    }
    return this.sharded;
  }

  /** E.g. "CPU float64 (WebAssembly SIMD)" or "CPU float64 (WebAssembly SIMD × 2 row shards)". */
  get description(): string {
    return `CPU float64 (${this.shardedName ?? this.kernels.name})`;
  }

  private problem(req: EvalRequest): Problem {
    return { ...this.dataset, ...req.config };
  }

  /** Synchronous form of {@link evaluate}, for callers that are not async (workers, CLI). */
  evaluateSync(batch: readonly EvalRequest[], options: EvalOptions = {}): Evaluation[] {
    assertSupported(this.capabilities, options, batch);
    const mode = options.hessian ?? 'none';
    const wantGrad = options.gradient !== false;
    return batch.map((req) => {
      const problem = this.problem(req);
      if (mode === 'none' || mode === 'exact') {
        return evaluateAt(problem, req.x, { gradient: wantGrad, hessian: mode === 'exact' }, this.kernels);
      }
      const ev = evaluateAt(problem, req.x, { gradient: wantGrad }, this.kernels);
      const { n, d, A } = this.dataset;
      this.leverage ??= leverageScores(A, n, d);
      const K = hessianKernel(problem, forward(problem, req.x, this.kernels));
      ev.hessian = sketchedHessian(A, n, d, K, this.leverage, mode.sketch.rows, mode.sketch.seed).hessian;
      return ev;
    });
  }

  /** As {@link evaluateSync}, on the row shards when there are any (sketched Hessians stay local). */
  async evaluate(batch: readonly EvalRequest[], options: EvalOptions = {}): Promise<Evaluation[]> {
    assertSupported(this.capabilities, options, batch);
    const mode = options.hessian ?? 'none';
    const sharded = typeof mode === 'object' ? null : await this.shardedKernels();
    if (!sharded) return this.evaluateSync(batch, options);
    const out: Evaluation[] = [];
    for (const req of batch) {
      const opts = { gradient: options.gradient !== false, hessian: mode === 'exact' };
      out.push(await evaluateAtAsync(this.problem(req), req.x, opts, sharded));
    }
    return out;
  }

  async hessianVectorProducts(
    batch: readonly EvalRequest[],
    v: readonly Float64Array[],
  ): Promise<Float64Array[]> {
    if (v.length !== batch.length) throw new Error('hessianVectorProducts: one v per request');
    const sharded = await this.shardedKernels();
    if (!sharded)
      return batch.map((req, k) => hessianVectorProduct(this.problem(req), req.x, v[k], this.kernels));
    const out: Float64Array[] = [];
    for (let k = 0; k < batch.length; k++) {
      out.push(await hessianVectorProductAsync(this.problem(batch[k]), batch[k].x, v[k], sharded));
    }
    return out;
  }

  dispose(): void {
    this.leverage = null;
    this.kernelsMade?.dispose();
    this.kernelsMade = null;
    void this.sharded?.then((k) => k?.dispose());
    this.sharded = null;
  }
}
