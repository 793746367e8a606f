/**
 * An Engine that runs on the GPU engine until its device is lost, then on a float64 CpuEngine
 * over the same data, so a run in progress continues from its iterate instead of starting over.
 * An evaluation that was in flight when the device went away is retried on the CPU.
 */
import { CpuEngine } from '../../src/engine/cpu-engine';
import type { Engine, EvalOptions, EvalRequest } from '../../src/engine/engine';
import type { Evaluation } from '../../src/math/types';

/** How long a failed GPU call waits for the device-lost notice before it counts as a real error (ms). */
const LOST_GRACE_MS = 500;

const lostReasonOf = (e: Engine): string | null =>
  (e as Engine & { lostReason?: string | null }).lostReason ?? null;

/** GPU engine with a CPU fallback after device loss. */
export class FailoverEngine implements Engine {
  private inner: Engine;

  constructor(private readonly gpu: Engine) {
    this.inner = gpu;
  }

  get kind(): Engine['kind'] {
    return this.inner.kind;
  }
  get description(): string {
    return this.inner.description;
  }
  get precision(): Engine['precision'] {
    return this.inner.precision;
  }
  get dataset(): Engine['dataset'] {
    return this.gpu.dataset;
  }

  /** Why the GPU device was lost, or null while it is not (a sweep tells a lost device from a backend choice). */
  get lostReason(): string | null {
    return lostReasonOf(this.gpu);
  }

  /** True once calls go to the CPU. */
  get onCpu(): boolean {
    return this.inner !== this.gpu;
  }

  /** Sends every later call to a CpuEngine (idempotent). */
  switchToCpu(): void {
    if (!this.onCpu) this.inner = new CpuEngine(this.gpu.dataset);
  }

  /** Runs `call` on the current engine; a GPU failure caused by device loss is retried on the CPU. */
  private async withFailover<T>(call: (e: Engine) => Promise<T>): Promise<T> {
    const engine = this.inner;
    try {
      return await call(engine);
    } catch (e) {
      if (engine !== this.gpu) throw e;
      // A lost device rejects pending work before (or after) the lost promise fires: wait briefly.
      const until = performance.now() + LOST_GRACE_MS;
      while (lostReasonOf(this.gpu) === null && !this.onCpu && performance.now() < until) {
        await new Promise((r) => setTimeout(r, 20));
      }
      if (lostReasonOf(this.gpu) === null && !this.onCpu) throw e;
      this.switchToCpu();
      return call(this.inner);
    }
  }

  evaluate(batch: readonly EvalRequest[], options?: EvalOptions): Promise<Evaluation[]> {
    return this.withFailover((e) => e.evaluate(batch, options));
  }

  hessianVectorProducts(batch: readonly EvalRequest[], v: readonly Float64Array[]): Promise<Float64Array[]> {
    return this.withFailover((e) => e.hessianVectorProducts(batch, v));
  }

  /** The GPU engine is owned (and disposed) by the run controller's per-dataset cache. */
  dispose(): void {}
}
