/**
 * GpuEngine: the Engine contract (src/engine/engine.ts) on WebGPU in float32, checked against the
 * float64 CpuEngine. A, b and w² are uploaded once (A split into row chunks under the device's
 * maxStorageBufferBindingSize / maxBufferSize); copyright masks are uploaded once per distinct
 * mask and cached. One evaluate() call runs all K requests in ONE queue submit and reads back only
 * per-config scalars and d-vectors (and d×d matrices when a Hessian is asked for), never n-vectors.
 *
 * Precision: u = Ax and the AᵀV products are float32 dot products; the scalar reductions are float32
 * tree sums (≈1e-6 relative); the weighted Gram Aᵀdiag(δ)A is float32 sums over row blocks. The
 * loss parts (lossPartsFromSums), the Hessian (assembleHessian: exactly symmetric) and the low-rank
 * part of Hv are assembled in float64 on the CPU from the float32 results, by the same functions of
 * src/math/objective.ts as the CPU engine, with the same low-rank coefficients C.
 *
 * Methods (math.md §9, src/math/methods.ts): every one, on every path (loss, ∇L, exact and sketched
 * ∇²L, Hv). The paper's runs the §4 kernels (α = 2γc/ℓ1², both readings); the others ('global'
 * only, as on the CPU) get F₁, F₂ from the WGSL of src/gpu/method-wgsl.ts at the float32 (ℓ1, ℓ2)
 * for their per-row vectors g = 2F₁p1 + 2F₂p2 + w²∘u, δ = ρ + w² and U = [f, ρ, p1, p2]; their C
 * (with F₁₁, F₁₂, F₂₂) is familyLowRankCoefficients of objective.ts in float64 on the host.
 *
 * Sketched Hessians ({ sketch }) really sample rows: the GPU draws the same per-row coins as
 * src/math/sketch.ts (a hash of (seed, row)) and weights the Gram's rows by δ_i/p_i or 0, so the
 * result is the CPU engine's sampled Hessian up to float32. The Gram pass still reads every row (a
 * zero weight costs as much as any other), so on the GPU the sketch changes the result, not the time.
 *
 * Device loss: the engine records it (see {@link GpuEngine.lostReason}), calls `onLost`, and every
 * later call rejects with {@link GpuDeviceLostError}. The engine holds no solver state: the caller
 * keeps x and its history, so it can either call `GpuEngine.create(dataset)` again or continue on
 * `new CpuEngine(dataset)` with the same x:
 *
 *     try { evals = await engine.evaluate(batch); }
 *     catch (e) { if (!(e instanceof GpuDeviceLostError)) throw e;
 *                 engine = (await GpuEngine.tryCreate(dataset)).engine ?? new CpuEngine(dataset);
 *                 evals = await engine.evaluate(batch); }
 */
import {
  assertSupported,
  type Engine,
  type EngineCapabilities,
  type EvalOptions,
  type EvalRequest,
} from '../engine/engine';
import { METHOD_NAMES } from '../math/methods';
import {
  addLowRankProduct,
  assembleHessian,
  assertMethodReading,
  copyrightCoefficients,
  familyLowRankCoefficients,
  isPaperMethod,
  lossPartsFromSums,
  lowRankCoefficients,
  lowRankSize,
  methodValues,
} from '../math/objective';
import { checkSketchRequest, leverageScores } from '../math/sketch';
import type { Dataset, Evaluation, ObjectiveConfig } from '../math/types';
import { acquireGpu, describeAdapter, type GpuContext, type GpuFailureReason } from './device';
import {
  type AChunk,
  ATV_SLOTS,
  AtvStage,
  DEFAULT_TUNING,
  ensureBuffer,
  type GroupShape,
  GramStage,
  KernelSet,
  type KernelTuning,
  MATVEC_TK,
  MatVecStage,
  packConfigs,
  reduceBlocks,
  ReduceStage,
  type RowInputs,
  SC,
  SoftmaxStage,
  STORAGE,
  UniformArena,
  VectorStage,
} from './kernels';

