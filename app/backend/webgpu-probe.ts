/**
 * Whether WebGPU can be used here, and if not, why, in src/gpu/device.ts's words (the one place
 * that acquires a device, in the browser and in Node). Also tells a software adapter (SwiftShader,
 * llvmpipe, WARP) from a hardware one: on a software adapter the float64 CPU worker is faster than
 * WGSL emulated on the CPU, and the emulation stalls the page's main thread.
 */
import {
  acquireGpu,
  describeAdapter,
  isSoftwareAdapter,
  type GpuAdapterSummary,
  type GpuContext,
} from '../../src/gpu/device';

export { isSoftwareAdapter };

/** Outcome of probing WebGPU: a device (with its adapter described), or why there is none. */
export type WebGpuProbe =
  { ok: true; gpu: GpuContext; label: string; software: boolean } | { ok: false; reason: string };

/** The label of the GPU backend, e.g. "WebGPU float32 on google swiftshader (fallback)". */
export function gpuLabel(adapter: GpuAdapterSummary): string {
  return `WebGPU float32 on ${describeAdapter(adapter)}`;
}

/** Acquires a WebGPU device (high-performance adapter). Never throws. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  try {
    const got = await acquireGpu({ powerPreference: 'high-performance' });
    if (!got.ok) return { ok: false, reason: got.message };
    return {
      ok: true,
      gpu: got.gpu,
      label: gpuLabel(got.gpu.adapter),
      software: isSoftwareAdapter(got.gpu.adapter),
    };
  } catch (e) {
    return { ok: false, reason: `WebGPU failed to start: ${e instanceof Error ? e.message : String(e)}` };
  }
}
