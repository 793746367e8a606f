/**
 * GpuEngine: the Engine contract (src/engine/engine.ts) on WebGPU in float32, checked against the
 * float64 CpuEngine. A, b and w² are uploaded once (A split into row chunks under the device's
 * maxStorageBufferBindingSize / maxBufferSize); copyright masks are uploaded once per distinct
 * mask and cached. One evaluate() call runs all K requests in ONE queue submit and reads back only
 * per-config scalars and d-vectors (and d×d matrices when a Hessian is asked for), never n-vectors.
 *
 * Precision: u = Ax and the AᵀV products are float32 dot products; the scalar reductions are float32
 * tree sums (≈1e-6 relative); the weighted Gram Aᵀdiag(δ)A is float32 sums over row blocks, written
 * exactly symmetric by the GPU; the loss parts and the low-rank part of the Hessian (AᵀU)C(AᵀU)ᵀ
 * are assembled in float64 on the CPU from the float32 results.
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
import type { Engine, EvalOptions, EvalRequest } from '../engine/engine';
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

/** The WebGPU float32 engine. Create with {@link GpuEngine.create}. */
export class GpuEngine implements Engine {
  readonly kind = 'gpu' as const;
  /** Kernels run in float32; solvers scale their tolerances to it. */
  readonly precision = 'float32' as const;
  readonly description: string;
  /** Why the device was lost, or null while it is alive. */
  lostReason: string | null = null;
  /** Notes on how requests were served (e.g. sketched Hessians computed exactly). */
  readonly notes: string[] = [];

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
    hessian: boolean,
    hvp: boolean,
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
    const cfg = new ArrayBuffer(K * 16); // per config: gammaC f32, reading u32, 2 x pad
    const cf = new Float32Array(cfg);
    const cu = new Uint32Array(cfg);
    batch.forEach((r, k) => {
      cf[k * 4] = r.config.gammaC;
      cu[k * 4 + 1] = r.config.reading === 'separate' ? 1 : 0;
    });
    this.configs = ensureBuffer(dev, this.configs, cfg.byteLength, 'GpuEngine.configs');
    dev.queue.writeBuffer(this.configs, 0, cfg);
    const masks = batch.map((r) => this.maskFor(r.config.mask));
    this.masksWork = ensureBuffer(dev, this.masksWork, Kg * this.nw * 4, 'GpuEngine.masksWork');
    this.U = ensureBuffer(dev, this.U, Kg * n * 4, 'GpuEngine.U');
    this.V = ensureBuffer(dev, this.V, Kg * Math.max(1, R) * n * 4, 'GpuEngine.V');
    this.scalars = ensureBuffer(dev, this.scalars, K * SC.STRIDE * 4, 'GpuEngine.scalars');
    this.outAtV = ensureBuffer(dev, this.outAtV, K * ATV_SLOTS * d * 4, 'GpuEngine.outAtV');
    if (hessian) {
      this.delta = ensureBuffer(dev, this.delta, Kg * n * 4, 'GpuEngine.delta');
      this.H = ensureBuffer(dev, this.H, K * d * d * 4, 'GpuEngine.H');
    } else {
      this.delta ??= ensureBuffer(dev, null, 16, 'GpuEngine.delta'); // bound by buildRhs, unused when R = 1
    }
    if (hvp) this.T = ensureBuffer(dev, this.T, Kg * n * 4, 'GpuEngine.T');
    return masks;
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
      b: this.bBuf,
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
    const K = batch.length;
    if (K === 0) return [];
    const { n, d } = this.dataset;
    const mode = options.hessian ?? 'none';
    const wantH = mode !== 'none';
    if (typeof mode === 'object' && !this.notes.includes(SKETCH_NOTE)) this.notes.push(SKETCH_NOTE);
    const wantG = (options.gradient ?? true) || wantH;
    const anySeparate = batch.some((r) => r.config.reading === 'separate');
    const R = wantH ? (anySeparate ? 6 : 4) : wantG ? 1 : 0;
    const Kg = this.groupSize(K, R);
    const masks = this.prepare(batch, R, Kg, wantH, false);
    this.arena.reset();
    const encoder = this.device.createCommandEncoder({ label: 'GpuEngine.encoder' });
    for (let k0 = 0; k0 < K; k0 += Kg) {
      const s: GroupShape = { n, d, k0, kCount: Math.min(Kg, K - k0) };
      const { pass, rows } = this.encodeForward(encoder, s, masks);
      if (R > 0) {
        this.vectors.encodeRhs(pass, this.arena, s, rows, R, this.V as GPUBuffer, this.delta as GPUBuffer);
        this.atv.encode(pass, this.arena, s, this.chunks, this.V as GPUBuffer, R, this.outAtV as GPUBuffer);
      }
      if (wantH)
        this.gram.encode(pass, this.arena, s, this.chunks, this.delta as GPUBuffer, this.H as GPUBuffer);
      pass.end();
    }
    const regions = [{ src: this.scalars as GPUBuffer, bytes: K * SC.STRIDE * 4 }];
    if (R > 0) regions.push({ src: this.outAtV as GPUBuffer, bytes: K * ATV_SLOTS * d * 4 });
    if (wantH) regions.push({ src: this.H as GPUBuffer, bytes: K * d * d * 4 });
    const raw = await this.submitAndRead(encoder, regions);
    const sc = new Float32Array(raw, 0, K * SC.STRIDE);
    const atv = R > 0 ? new Float32Array(raw, regions[0].bytes, K * ATV_SLOTS * d) : null;
    const hs = wantH ? new Float32Array(raw, regions[0].bytes + regions[1].bytes, K * d * d) : null;
    return batch.map((req, k) =>
      this.assemble(req.config, masks[k].n1, sc.subarray(k * SC.STRIDE), atv, hs, k, wantG),
    );
  }

  /** Float64 assembly of one config's Evaluation from the float32 scalars and d-vectors. */
  private assemble(
    config: ObjectiveConfig,
    n1: number,
    sc: Float32Array,
    atv: Float32Array | null,
    hs: Float32Array | null,
    k: number,
    wantG: boolean,
  ): Evaluation {
    const { n, d } = this.dataset;
    const g = config.gammaC;
    const l = sc[SC.L];
    const l1 = sc[SC.L1];
    const reg = sc[SC.REG];
    const l2 = config.reading === 'separate' ? l - l1 : sc[SC.L2F];
    const n2 = n - n1;
    const L = 0.5 * l + (g === 0 ? 0 : g / l1) + reg;
    const tau = n1 > 0 && n2 > 0 ? l1 / n1 - l2 / n2 : NaN;
    const ev: Evaluation = { L, l, l1, l2, reg, tau, n1, n2 };
    const vec = (slot: number): Float64Array =>
      Float64Array.from(
        (atv as Float32Array).subarray((k * ATV_SLOTS + slot) * d, (k * ATV_SLOTS + slot + 1) * d),
      );
    if (wantG && atv) ev.grad = vec(0);
    if (hs && atv) {
      const H = new Float64Array(d * d);
      const src = hs.subarray(k * d * d, (k + 1) * d * d);
      for (let i = 0; i < d * d; i++) H[i] = src[i]; // gram.wgsl writes both triangles from one sum
      const alpha = g === 0 ? 0 : (2 * g) / (l1 * l1);
      const beta3 = g === 0 ? 0 : (8 * g) / (l1 * l1 * l1);
      const k0 = sc[SC.K0];
      const k1 = sc[SC.K1];
      let vs: Float64Array[];
      let C: number[];
      if (config.reading === 'separate') {
        vs = [vec(1), vec(2), vec(3), vec(4), vec(5)]; // Aᵀ[f, r0, φ, r1, p1]
        // prettier-ignore
        C = [k0, -1, 0, 0, 0,  -1, 0, 0, 0, 0,  0, 0, -alpha * k1, alpha, 0,  0, 0, alpha, 0, 0,  0, 0, 0, 0, beta3];
      } else {
        vs = [vec(1), vec(2), vec(3)]; // Aᵀ[f, ρ, p1]
        C = [k0 - alpha * k1, -1, 0, -1, 0, 0, 0, 0, beta3];
      }
      addLowRank(H, d, vs, C);
      ev.hessian = H;
    }
    return ev;
  }

  /** ∇²L(x_k)·v_k for each request, matrix-free: t = Av, z = (diag(δ) + UCUᵀ)t, Aᵀz; one submit. */
  hessianVectorProducts(batch: readonly EvalRequest[], v: readonly Float64Array[]): Promise<Float64Array[]> {
    return this.serialize(async () => {
      this.check();
      const K = batch.length;
      if (K === 0) return [];
      if (v.length !== K) throw new Error('hessianVectorProducts: one v per request');
      const { n, d } = this.dataset;
      const Kg = this.groupSize(K, 1);
      const masks = this.prepare(batch, 1, Kg, false, true);
      const vs = new Float32Array((K + MATVEC_TK) * d);
      v.forEach((vk, k) => vs.set(vk, k * d));
      this.XV = ensureBuffer(this.device, this.XV, vs.byteLength, 'GpuEngine.XV');
      this.device.queue.writeBuffer(this.XV, 0, vs);
      this.arena.reset();
      const encoder = this.device.createCommandEncoder({ label: 'GpuEngine.encoder' });
      for (let k0 = 0; k0 < K; k0 += Kg) {
        const s: GroupShape = { n, d, k0, kCount: Math.min(Kg, K - k0) };
        const { pass, rows } = this.encodeForward(encoder, s, masks);
        const T = this.T as GPUBuffer;
        this.matvec.encode(pass, this.arena, s, this.chunks, this.XV, T);
        this.reduce.encodeDots(pass, this.arena, s, rows, T);
        this.vectors.encodeHvp(pass, this.arena, s, rows, T, this.V as GPUBuffer);
        this.atv.encode(pass, this.arena, s, this.chunks, this.V as GPUBuffer, 1, this.outAtV as GPUBuffer);
        pass.end();
      }
      const raw = await this.submitAndRead(encoder, [
        { src: this.outAtV as GPUBuffer, bytes: K * ATV_SLOTS * d * 4 },
      ]);
      const atv = new Float32Array(raw);
      return batch.map((_, k) => Float64Array.from(atv.subarray(k * ATV_SLOTS * d, k * ATV_SLOTS * d + d)));
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
    for (const b of [...bufs, this.outAtV, this.H, this.staging, this.bBuf, this.w2Buf]) b?.destroy();
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

const SKETCH_NOTE =
  "hessian {sketch} is served exactly on the GPU: the exact Gram costs one O(n·d²) pass, which is what row sampling would save; results equal 'exact'.";

/** H += Σ_pq C[p][q] · a_p a_qᵀ (float64). */
function addLowRank(H: Float64Array, d: number, a: Float64Array[], C: number[]): void {
  const k = a.length;
  for (let p = 0; p < k; p++) {
    for (let q = 0; q < k; q++) {
      const c = C[p * k + q];
      if (c === 0) continue;
      const ap = a[p];
      const aq = a[q];
      for (let i = 0; i < d; i++) {
        const t = c * ap[i];
        for (let j = 0; j < d; j++) H[i * d + j] += t * aq[j];
      }
    }
  }
}

/**
 * A GpuEngine for `dataset` in the browser or in Node (npm `webgpu`); for the CLI's `--engine gpu`.
 * Throws {@link GpuUnavailableError} (with `.reason`) when there is no device; callers fall back to
 * CpuEngine on that error.
 */
export function createGpuEngine(dataset: Dataset, options: GpuEngineOptions = {}): Promise<GpuEngine> {
  return GpuEngine.create(dataset, options);
}