/** Options of {@link GpuEngine.create}. */
export interface GpuEngineOptions {
  /** Use this device (its own limits apply) instead of acquiring one. */
  device?: GPUDevice;
  /** Called once when the device is lost. */
  onLost?: (info: { reason: string; message: string }) => void;
  /** Called for uncaptured WebGPU errors (only when the engine acquires the device). */
  onUncapturedError?: (error: { kind: string; message: string }) => void;
  /** Threads per 1-D workgroup, a power of two (default 64; use 16–32 on SwiftShader tests). */
  workgroupSize?: number;
  /** Rows per thread in the reduction block passes (default 4). */
  items?: number;
  /** Gram output tile side, a multiple of 4 ((tile/4)² threads per workgroup, default 16). */
  gramTile?: number;
  /** Rows per A chunk; default: as many as the binding/buffer limits allow. Set small to test chunking. */
  chunkRows?: number;
  /** Rows per AᵀV block (default max(4·WG, n/256)). */
  atvBlockRows?: number;
  /** Rows per Gram row block (one partial d×d sum each; default: gramBlockRows() in kernels.ts). */
  gramBlockRows?: number;
  /** Upper bound in bytes for the per-group n-sized workspaces (default 256 MiB). */
  maxWorkspaceBytes?: number;
}

/** Thrown by every call after the device was lost. */
export class GpuDeviceLostError extends Error {
  constructor(readonly reason: string) {
    super(`WebGPU device lost: ${reason}`);
    this.name = 'GpuDeviceLostError';
  }
}

/** Thrown by {@link createGpuEngine} when no device can be had; `reason` says why. */
export class GpuUnavailableError extends Error {
  constructor(
    readonly reason: GpuFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

interface CachedMask {
  bits: GPUBuffer;
  bytes: Uint8Array; // a 0/1 copy, to verify a cache hit
  n1: number;
}

/** FNV-1a of a 0/1 mask, for the mask cache key. */
function maskKey(mask: Uint8Array): string {
  let h = 0x811c9dc5;
  let n1 = 0;
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i] ? 1 : 0;
    n1 += v;
    h = Math.imul(h ^ v, 0x01000193);
  }
  return `${(h >>> 0).toString(16)}:${n1}:${mask.length}`;
}

/**
 * The GPU engine's capabilities: float32 kernels, the same sampled sketch as the CPU engine, and
 * every method of math.md §9 (those other than the paper's under the 'global' reading only, which
 * rejects with the CPU engine's RangeError: assertMethodReading).
 */
export const GPU_CAPABILITIES: EngineCapabilities = {
  precision: 'float32',
  sketch: 'sampled',
  methods: METHOD_NAMES,
};

/**
 * Right-hand sides per config for a Hessian or Hv batch: 4 ([g, f, ρ, p1]) when every config is
 * the paper's under 'global', else 6 ('separate': [g, f, r0, φ, r1, p1]; the family: [g, f, ρ, p1,
 * p2, 0]). The AᵀV pass is written for R ∈ {1, 4, 6} only.
 */
function hessianSlots(batch: readonly EvalRequest[]): 4 | 6 {
  return batch.some((r) => r.config.reading === 'separate' || !isPaperMethod(r.config)) ? 6 : 4;
}

/** The checks both entry points make before any GPU work: capabilities, then method × reading. */
function checkBatch(caps: EngineCapabilities, options: EvalOptions, batch: readonly EvalRequest[]): void {
  assertSupported(caps, options, batch);
  for (const { config } of batch) assertMethodReading(config, config.reading);
}

/** The WebGPU float32 engine. Create with {@link GpuEngine.create}. */
export class GpuEngine implements Engine {
  readonly kind = 'gpu' as const;
  readonly capabilities = GPU_CAPABILITIES;
  /** @deprecated Use `capabilities.precision`. */
  readonly precision = GPU_CAPABILITIES.precision;
  readonly description: string;
  /** Why the device was lost, or null while it is alive. */
  lostReason: string | null = null;

