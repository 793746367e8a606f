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
import {
  MIN_SHARDED_ROWS,
  plainRowKernels,
  type AsyncRowKernels,
  type RowKernels,
} from '../math/row-kernels';
import { leverageScores, sketchedHessian } from '../math/sketch';
import { createWasmRowKernels, wasmSimdAvailable } from '../wasm/wasm-kernels';
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
  private sharded: Promise<AsyncRowKernels | null> | null = null;
  private shardedName: string | null = null;
  private disposed = false;

  constructor(
    readonly dataset: Dataset,
    private readonly options: CpuEngineOptions = {},
  ) {}

  /** The row kernels, made on first use (the WebAssembly ones copy A into their memory). */
  get kernels(): RowKernels {
    this.live();
    if (!this.kernelsMade) {
      const { A, n, d } = this.dataset;
      const wasm = (this.options.kernels ?? 'auto') === 'auto' ? createWasmRowKernels(A, n, d) : null;
      this.kernelsMade = wasm ?? plainRowKernels(A, n, d);
    }
    return this.kernelsMade;
  }

  /** Throws once disposed: a late call (a step still in flight) must not rebuild what was freed. */
  private live(): void {
    if (this.disposed) throw new Error('CpuEngine used after dispose()');
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
        n >= MIN_SHARDED_ROWS &&
        (this.options.kernels ?? 'auto') === 'auto' &&
        wasmSimdAvailable();
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

  /** The kernels in use, e.g. "WebAssembly SIMD" or "WebAssembly SIMD × 2 row shards". */
  get kernelsDescription(): string {
    if (this.shardedName) return this.shardedName;
    if (this.kernelsMade) return this.kernelsMade.name;
    // Not made yet (or released): what they will be, without copying A to find out.
    return (this.options.kernels ?? 'auto') === 'auto' && wasmSimdAvailable()
      ? 'WebAssembly SIMD'
      : 'TypeScript';
  }

  /** E.g. "CPU float64 (WebAssembly SIMD)" or "CPU float64 (WebAssembly SIMD × 2 row shards)". */
  get description(): string {
    return `CPU float64 (${this.kernelsDescription})`;
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
    this.live();
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
    this.live();
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
    this.disposed = true;
    this.leverage = null;
    this.kernelsMade?.dispose();
    this.kernelsMade = null;
    void this.sharded?.then((k) => k?.dispose());
    this.sharded = null;
  }
}
