/**
 * An Engine that runs on the GPU engine until its device is lost, then on a float64 CpuEngine
 * over the same data, so a run or sweep in progress continues from its iterates instead of
 * starting over. An evaluation that was in flight when the device went away is retried on the CPU.
 * Device loss is learnt from the device's `lost` promise (app/backend/engines.ts hands it over);
 * nothing polls.
 */
import { CpuEngine } from '../../src/engine/cpu-engine';
import type { Engine, EvalOptions, EvalRequest } from '../../src/engine/engine';
import type { Evaluation } from '../../src/math/types';

/**
 * How long a failed GPU call waits for the device's `lost` promise before it counts as a real
 * error (ms): a destroyed device rejects pending work (a mapAsync) before or after `lost`
 * resolves, in the same task or a few tasks later.
 */
export const LOST_GRACE_MS = 500;

/** GPU engine with a CPU fallback after device loss. */
export class FailoverEngine implements Engine {
  private inner: Engine;
  /** Why the device was lost, once `lost` has resolved. */
  private lost: string | null = null;

  /**
   * @param gpu the GPU engine (owned by engines.ts's per-dataset cache, not by this wrapper).
   * @param deviceLost resolves with the reason when the engine's device is lost; never rejects.
   */
  constructor(
    private readonly gpu: Engine,
    private readonly deviceLost: Promise<string>,
  ) {
    this.inner = gpu;
    void deviceLost.then((reason) => {
      this.lost = reason;
      this.switchToCpu();
    });
  }

  get kind(): Engine['kind'] {
    return this.inner.kind;
  }
  get description(): string {
    return this.inner.description;
  }
  get capabilities(): Engine['capabilities'] {
    return this.inner.capabilities;
  }
  get precision(): Engine['precision'] {
    return this.inner.precision;
  }
  get dataset(): Engine['dataset'] {
    return this.gpu.dataset;
  }

  /** Why the GPU device was lost, or null while it is not. */
  get lostReason(): string | null {
    return this.lost;
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
      if (!this.onCpu) {
        // Either the device is going away (its lost promise settles shortly) or this is a real error.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, LOST_GRACE_MS)));
        await Promise.race([this.deviceLost, grace]);
        clearTimeout(timer);
      }
      if (!this.onCpu) throw e;
      return call(this.inner);
    }
  }

  evaluate(batch: readonly EvalRequest[], options?: EvalOptions): Promise<Evaluation[]> {
    return this.withFailover((e) => e.evaluate(batch, options));
  }

  hessianVectorProducts(batch: readonly EvalRequest[], v: readonly Float64Array[]): Promise<Float64Array[]> {
    return this.withFailover((e) => e.hessianVectorProducts(batch, v));
  }

  /** The GPU engine is owned (and disposed) by engines.ts's per-dataset cache. */
  dispose(): void {}
}