  private readonly arena: UniformArena;
  private readonly matvec: MatVecStage;
  private readonly softmax: SoftmaxStage;
  private readonly reduce: ReduceStage;
  private readonly vectors: VectorStage;
  private readonly atv: AtvStage;
  private readonly gram: GramStage;
  private readonly chunks: AChunk[] = [];
  private readonly bBuf: GPUBuffer;
  private readonly w2Buf: GPUBuffer;
  private readonly maskCache = new Map<string, CachedMask>();
  private readonly nw: number; // u32 words per mask bitset
  // Workspaces, grown on demand.
  private X: GPUBuffer | null = null;
  private XV: GPUBuffer | null = null;
  private configs: GPUBuffer | null = null;
  private masksWork: GPUBuffer | null = null;
  private U: GPUBuffer | null = null;
  private T: GPUBuffer | null = null;
  private V: GPUBuffer | null = null;
  private delta: GPUBuffer | null = null;
  private scalars: GPUBuffer | null = null;
  private outAtV: GPUBuffer | null = null;
  private H: GPUBuffer | null = null;
  /** Leverage scores of A (float32 copy of src/math/sketch.ts's float64 ones), on the first sketch. */
  private lev: GPUBuffer | null = null;
  private staging: GPUBuffer | null = null;
  private queueTail: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    readonly dataset: Dataset,
    private readonly device: GPUDevice,
    kernels: KernelSet,
    adapterText: string,
    private readonly opts: GpuEngineOptions,
    private readonly maxBinding: number,
  ) {
    this.description = `WebGPU float32 on ${adapterText}`;
    const { n, d } = dataset;
    this.nw = Math.ceil(n / 32);
    this.arena = new UniformArena(device);
    this.matvec = new MatVecStage(kernels);
    this.softmax = new SoftmaxStage(kernels);
    this.reduce = new ReduceStage(kernels);
    this.vectors = new VectorStage(kernels);
    this.atv = new AtvStage(kernels, opts.atvBlockRows);
    this.gram = new GramStage(kernels, opts.gramBlockRows);

    // A in row chunks: each chunk must fit one binding, and its matvec dispatch ≤ 65535 workgroups.
    const wg = kernels.tuning.workgroupSize;
    const limitRows = Math.max(1, Math.min(Math.floor(maxBinding / (4 * d)), 65535 * wg));
    const chunkRows = Math.max(1, Math.min(opts.chunkRows ?? limitRows, limitRows));
    for (let row0 = 0; row0 < n; row0 += chunkRows) {
      const rows = Math.min(chunkRows, n - row0);
      const buffer = device.createBuffer({ label: 'GpuEngine.chunks', size: rows * d * 4, usage: STORAGE() }); // rows x d f32
      device.queue.writeBuffer(buffer, 0, Float32Array.from(dataset.A.subarray(row0 * d, (row0 + rows) * d)));
      this.chunks.push({ buffer, row0, rows });
    }
    this.bBuf = device.createBuffer({ label: 'GpuEngine.bBuf', size: n * 4, usage: STORAGE() }); // n x f32
    device.queue.writeBuffer(this.bBuf, 0, Float32Array.from(dataset.b));
    const w2 = new Float32Array(n);
    for (let i = 0; i < n; i++) w2[i] = dataset.w[i] * dataset.w[i];
    this.w2Buf = device.createBuffer({ label: 'GpuEngine.w2Buf', size: n * 4, usage: STORAGE() }); // n x f32
    device.queue.writeBuffer(this.w2Buf, 0, w2);
  }

  /**
   * Acquires a device (or uses `options.device`), compiles the kernels and uploads the data.
   * Throws {@link GpuUnavailableError} with the specific reason when there is no usable device.
   */
  static async create(dataset: Dataset, options: GpuEngineOptions = {}): Promise<GpuEngine> {
    const r = await GpuEngine.tryCreate(dataset, options);
    if (!r.ok) throw new GpuUnavailableError(r.reason, r.message);
    return r.engine;
  }

  /** Like {@link GpuEngine.create} but returns the failure reason instead of throwing it. */
  static async tryCreate(
    dataset: Dataset,
    options: GpuEngineOptions = {},
  ): Promise<
    | { ok: true; engine: GpuEngine }
    | { ok: false; reason: GpuFailureReason; message: string; engine?: undefined }
  > {
    let engine: GpuEngine | null = null;
    const onLost = (info: { reason: string; message: string }): void => {
      if (engine) engine.lostReason = `${info.reason}: ${info.message}`;
      options.onLost?.(info);
    };
    let device: GPUDevice;
    let adapterText: string;
    let maxBinding: number;
    if (options.device) {
      device = options.device;
      adapterText = 'a caller-provided device';
      maxBinding = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
      void device.lost.then((info) => onLost({ reason: String(info.reason), message: info.message }));
    } else {
      const got = await acquireGpu({ onLost, onUncapturedError: options.onUncapturedError });
      if (!got.ok) return got;
      const gpu: GpuContext = got.gpu;
      device = gpu.device;
      adapterText = `${describeAdapter(gpu.adapter)} (${gpu.host})`;
      maxBinding = Math.min(gpu.limits.maxStorageBufferBindingSize, gpu.limits.maxBufferSize);
    }
    const tuning: KernelTuning = {
      workgroupSize: options.workgroupSize ?? DEFAULT_TUNING.workgroupSize,
      items: options.items ?? DEFAULT_TUNING.items,
      gramTile: options.gramTile ?? DEFAULT_TUNING.gramTile,
    };
    const blocks = reduceBlocks(dataset.n, tuning);
    if (blocks > 65535) {
      return {
        ok: false,
        reason: 'request-device-failed',
        message: `n = ${dataset.n} needs ${blocks} reduction workgroups > 65535; raise workgroupSize or items`,
      };
    }
    device.pushErrorScope('validation');
    const kernels = await KernelSet.create(device, tuning);
    engine = new GpuEngine(dataset, device, kernels, adapterText, options, maxBinding);
    const err = await device.popErrorScope();
    if (err) throw new Error(`GpuEngine setup failed validation: ${err.message}`);
    return { ok: true, engine };
  }

  /** The configs per group so that the n-sized workspaces fit the binding limit and the budget. */
  private groupSize(K: number, R: number): number {
    const perConfig = 4 * this.dataset.n * Math.max(1, R); // bytes of V (the largest) per config
    const budget = Math.min(this.maxBinding, this.opts.maxWorkspaceBytes ?? 256 * 2 ** 20);
    return Math.max(1, Math.min(K, Math.floor(budget / perConfig)));
  }

  private maskFor(mask: Uint8Array): CachedMask {
    const { n } = this.dataset;
    if (mask.length !== n) throw new Error(`mask length ${mask.length} != n = ${n}`);
    const key = maskKey(mask);
    const hit = this.maskCache.get(key);
    if (hit && hit.bytes.every((v, i) => v === (mask[i] ? 1 : 0))) return hit;
    if (this.maskCache.size >= 512) {
      for (const m of this.maskCache.values()) m.bits.destroy();
      this.maskCache.clear();
    }
    const words = new Uint32Array(this.nw);
    const bytes = new Uint8Array(n);
    let n1 = 0;
    for (let i = 0; i < n; i++) {
      if (mask[i]) {
        words[i >>> 5] |= 1 << (i & 31);
        bytes[i] = 1;
        n1++;
      }
    }
    const bits = this.device.createBuffer({
      label: 'GpuEngine.maskCache',
      size: this.nw * 4,
      usage: STORAGE(),
    }); // nw x u32
    this.device.queue.writeBuffer(bits, 0, words);
    const entry = { bits, bytes, n1 };
    this.maskCache.set(key, entry);
    return entry;
  }

  /** Runs `fn` after every earlier call finished (workspaces and the staging buffer are shared). */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queueTail.then(fn, fn);
    this.queueTail = run.catch(() => undefined);
    return run;
  }

  private check(): void {
    if (this.disposed) throw new Error('GpuEngine was disposed');
    if (this.lostReason !== null) throw new GpuDeviceLostError(this.lostReason);
  }

  /** Uploads x's (padded for the matvec tile) and configs; caches masks; sizes the workspaces. */
  private prepare(
    batch: readonly EvalRequest[],
    R: number,
    Kg: number,
    need: { delta: boolean; H: boolean; T: boolean },
  ): CachedMask[] {
    const dev = this.device;
    const { n, d } = this.dataset;
    const K = batch.length;
    const xs = new Float32Array((K + MATVEC_TK) * d);
    batch.forEach((r, k) => {
      if (r.x.length !== d) throw new Error(`x length ${r.x.length} != d = ${d}`);
      xs.set(r.x, k * d);
    });
    this.X = ensureBuffer(dev, this.X, xs.byteLength, 'GpuEngine.X');
    dev.queue.writeBuffer(this.X, 0, xs);
    const masks = batch.map((r) => this.maskFor(r.config.mask));
    // CONFIG_WORDS (8) words per config: strength, reading, method, τ target, n1 (kernels.ts).
    const cfg = packConfigs(batch.map((r, k) => ({ ...r.config, n1: masks[k].n1 })));
    this.configs = ensureBuffer(dev, this.configs, cfg.byteLength, 'GpuEngine.configs');
    dev.queue.writeBuffer(this.configs, 0, cfg);
    this.masksWork = ensureBuffer(dev, this.masksWork, Kg * this.nw * 4, 'GpuEngine.masksWork');
    this.U = ensureBuffer(dev, this.U, Kg * n * 4, 'GpuEngine.U');
    this.V = ensureBuffer(dev, this.V, Kg * Math.max(1, R) * n * 4, 'GpuEngine.V');
    this.scalars = ensureBuffer(dev, this.scalars, K * SC.STRIDE * 4, 'GpuEngine.scalars');
    this.outAtV = ensureBuffer(dev, this.outAtV, K * ATV_SLOTS * d * 4, 'GpuEngine.outAtV');
    if (need.delta) this.delta = ensureBuffer(dev, this.delta, Kg * n * 4, 'GpuEngine.delta');
    else this.delta ??= ensureBuffer(dev, null, 16, 'GpuEngine.delta'); // bound by buildRhs, unused when R = 1
    if (need.H) this.H = ensureBuffer(dev, this.H, K * d * d * 4, 'GpuEngine.H');
    if (need.T) this.T = ensureBuffer(dev, this.T, Kg * n * 4, 'GpuEngine.T');
    return masks;
  }

  /** The leverage scores of A on the GPU, computed in float64 on the first sketched request. */
  private leverageBuffer(): GPUBuffer {
    if (!this.lev) {
      const { A, n, d } = this.dataset;
      const lev = Float32Array.from(leverageScores(A, n, d));
      this.lev = this.device.createBuffer({
        label: 'GpuEngine.lev',
        size: Math.max(16, n * 4),
        usage: STORAGE(),
      }); // n x f32
      this.device.queue.writeBuffer(this.lev, 0, lev);
    }
    return this.lev;
  }

  /** Encodes u = Ax, the softmax stats and the sums for one group (shared by evaluate and Hv). */
  private encodeForward(
    encoder: GPUCommandEncoder,
    s: GroupShape,
    masks: CachedMask[],
  ): { pass: GPUComputePassEncoder; rows: RowInputs } {
    const bytes = this.nw * 4;
    for (let k = 0; k < s.kCount; k++) {
      encoder.copyBufferToBuffer(masks[s.k0 + k].bits, 0, this.masksWork as GPUBuffer, k * bytes, bytes);
    }
    const pass = encoder.beginComputePass({ label: 'GpuEngine.pass' });
    const rows: RowInputs = {
      U: this.U as GPUBuffer,
      bvec: this.bBuf,
      w2: this.w2Buf,
      masks: this.masksWork as GPUBuffer,
      configs: this.configs as GPUBuffer,
      scalars: this.scalars as GPUBuffer,
    };
    this.matvec.encode(pass, this.arena, s, this.chunks, this.X as GPUBuffer, rows.U);
    this.softmax.encode(pass, this.arena, s, rows.U, rows.masks, rows.scalars);
    this.reduce.encodeSums(pass, this.arena, s, rows);
    return { pass, rows };
  }

  /** Copies [src, bytes] regions into one mappable buffer, submits, and returns the bytes. */
  private async submitAndRead(
    encoder: GPUCommandEncoder,
    regions: { src: GPUBuffer; bytes: number }[],
  ): Promise<ArrayBuffer> {
    const total = regions.reduce((a, r) => a + r.bytes, 0);
    if (!this.staging || this.staging.size < total) {
      this.staging?.destroy();
      this.staging = this.device.createBuffer({
        label: 'GpuEngine.staging',
        size: Math.ceil(total / 16) * 16,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
    }
    let off = 0;
    for (const r of regions) {
      encoder.copyBufferToBuffer(r.src, 0, this.staging, off, r.bytes);
      off += r.bytes;
    }
    this.arena.flush();
    this.device.pushErrorScope('validation');
    this.device.queue.submit([encoder.finish()]);
    const err = this.device.popErrorScope();
    try {
      await this.staging.mapAsync(GPUMapMode.READ, 0, Math.ceil(total / 16) * 16);
    } catch (e) {
      this.check();
      throw e;
    }
    const out = this.staging.getMappedRange(0, total).slice(0);
    this.staging.unmap();
    const e = await err;
    if (e) throw new Error(`GpuEngine: WebGPU validation error: ${e.message}`);
    return out;
  }

  /** Loss parts (and ∇L, ∇²L on request) for every request, in one submit. */
  evaluate(batch: readonly EvalRequest[], options: EvalOptions = {}): Promise<Evaluation[]> {
    return this.serialize(() => this.evaluateNow(batch, options));
  }

  private async evaluateNow(batch: readonly EvalRequest[], options: EvalOptions): Promise<Evaluation[]> {
    this.check();
    checkBatch(this.capabilities, options, batch);
    const K = batch.length;
    if (K === 0) return [];
    const { n, d } = this.dataset;
    const mode = options.hessian ?? 'none';
    const wantH = mode !== 'none';
    let sketch: { seedKey: number; rows: number; lev: GPUBuffer } | null = null;
    if (typeof mode === 'object') {
      const { rows, seed } = mode.sketch;
      sketch = { seedKey: checkSketchRequest(rows, seed), rows, lev: this.leverageBuffer() };
    }
    const wantG = (options.gradient ?? true) || wantH;
    const R = wantH ? hessianSlots(batch) : wantG ? 1 : 0;
    const Kg = this.groupSize(K, R);
    const masks = this.prepare(batch, R, Kg, { delta: wantH, H: wantH, T: false });
    this.arena.reset();
    const encoder = this.device.createCommandEncoder({ label: 'GpuEngine.encoder' });
    for (let k0 = 0; k0 < K; k0 += Kg) {
      const s: GroupShape = { n, d, k0, kCount: Math.min(Kg, K - k0) };
      const { pass, rows } = this.encodeForward(encoder, s, masks);
      const delta = this.delta as GPUBuffer;
      if (R > 0) {
        this.vectors.encodeRhs(pass, this.arena, s, rows, R, this.V as GPUBuffer, delta);
        this.atv.encode(pass, this.arena, s, this.chunks, this.V as GPUBuffer, R, this.outAtV as GPUBuffer);
      }
      if (sketch) {
        const r = { delta, lev: sketch.lev, configs: rows.configs, scalars: rows.scalars };
        this.reduce.encodeSketchSum(pass, this.arena, s, r);
        this.vectors.encodeSketchWeights(pass, this.arena, s, r, sketch);
      }
      if (wantH) this.gram.encode(pass, this.arena, s, this.chunks, delta, this.H as GPUBuffer);
      pass.end();
    }
    const regions = [{ src: this.scalars as GPUBuffer, bytes: K * SC.STRIDE * 4 }];
    if (R > 0) regions.push({ src: this.outAtV as GPUBuffer, bytes: K * ATV_SLOTS * d * 4 });
    if (wantH) regions.push({ src: this.H as GPUBuffer, bytes: K * d * d * 4 });
    const raw = await this.submitAndRead(encoder, regions);
    const sc = new Float32Array(raw, 0, K * SC.STRIDE);
    const atv = R > 0 ? new Float32Array(raw, regions[0].bytes, K * ATV_SLOTS * d) : null;
    const hs = wantH ? new Float32Array(raw, regions[0].bytes + regions[1].bytes, K * d * d) : null;
    return batch.map((req, k) => {
      const scK = sc.subarray(k * SC.STRIDE, (k + 1) * SC.STRIDE);
      const ev: Evaluation = this.lossParts(req.config, masks[k].n1, scK);
      if (wantG && atv) ev.grad = atvSlot(atv, d, k, 0);
      if (hs && atv) {
        const { C, AtU } = this.lowRank(req.config, masks[k].n1, scK, atv, k);
        ev.hessian = assembleHessian(d, hs.subarray(k * d * d, (k + 1) * d * d), AtU, C);
      }
      return ev;
    });
  }

  /** Loss parts from one config's float32 sums, in float64 by the CPU engine's formulas. */
  private lossParts(config: ObjectiveConfig, n1: number, sc: Float32Array): Evaluation {
    const sums = { l: sc[SC.L], l1: sc[SC.L1], l2Free: sc[SC.L2F], reg: sc[SC.REG] };
    return lossPartsFromSums(sums, config.gammaC, config.reading, n1, this.dataset.n - n1, config);
  }

  /**
   * The low-rank part's C (float64, from the float32 sums) and the d-vectors AᵀU of config k: the
   * paper's from κ0, κ1, ℓ1 (lowRankCoefficients), the family's from F at the float32 (ℓ1, ℓ2) and
   * κ1, κ2 = κ0 − κ1 (familyLowRankCoefficients), as the CPU engine builds them.
   */
  private lowRank(
    config: ObjectiveConfig,
    n1: number,
    sc: Float32Array,
    atv: Float32Array,
    k: number,
  ): { C: Float64Array; AtU: Float64Array[] } {
    const d = this.dataset.d;
    let C: Float64Array;
    let size: number;
    if (isPaperMethod(config)) {
      const { alpha, beta3 } = copyrightCoefficients(config.gammaC, sc[SC.L1]);
      C = lowRankCoefficients(config.reading, sc[SC.K0], sc[SC.K1], alpha, beta3);
      size = lowRankSize(config.reading);
    } else {
      // 'global' only (checkBatch): ℓ2 is the free rows' sum and κ1 = ‖m∘f‖² (φ = f).
      const F = methodValues(config, config.gammaC, sc[SC.L1], sc[SC.L2F], n1, this.dataset.n - n1);
      C = familyLowRankCoefficients(F, sc[SC.K1], sc[SC.K0] - sc[SC.K1]);
      size = Math.sqrt(C.length); // 4: U = [f, ρ, p1, p2]
    }
    // Slots 1.. of AᵀV hold Aᵀ[f, ρ, p1] (the paper's, 'global'), Aᵀ[f, r0, φ, r1, p1] ('separate')
    // or Aᵀ[f, ρ, p1, p2] (the family): buildRhs's order.
    const AtU = Array.from({ length: size }, (_, p) => atvSlot(atv, d, k, p + 1));
    return { C, AtU };
  }

  /**
   * ∇²L(x_k)·v_k for each request, matrix-free, in one submit: on the GPU t = Av, δ∘t and the
   * d-vectors Aᵀ(δ∘t) and AᵀU; then Hv = Aᵀ(δ∘t) + (AᵀU)·C·((AᵀU)ᵀv) in float64 with the C of
   * src/math/objective.ts.
   */
  hessianVectorProducts(batch: readonly EvalRequest[], v: readonly Float64Array[]): Promise<Float64Array[]> {
    return this.serialize(async () => {
      this.check();
      const K = batch.length;
      if (K === 0) return [];
      if (v.length !== K) throw new Error('hessianVectorProducts: one v per request');
      checkBatch(this.capabilities, {}, batch);
      const { n, d } = this.dataset;
      v.forEach((vk) => {
        if (vk.length !== d) throw new Error(`hessianVectorProducts: v length ${vk.length} != d = ${d}`);
      });
      const R = hessianSlots(batch);
      const Kg = this.groupSize(K, R);
      const masks = this.prepare(batch, R, Kg, { delta: true, H: false, T: true });
      const vs = new Float32Array((K + MATVEC_TK) * d);
      v.forEach((vk, k) => vs.set(vk, k * d));
      this.XV = ensureBuffer(this.device, this.XV, vs.byteLength, 'GpuEngine.XV');
      this.device.queue.writeBuffer(this.XV, 0, vs);
      this.arena.reset();
      const encoder = this.device.createCommandEncoder({ label: 'GpuEngine.encoder' });
      for (let k0 = 0; k0 < K; k0 += Kg) {
        const s: GroupShape = { n, d, k0, kCount: Math.min(Kg, K - k0) };
        const { pass, rows } = this.encodeForward(encoder, s, masks);
        const [T, V, delta] = [this.T, this.V, this.delta] as GPUBuffer[];
        this.vectors.encodeRhs(pass, this.arena, s, rows, R, V, delta);
        this.matvec.encode(pass, this.arena, s, this.chunks, this.XV, T);
        this.vectors.encodeDeltaTimes(pass, this.arena, s, R, T, delta, V);
        this.atv.encode(pass, this.arena, s, this.chunks, V, R, this.outAtV as GPUBuffer);
        pass.end();
      }
      const raw = await this.submitAndRead(encoder, [
        { src: this.scalars as GPUBuffer, bytes: K * SC.STRIDE * 4 },
        { src: this.outAtV as GPUBuffer, bytes: K * ATV_SLOTS * d * 4 },
      ]);
      const sc = new Float32Array(raw, 0, K * SC.STRIDE);
      const atv = new Float32Array(raw, K * SC.STRIDE * 4, K * ATV_SLOTS * d);
      return batch.map((req, k) => {
        const scK = sc.subarray(k * SC.STRIDE, (k + 1) * SC.STRIDE);
        const { C, AtU } = this.lowRank(req.config, masks[k].n1, scK, atv, k);
        return addLowRankProduct(atvSlot(atv, d, k, 0), AtU, C, v[k]);
      });
    });
  }

  /** Frees every buffer of the engine (the device itself is left to its owner). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const bufs = [
      this.X,
      this.XV,
      this.configs,
      this.masksWork,
      this.U,
      this.T,
      this.V,
      this.delta,
      this.scalars,
    ];
    for (const b of [...bufs, this.outAtV, this.H, this.lev, this.staging, this.bBuf, this.w2Buf])
      b?.destroy();
    for (const c of this.chunks) c.buffer.destroy();
    for (const m of this.maskCache.values()) m.bits.destroy();
    this.maskCache.clear();
    for (const s of [this.softmax, this.reduce, this.atv, this.matvec, this.vectors, this.gram]) s.destroy();
    this.arena.destroy();
  }

  /** Number of A chunks (1 unless A exceeds the binding/buffer limit or chunkRows is set). */
  get chunkCount(): number {
    return this.chunks.length;
  }

  /** The device this engine runs on. */
  get gpuDevice(): GPUDevice {
    return this.device;
  }
}

/** Slot `slot` of config k's AᵀV output ([k][ATV_SLOTS][d]) as a float64 d-vector. */
function atvSlot(atv: Float32Array, d: number, k: number, slot: number): Float64Array {
  const o = (k * ATV_SLOTS + slot) * d;
  return Float64Array.from(atv.subarray(o, o + d));
}

/**
 * A GpuEngine for `dataset` in the browser or in Node (npm `webgpu`); for the CLI's `--engine gpu`.
 * Throws {@link GpuUnavailableError} (with `.reason`) when there is no device; callers fall back to
 * CpuEngine on that error.
 */
export function createGpuEngine(dataset: Dataset, options: GpuEngineOptions = {}): Promise<GpuEngine> {
  return GpuEngine.create(dataset, options);
}
