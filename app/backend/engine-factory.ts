/**
 * The one place the GPU engine is created, on the page's device (engines.ts acquires it once). It
 * is imported on demand, so a page that runs on the CPU never downloads the WebGPU kernels. The
 * CPU engine is not created here: it lives in the solver and sweep workers (and in FailoverEngine
 * after a lost device).
 */
import type { Engine } from '../../src/engine/engine';
import type { Dataset } from '../../src/math/types';

/** Result of trying to create the GPU engine. */
export type GpuEngineResult = { ok: true; engine: Engine } | { ok: false; reason: string };

/** Creates the WebGPU engine for the dataset on `device`. Never throws. */
export async function createGpuEngine(dataset: Dataset, device: GPUDevice): Promise<GpuEngineResult> {
  try {
    const { GpuEngine } = await import('../../src/gpu/gpu-engine');
    const made = await GpuEngine.tryCreate(dataset, { device });
    if (!made.ok) return { ok: false, reason: `The WebGPU engine cannot take this data: ${made.message}` };
    return { ok: true, engine: made.engine };
  } catch (e) {
    return {
      ok: false,
      reason: `The WebGPU engine failed to start: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
