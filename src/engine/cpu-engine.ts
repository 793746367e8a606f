/**
 * CpuEngine: the float64 reference engine on src/math. It is the oracle every GPU result is checked
 * against, the fallback when WebGPU is missing or lost, and (in the browser) it runs in a Worker.
 */
import { evaluateAt, forward, hessianKernel, hessianVectorProduct } from '../math/objective';
import { leverageScores, sketchedHessian } from '../math/sketch';
import type { Dataset, Evaluation, Problem } from '../math/types';
import {
  assertSupported,
  type Engine,
  type EngineCapabilities,
  type EvalOptions,
  type EvalRequest,
} from './engine';

/** The CPU engine's capabilities: float64, and the sampled sketch of src/math/sketch.ts. */
export const CPU_CAPABILITIES: EngineCapabilities = { precision: 'float64', sketch: 'sampled' };

export class CpuEngine implements Engine {
  readonly kind = 'cpu' as const;
  readonly description = 'CPU (float64 reference)';
  readonly capabilities = CPU_CAPABILITIES;
  private leverage: Float64Array | null = null;

  constructor(readonly dataset: Dataset) {}

  private problem(req: EvalRequest): Problem {
    return { ...this.dataset, ...req.config };
  }

  /** Synchronous form of {@link evaluate}, for callers that are not async (workers, CLI). */
  evaluateSync(batch: readonly EvalRequest[], options: EvalOptions = {}): Evaluation[] {
    assertSupported(this.capabilities, options);
    const mode = options.hessian ?? 'none';
    const wantGrad = options.gradient !== false;
    return batch.map((req) => {
      const problem = this.problem(req);
      if (mode === 'none' || mode === 'exact') {
        return evaluateAt(problem, req.x, { gradient: wantGrad, hessian: mode === 'exact' });
      }
      const ev = evaluateAt(problem, req.x, { gradient: wantGrad });
      const { n, d, A } = this.dataset;
      this.leverage ??= leverageScores(A, n, d);
      const K = hessianKernel(problem, forward(problem, req.x));
      ev.hessian = sketchedHessian(A, n, d, K, this.leverage, mode.sketch.rows, mode.sketch.seed).hessian;
      return ev;
    });
  }

  async evaluate(batch: readonly EvalRequest[], options: EvalOptions = {}): Promise<Evaluation[]> {
    return this.evaluateSync(batch, options);
  }

  async hessianVectorProducts(
    batch: readonly EvalRequest[],
    v: readonly Float64Array[],
  ): Promise<Float64Array[]> {
    if (v.length !== batch.length) throw new Error('hessianVectorProducts: one v per request');
    return batch.map((req, k) => hessianVectorProduct(this.problem(req), req.x, v[k]));
  }

  dispose(): void {
    this.leverage = null;
  }
}
