/**
 * Finds out whether WebGPU can be used, and if not, exactly why, in words a student can act on.
 * (A blank page or an endless spinner when WebGPU is missing is the most common complaint about
 * WebGPU apps.)
 */

/** Outcome of probing WebGPU. */
export type WebGpuProbe = { ok: true; adapter: GPUAdapter; label: string } | { ok: false; reason: string };

/** Describes an adapter by the fields people recognise; `adapter.info` fields are getters. */
export function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter(
    (p) => p && p.length > 0,
  );
  const name = parts.length > 0 ? [...new Set(parts)].join(' ') : 'unnamed adapter';
  return `WebGPU: ${name}${adapter.info.isFallbackAdapter ? ' (software fallback adapter)' : ''}`;
}

/** Probes navigator.gpu and requests an adapter. Never throws. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    if (typeof window !== 'undefined' && !window.isSecureContext) {
      return {
        ok: false,
        reason: `WebGPU needs a secure context: this page was opened over plain http from ${window.location.host}. Open it via https or http://localhost instead.`,
      };
    }
    return { ok: false, reason: 'This browser has no WebGPU (navigator.gpu is missing).' };
  }
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      return {
        ok: false,
        reason: 'WebGPU is present but offered no adapter (the GPU may be blocklisted or disabled).',
      };
    }
    return { ok: true, adapter, label: describeAdapter(adapter) };
  } catch (e) {
    return {
      ok: false,
      reason: `Requesting a WebGPU adapter failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
