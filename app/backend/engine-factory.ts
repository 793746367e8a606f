/**
 * The one place the GPU engine is created, so swapping its implementation is one import. The CPU
 * engine is not created here: it lives in the solver worker.
 */
import type { Engine } from '../../src/engine/engine';
import type { Dataset } from '../../src/math/types';

/** Result of trying to create the GPU engine. */
export type GpuEngineResult = { ok: true; engine: Engine; label: string } | { ok: false; reason: string };

/**
 * Creates the WebGPU engine for the dataset. `onLost` is called with a reason when the device is
 * lost later, so the page can fall back to the CPU and say why.
 */
export async function createGpuEngine(
  dataset: Dataset,
  onLost: (reason: string) => void,
): Promise<GpuEngineResult> {
  void dataset;
  void onLost;
  return { ok: false, reason: 'The WebGPU engine is not available in this build.' };
}
