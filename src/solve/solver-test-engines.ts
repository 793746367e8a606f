/**
 * Engines for solver tests (test-only): a float32 stand-in that rounds the float64 engine's
 * results to float32 and adds the gradient noise float32 reductions leave, and a spy that records
 * what a solver asks of its engine.
 */
import { createRng } from '../data/prng';
import { CpuEngine } from '../engine/cpu-engine';
import type { EngineCapabilities, EvalOptions, EvalRequest, HessianMode } from '../engine/engine';
import { METHOD_NAMES } from '../math/methods';
import type { Dataset, Evaluation } from '../math/types';

const FLOAT32: EngineCapabilities = { precision: 'float32', sketch: 'sampled', methods: METHOD_NAMES };

/**
 * CpuEngine whose results are rounded to float32, with additive gradient (and Hessian-vector
 * product) noise of `noise` per entry, N(0, noise²), standing in for a float32 engine. 1e-7 is
 * about what float32 reductions leave in ∇L on small problems.
 */
export class Float32Rounded extends CpuEngine {
  override readonly capabilities = FLOAT32;
  // The older field, for code that still reads it.
  readonly precision = FLOAT32.precision;
  private readonly rng = createRng(5);

  constructor(
    dataset: Dataset,
    private readonly noise = 1e-7,
  ) {
    super(dataset);
  }

  override async evaluate(batch: readonly EvalRequest[], options?: EvalOptions): Promise<Evaluation[]> {
    const evs = await super.evaluate(batch, options);
    const f = Math.fround;
    return evs.map((ev) => ({
      ...ev,
      L: f(ev.L),
      l: f(ev.l),
      l1: f(ev.l1),
      l2: f(ev.l2),
      tau: f(ev.tau),
      grad: ev.grad && ev.grad.map((v) => f(v) + this.noise * this.rng.normal()),
      hessian: ev.hessian && ev.hessian.map(f),
    }));
  }

  override async hessianVectorProducts(
    batch: readonly EvalRequest[],
    v: readonly Float64Array[],
  ): Promise<Float64Array[]> {
    const hv = await super.hessianVectorProducts(batch, v);
    return hv.map((u) => u.map((x) => Math.fround(x) + this.noise * this.rng.normal()));
  }
}

/** CpuEngine that records the Hessian mode of every evaluation and the size of every HVP call. */
export class SpyEngine extends CpuEngine {
  readonly hessianModes: HessianMode[] = [];
  readonly productBatches: number[] = [];

  override async evaluate(batch: readonly EvalRequest[], options: EvalOptions = {}): Promise<Evaluation[]> {
    this.hessianModes.push(options.hessian ?? 'none');
    return super.evaluate(batch, options);
  }

  override async hessianVectorProducts(
    batch: readonly EvalRequest[],
    v: readonly Float64Array[],
  ): Promise<Float64Array[]> {
    this.productBatches.push(batch.length);
    return super.hessianVectorProducts(batch, v);
  }
}
