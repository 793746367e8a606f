/**
 * Helpers for the GPU tests and the browser check: device acquisition that fails loudly with the
 * reason, buffer upload/readback with NaN poisoning, and float64 twins of the per-row kernels.
 */
import { acquireGpu, type GpuContext } from './device';

/** A device, or an Error naming why there is none (GPU tests must fail, never skip). */
export async function requireGpu(): Promise<GpuContext> {
  const r = await acquireGpu({
    onUncapturedError: (e) => {
      throw new Error(`uncaptured WebGPU ${e.kind}: ${e.message}`);
    },
  });
  if (!r.ok) throw new Error(`WebGPU unavailable (${r.reason}): ${r.message}`);
  return r.gpu;
}

const USAGE = (): GPUBufferUsageFlags =>
  GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;

/** A storage buffer holding `data`. */
export function upload(device: GPUDevice, data: Float32Array | Uint32Array, label: string): GPUBuffer {
  const buf = device.createBuffer({
    label,
    size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
    usage: USAGE(),
  });
  device.queue.writeBuffer(buf, 0, data as Float32Array<ArrayBuffer>);
  return buf;
}

/** A storage buffer of `floats` f32 filled with NaN, so unwritten outputs show. */
export function poisoned(device: GPUDevice, floats: number, label: string): GPUBuffer {
  return upload(device, new Float32Array(Math.max(4, floats)).fill(NaN), label);
}

/** Reads `floats` f32 from `buf`. */
export async function readF32(device: GPUDevice, buf: GPUBuffer, floats: number): Promise<Float32Array> {
  const bytes = Math.ceil((floats * 4) / 16) * 16;
  const staging = device.createBuffer({
    label: 'testing.staging',
    size: bytes,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buf, 0, staging, 0, bytes);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0, floats * 4));
  staging.unmap();
  staging.destroy();
  return out;
}

/** Bitsets [k][ceil(n/32)] of 0/1 masks, as the kernels read them. */
export function packMasks(masks: readonly Uint8Array[], n: number): Uint32Array {
  const nw = Math.ceil(n / 32);
  const out = new Uint32Array(Math.max(1, masks.length * nw));
  masks.forEach((m, k) => {
    for (let i = 0; i < n; i++) if (m[i]) out[k * nw + (i >>> 5)] |= 1 << (i & 31);
  });
  return out;
}

/** Config records as the kernels read them (the engine's own packing, kernels.ts). */
export { packConfigs } from './kernels';

/** Small seeded PRNG (mulberry32) with normal draws, so failures reproduce. */
export function rng(seed: number): { uniform: () => number; normal: () => number } {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(uniform() + 1e-300)) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** ‖a − b‖₂ / ‖b‖₂ (or the absolute norm when ‖b‖ = 0). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num) / (den > 0 ? Math.sqrt(den) : 1);
}

/** Float64 twin of the per-row kernels (softmax.wgsl, reduce.wgsl, vectors.wgsl) for one config. */
export interface RowTwin {
  M: number;
  S: number;
  M1: number;
  S1: number;
  /** ℓ, ℓ1, ℓ2free, s0, s1, κ0, κ1, reg, α, β3 */
  sums: number[];
  /** Σ|terms| of each of the first 8 sums, the scale their float32 error is relative to. */
  scales: number[];
  /** Right-hand sides as buildRhs writes them (6 slots; unused slots 0). */
  V: Float64Array[];
  delta: Float64Array;
}

/** Computes {@link RowTwin} in float64 from u (float32 values), b, w, the mask, γc and the reading. */
export function rowTwin(
  u: ArrayLike<number>,
  b: ArrayLike<number>,
  w: ArrayLike<number>,
  m: Uint8Array,
  gammaC: number,
  reading: 'global' | 'separate',
): RowTwin {
  const n = u.length;
  let M = -Infinity;
  let M1 = -Infinity;
  for (let i = 0; i < n; i++) {
    M = Math.max(M, u[i]);
    if (m[i]) M1 = Math.max(M1, u[i]);
  }
  let S = 0;
  let S1 = 0;
  for (let i = 0; i < n; i++) {
    S += Math.exp(u[i] - M);
    if (m[i]) S1 += Math.exp(u[i] - M1);
  }
  const f = new Float64Array(n);
  const phi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    f[i] = Math.exp(u[i] - M) / S;
    phi[i] = reading === 'separate' ? (m[i] && S1 > 0 ? Math.exp(u[i] - M1) / S1 : 0) : f[i];
  }
  const sums = new Array<number>(10).fill(0);
  const scales = new Array<number>(8).fill(0);
  const c = new Float64Array(n);
  const ct = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    c[i] = f[i] - b[i];
    ct[i] = m[i] ? phi[i] - b[i] : 0;
    const terms = [
      c[i] ** 2,
      ct[i] ** 2,
      m[i] ? 0 : c[i] ** 2,
      f[i] * c[i],
      phi[i] * ct[i],
      f[i] ** 2,
      m[i] ? phi[i] ** 2 : 0,
      0.5 * w[i] ** 2 * u[i] ** 2,
    ];
    terms.forEach((t, q) => {
      sums[q] += t;
      scales[q] += Math.abs(t);
    });
  }
  const [, l1, , s0, s1] = sums;
  const alpha = gammaC > 0 ? (2 * gammaC) / (l1 * l1) : 0;
  sums[8] = alpha;
  sums[9] = gammaC > 0 ? (8 * gammaC) / (l1 * l1 * l1) : 0;
  const V = Array.from({ length: 6 }, () => new Float64Array(n));
  const delta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p0 = f[i] * c[i] - s0 * f[i];
    const r0 = f[i] * (2 * f[i] - b[i]) - s0 * f[i];
    const p1 = phi[i] * ct[i] - s1 * phi[i];
    const r1 = (m[i] ? phi[i] ** 2 : 0) + p1;
    const w2 = w[i] ** 2;
    V[0][i] = p0 - alpha * p1 + w2 * u[i];
    const rho = r0 - alpha * r1;
    delta[i] = rho + w2;
    V[1][i] = f[i];
    if (reading === 'separate') {
      V[2][i] = r0;
      V[3][i] = phi[i];
      V[4][i] = r1;
      V[5][i] = p1;
    } else {
      V[2][i] = rho;
      V[3][i] = p1;
    }
  }
  return { M, S, M1, S1, sums, scales, V, delta };
}
