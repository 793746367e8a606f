/**
 * Engine factory shared by the CLI and benchmarks: 'cpu' is the float64 reference; 'gpu' loads the
 * WebGPU engine on demand (in Node through the npm `webgpu` package), so hosts that never ask for
 * it never load it.
 */
import { CpuEngine, type CpuEngineOptions } from './cpu-engine';
import type { Engine, EngineKind } from './engine';
import type { Dataset } from '../math/types';

export const ENGINE_KINDS: readonly EngineKind[] = ['cpu', 'gpu'];

/**
 * Creates an engine of the given kind bound to the data set (`cpu`: the CPU engine's options, e.g.
 * row shards). Throws with a reason on failure.
 */
export async function createEngine(
  kind: EngineKind,
  dataset: Dataset,
  cpu: CpuEngineOptions = {},
): Promise<Engine> {
  if (kind === 'cpu') return new CpuEngine(dataset, cpu);
  const { createGpuEngine } = await import('../gpu/gpu-engine');
  return createGpuEngine(dataset);
}
