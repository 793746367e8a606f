/**
 * WebGPU device acquisition for every host, in one module: the browser (navigator.gpu) and Node
 * (the npm `webgpu` package: Dawn, with SwiftShader where there is no GPU). Failures come back as
 * a typed reason, never as a thrown error or a promise that never settles, so a caller can say
 * exactly what is missing and fall back to CpuEngine.
 */

/** Why no GPU device could be had. */
export type GpuFailureReason =
  /** The page is not a secure context (https or localhost), so navigator.gpu is hidden. */
  | 'insecure-context'
  /** The browser has no WebGPU at all (or it is disabled). */
  | 'no-navigator-gpu'
  /** Node: the `webgpu` package could not be loaded or created. */
  | 'node-webgpu-unavailable'
  /** requestAdapter() resolved to null (no usable adapter, blocklisted, software adapters blocked). */
  | 'no-adapter'
  /** requestDevice() rejected (limits too large, out of memory, adapter consumed). */
  | 'request-device-failed';

/** Adapter description, copied field by field (GPUAdapterInfo fields are getters). */
export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters such as SwiftShader. */
  isFallbackAdapter: boolean;
}

/** The limits the engine sizes its buffers and dispatches by (bytes or counts). */
export interface GpuLimitsSummary {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupsPerDimension: number;
  maxStorageBuffersPerShaderStage: number;
}

/** A usable device plus what the engine needs to know about it. */
export interface GpuContext {
  device: GPUDevice;
  adapter: GpuAdapterSummary;
  limits: GpuLimitsSummary;
  /** Features enabled on the device (e.g. 'timestamp-query'). */
  features: string[];
  host: 'browser' | 'node';
  /** Resolves when the device is lost (also after device.destroy()). */
  lost: Promise<GPUDeviceLostInfo>;
}

/** Result of {@link acquireGpu}. */
export type GpuAcquireResult =
  { ok: true; gpu: GpuContext } | { ok: false; reason: GpuFailureReason; message: string };

/** Callbacks for problems after acquisition. */
export interface GpuAcquireOptions {
  /** Called once when the device is lost, with GPUDeviceLostInfo's reason and message. */
  onLost?: (info: { reason: string; message: string }) => void;
  /** Called for every uncaptured validation / out-of-memory / internal error. */
  onUncapturedError?: (error: { kind: string; message: string }) => void;
  powerPreference?: GPUPowerPreference;
}

const LIMIT_NAMES = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

function isNode(): boolean {
  return typeof window === 'undefined' && typeof process !== 'undefined' && !!process.versions?.node;
}

// Node: keep the GPU instance alive for the whole process (Dawn tears adapters down with it).
let nodeGpu: GPU | null = null;

async function getNodeGpu(): Promise<GPU> {
  if (nodeGpu) return nodeGpu;
  // A variable module name keeps bundlers from pulling Dawn's native addon into the browser build.
  const name = 'webgpu';
  const mod = (await import(/* @vite-ignore */ name)) as typeof import('webgpu');
  Object.assign(globalThis, mod.globals); // GPUBufferUsage, GPUMapMode, ... as in a browser
  nodeGpu = mod.create([]);
  return nodeGpu;
}

/** Copies adapter info field by field (JSON.stringify of the getters gives {}). */
function summarizeAdapter(adapter: GPUAdapter): GpuAdapterSummary {
  const info = adapter.info;
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter),
  };
}

/** Names of adapters that run WGSL on the CPU, in the adapter info's vendor/architecture/description. */
const SOFTWARE_ADAPTER_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|basic render driver/i;

/**
 * True for a software (CPU-emulated) adapter: flagged as a fallback adapter, or named as one. On
 * such an adapter the float64 CPU engine is faster than WGSL emulated on the CPU (the page's Auto
 * backend and the CLI say so).
 */
export function isSoftwareAdapter(a: GpuAdapterSummary): boolean {
  return (
    a.isFallbackAdapter ||
    SOFTWARE_ADAPTER_NAMES.test([a.vendor, a.architecture, a.device, a.description].join(' '))
  );
}

/** One-line adapter description, e.g. "google swiftshader (fallback)". */
export function describeAdapter(a: GpuAdapterSummary): string {
  const parts = [a.vendor, a.architecture, a.device, a.description].filter((s) => s.length > 0);
  return `${parts.join(' ') || 'unknown adapter'}${a.isFallbackAdapter ? ' (fallback)' : ''}`;
}

/**
 * Gets a WebGPU device in the browser or in Node, requesting the adapter's own maxima for the
 * limits the engine uses (a default device would cap storage bindings at 128 MiB).
 */
export async function acquireGpu(options: GpuAcquireOptions = {}): Promise<GpuAcquireResult> {
  let gpu: GPU | undefined;
  let host: 'browser' | 'node';
  if (typeof navigator !== 'undefined' && navigator.gpu) {
    gpu = navigator.gpu;
    host = 'browser';
  } else if (isNode()) {
    host = 'node';
    try {
      gpu = await getNodeGpu();
    } catch (e) {
      return {
        ok: false,
        reason: 'node-webgpu-unavailable',
        message: `npm package 'webgpu' failed: ${String(e)}`,
      };
    }
  } else {
    if (typeof isSecureContext !== 'undefined' && !isSecureContext) {
      return {
        ok: false,
        reason: 'insecure-context',
        message: 'WebGPU needs a secure context: open the page over https or on localhost/127.0.0.1.',
      };
    }
    return {
      ok: false,
      reason: 'no-navigator-gpu',
      message:
        'This browser has no WebGPU (navigator.gpu is missing); use a recent Chrome/Edge/Firefox/Safari.',
    };
  }

  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter(
      options.powerPreference ? { powerPreference: options.powerPreference } : {},
    );
  } catch (e) {
    return { ok: false, reason: 'no-adapter', message: `requestAdapter() threw: ${String(e)}` };
  }
  if (!adapter) {
    const hint =
      host === 'node'
        ? ' In Node, Dawn needs libvulkan.so.1 (apt-get install libvulkan1, or LD_LIBRARY_PATH=/usr/lib/chromium)' +
          ' and a Vulkan driver: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json in the process environment.'
        : ' The GPU may be blocklisted; headless Chromium needs --enable-unsafe-webgpu for software adapters.';
    return {
      ok: false,
      reason: 'no-adapter',
      message: `requestAdapter() returned null: no WebGPU adapter.${hint}`,
    };
  }

  const requiredLimits: Record<string, number> = {};
  for (const name of LIMIT_NAMES) requiredLimits[name] = adapter.limits[name];
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query')
    ? ['timestamp-query']
    : [];
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'GpuEngine.device' });
  } catch (e) {
    return { ok: false, reason: 'request-device-failed', message: `requestDevice() failed: ${String(e)}` };
  }

  const lost = device.lost;
  void lost.then((info) => options.onLost?.({ reason: String(info.reason), message: info.message }));
  device.addEventListener('uncapturederror', (ev) => {
    const err = (ev as GPUUncapturedErrorEvent).error;
    options.onUncapturedError?.({ kind: err.constructor?.name ?? 'GPUError', message: err.message });
  });

  const limits = {} as GpuLimitsSummary;
  for (const name of LIMIT_NAMES) limits[name] = device.limits[name];
  return {
    ok: true,
    gpu: {
      device,
      adapter: summarizeAdapter(adapter),
      limits,
      features: [...device.features],
      host,
      lost,
    },
  };
}
