/**
 * The one place the GPU engine is created. It is imported on demand, so a page that runs on the
 * CPU never downloads the WebGPU code. The CPU engine is not created here: it lives in the solver
 * worker.
 */
import type { Engine } from '../../src/engine/engine';
import type { Dataset } from '../../src/math/types';

/** Result of trying to create the GPU engine. */
export type GpuEngineResult = { ok: true; engine: Engine; label: string } | { ok: false; reason: string };

/** Words for the device module's failure codes, for people. */
const REASONS: Record<string, string> = {
  'insecure-context': 'WebGPU needs a secure context (https or localhost).',
  'no-navigator-gpu': 'This browser has no WebGPU (navigator.gpu is missing).',
  'no-adapter': 'WebGPU offered no adapter.',
  'request-device-failed': 'The WebGPU device could not be created.',
};

/**
 * Creates the WebGPU engine for the dataset. `onLost` is called with a reason when the device is
 * lost later, so the page can fall back to the CPU and say why. Never throws.
 */
export async function createGpuEngine(
  dataset: Dataset,
  onLost: (reason: string) => void,
): Promise<GpuEngineResult> {
  try {
    const { GpuEngine } = await import('../../src/gpu/gpu-engine');
    const made = await GpuEngine.tryCreate(dataset, {
      onLost: (info) => onLost(info.message ? `${info.reason}: ${info.message}` : info.reason),
    });
    if (!made.ok) return { ok: false, reason: `${REASONS[made.reason] ?? 'WebGPU failed.'} ${made.message}` };
    return { ok: true, engine: made.engine, label: made.engine.description };
  } catch (e) {
    return {
      ok: false,
      reason: `The WebGPU engine failed to start: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
