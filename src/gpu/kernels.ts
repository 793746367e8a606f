/**
 * The GPU stages of the engine: one class per stage, each owning its pipelines (cached per device)
 * and its scratch buffers, encoding into a compute pass and freeing its buffers in destroy().
 * Every GPU object is labelled 'Class.field' so validation errors name it. The WGSL lives in
 * shaders/*.wgsl; bindings follow the one table in shaders/common.wgsl.
 */
import { DEFAULT_TAU_TARGET, type MethodName } from '../math/methods';
import type { Reading } from '../math/types';
import { methodId } from './method-wgsl';
import { loadKernelSources, type KernelFile } from './shaders';

/**
 * Fields of the WGSL `Params` uniform (shaders/common.wgsl), in order, with their WGSL type: u32
 * unless listed in {@link PARAM_TYPES}. Unset fields are 0. src/gpu/wgsl-tables.test.ts checks this
 * table against the WGSL struct.
 */
export interface ParamsFields {
  n: number;
  d: number;
  kCount: number;
  k0: number;
  rowOffset: number;
  rows: number;
  chunkRow0: number;
  nb: number;
  R: number;
  blockOffset: number;
  blockRows: number;
  mode: number;
  /** Sketch: sketchKey(seed) of src/math/sketch.ts. */
  seedKey: number;
  /** Sketch: expected number of sampled rows (f32). */
  sketchRows: number;
}

/** The order of the `Params` fields (16 words with the padding; 64 bytes). */
export const PARAM_ORDER: readonly (keyof ParamsFields)[] = [
  'n',
  'd',
  'kCount',
  'k0',
  'rowOffset',
  'rows',
  'chunkRow0',
  'nb',
  'R',
  'blockOffset',
  'blockRows',
  'mode',
  'seedKey',
  'sketchRows',
];

/** The WGSL type of each `Params` field. */
export const PARAM_TYPES: Readonly<Record<keyof ParamsFields, 'u32' | 'f32'>> = {
  n: 'u32',
  d: 'u32',
  kCount: 'u32',
  k0: 'u32',
  rowOffset: 'u32',
  rows: 'u32',
  chunkRow0: 'u32',
  nb: 'u32',
  R: 'u32',
  blockOffset: 'u32',
  blockRows: 'u32',
  mode: 'u32',
  seedKey: 'u32',
  sketchRows: 'f32',
};

/** Per-config scalar slots written by the kernels (see shaders/common.wgsl), stride in f32. */
export const SC = {
  STRIDE: 32,
  M: 0,
  S: 1,
  M1: 2,
  S1: 3,
  L: 4,
  L1: 5,
  L2F: 6,
  S0: 7,
  S1D: 8,
  K0: 9,
  K1: 10,
  REG: 11,
  ALPHA: 12,
  BETA3: 13,
  /** F₁, F₂ of the config's method at (ℓ1, ℓ2) (math.md §9), from methodF12 of method-wgsl.ts. */
  F1: 14,
  F2: 15,
  QSUM: 16,
} as const;

/** What the kernels read of one configuration (the WGSL `Config` struct of shaders/common.wgsl). */
export interface ConfigRecord {
  /** The method's strength s (γc for the paper's). */
  gammaC: number;
  reading: Reading;
  /** Absent: the paper's. */
  method?: MethodName;
  /** τ-target's t (absent: DEFAULT_TAU_TARGET, as on the CPU). */
  tauTarget?: number;
  /** Copyrighted rows of the config's mask (τ-target's n1; n2 = n − n1); absent: 0. */
  n1?: number;
}

/**
 * Fields of the WGSL `Config` struct in order with their types, then padding to
 * {@link CONFIG_WORDS} words; src/gpu/wgsl-tables.test.ts checks them against the WGSL.
 */
export const CONFIG_TYPES = {
  gammaC: 'f32',
  reading: 'u32',
  method: 'u32',
  tauTarget: 'f32',
  n1: 'u32',
} as const satisfies Record<keyof ConfigRecord, 'u32' | 'f32'>;
export const CONFIG_ORDER = Object.keys(CONFIG_TYPES) as (keyof ConfigRecord)[];
/** u32 words per config record (32 bytes: the array stride of `Config`). */
export const CONFIG_WORDS = 8;

/** The configs buffer's contents for `cfgs`, [k][CONFIG_WORDS] (at least 16 bytes). */
export function packConfigs(cfgs: readonly ConfigRecord[]): Uint32Array<ArrayBuffer> {
  const words = new Uint32Array(Math.max(4, cfgs.length * CONFIG_WORDS));
  const floats = new Float32Array(words.buffer);
  cfgs.forEach((c, k) => {
    const o = k * CONFIG_WORDS;
    floats[o] = c.gammaC;
    words[o + 1] = c.reading === 'separate' ? 1 : 0;
    words[o + 2] = methodId(c.method);
    floats[o + 3] = c.tauTarget ?? DEFAULT_TAU_TARGET;
    words[o + 4] = c.n1 ?? 0;
  });
  return words;
}

/** Right-hand-side slots per config in the AᵀV output (g plus ≤ 5 low-rank vectors). */
export const ATV_SLOTS = 6;
/** Configs per matvec thread (TK in shaders/matvec.wgsl); X is padded by this many configs. */
export const MATVEC_TK = 8;

/** Names of the bindings of shaders/common.wgsl. */
export type BindingName =
  | 'P'
  | 'A'
  | 'X'
  | 'U'
  | 'T'
  | 'bvec'
  | 'w2'
  | 'masks'
  | 'configs'
  | 'scalars'
  | 'partials'
  | 'V'
  | 'delta'
  | 'outAtV'
  | 'H'
  | 'lev';

/** @binding of each name (shaders/common.wgsl; checked by src/gpu/wgsl-tables.test.ts). */
export const BINDING_INDEX: Record<BindingName, number> = {
  P: 0,
  A: 1,
  X: 2,
  U: 3,
  T: 4,
  bvec: 5,
  w2: 6,
  masks: 7,
  configs: 8,
  scalars: 9,
  partials: 10,
  V: 11,
  delta: 12,
  outAtV: 13,
  H: 14,
  lev: 15,
};

/**
 * Entry points: their file and the bindings they statically use (their 'auto' layout), checked
 * against the WGSL by src/gpu/wgsl-tables.test.ts.
 */
export const ENTRIES = {
  matvec: { file: 'matvec', uses: ['P', 'A', 'X', 'U'] },
  matvec4: { file: 'matvec', uses: ['P', 'A', 'X', 'U'] },
  statsBlock: { file: 'softmax', uses: ['P', 'U', 'masks', 'partials'] },
  statsCombine: { file: 'softmax', uses: ['P', 'scalars', 'partials'] },
  sumsBlock: { file: 'reduce', uses: ['P', 'U', 'bvec', 'w2', 'masks', 'configs', 'scalars', 'partials'] },
  sketchBlock: { file: 'reduce', uses: ['P', 'delta', 'lev', 'partials'] },
  sumsCombine: { file: 'reduce', uses: ['P', 'configs', 'scalars', 'partials'] },
  buildRhs: { file: 'vectors', uses: ['P', 'U', 'bvec', 'w2', 'masks', 'configs', 'scalars', 'V', 'delta'] },
  deltaTimes: { file: 'vectors', uses: ['P', 'T', 'V', 'delta'] },
  sketchWeights: { file: 'vectors', uses: ['P', 'scalars', 'delta', 'lev'] },
  atvBlocks: { file: 'atv', uses: ['P', 'A', 'partials', 'V'] },
  atvBlocks4: { file: 'atv', uses: ['P', 'A', 'partials', 'V'] },
  atvCombine: { file: 'atv', uses: ['P', 'partials', 'outAtV'] },
  gramTiles: { file: 'gram', uses: ['P', 'A', 'delta', 'partials'] },
  gramTiles4: { file: 'gram', uses: ['P', 'A', 'delta', 'partials'] },
  gramCombine: { file: 'gram', uses: ['P', 'partials', 'H'] },
} as const satisfies Record<string, { file: KernelFile; uses: readonly BindingName[] }>;

/** A compute entry point of shaders/*.wgsl. */
export type EntryName = keyof typeof ENTRIES;

/** Workgroup shape constants (WGSL `override`s), fixed at pipeline creation. */
export interface KernelTuning {
  /** Threads per workgroup of the 1-D kernels; a power of two (16–64 on SwiftShader, 128–256 on GPUs). */
  workgroupSize: number;
  /** Rows per thread in the softmax/sum block passes. */
  items: number;
  /**
   * Outputs per side of a Gram workgroup tile, a multiple of 4: the workgroup is (tile/4)² threads,
   * each computing a 4×4 block (16 on SwiftShader and most GPUs; 32 gives 64-thread workgroups).
   */
  gramTile: number;
  /**
   * Use the vec4 entry points (matvec4, atvBlocks4, gramTiles4) when d is a multiple of 4 (default true); false
   * forces the scalar ones, for tests and for measuring the difference in one process.
   */
  vec4Loads?: boolean;
}

/** Defaults: small workgroups (SwiftShader is slow with big workgroups and barriers). */
export const DEFAULT_TUNING: KernelTuning = { workgroupSize: 64, items: 4, gramTile: 16 };

// Pipelines (and the shader modules behind them) are cached per device and tuning.
const pipelineCache = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();
const moduleCache = new WeakMap<GPUDevice, Map<KernelFile, GPUShaderModule>>();

/** The WGSL `override` constants each entry point is built with. */
export function overridesFor(entry: EntryName, t: KernelTuning): Record<string, number> {
  if (entry === 'gramTiles' || entry === 'gramTiles4') return { TILE: t.gramTile };
  switch (ENTRIES[entry].file) {
    case 'gram':
      return { TILE: t.gramTile, WG: t.workgroupSize };
    case 'softmax':
    case 'reduce':
      return { WG: t.workgroupSize, ITEMS: t.items };
    default:
      return { WG: t.workgroupSize };
  }
}

/** The compiled pipelines of all entry points for one device and tuning. */
export class KernelSet {
  private constructor(
    readonly device: GPUDevice,
    readonly tuning: KernelTuning,
    private readonly pipelines: Record<EntryName, GPUComputePipeline>,
  ) {}

  /** Loads the WGSL and builds (or fetches from the per-device cache) every pipeline. */
  static async create(device: GPUDevice, tuning: KernelTuning = DEFAULT_TUNING): Promise<KernelSet> {
    const wg = tuning.workgroupSize;
    if (!Number.isInteger(wg) || wg < 1 || (wg & (wg - 1)) !== 0) {
      throw new Error(`workgroupSize must be a power of two, got ${wg}`);
    }
    const gt = tuning.gramTile;
    if (!Number.isInteger(gt) || gt < 4 || gt % 4 !== 0) {
      throw new Error(`gramTile must be a positive multiple of 4, got ${gt}`);
    }
    const sources = await loadKernelSources();
    let modules = moduleCache.get(device);
    if (!modules) moduleCache.set(device, (modules = new Map()));
    let cache = pipelineCache.get(device);
    if (!cache) pipelineCache.set(device, (cache = new Map()));
    const pipelines = {} as Record<EntryName, GPUComputePipeline>;
    for (const entry of Object.keys(ENTRIES) as EntryName[]) {
      const file = ENTRIES[entry].file;
      const constants = overridesFor(entry, tuning);
      const key = `${entry}:${JSON.stringify(constants)}`;
      let p = cache.get(key);
      if (!p) {
        let module = modules.get(file);
        if (!module) {
          module = device.createShaderModule({ code: sources[file], label: `KernelSet.module.${file}` });
          modules.set(file, module);
        }
        p = device.createComputePipeline({
          label: `KernelSet.pipeline.${entry}`,
          layout: 'auto',
          compute: { module, entryPoint: entry, constants },
        });
        cache.set(key, p);
      }
      pipelines[entry] = p;
    }
    return new KernelSet(device, tuning, pipelines);
  }

  /** Binds `resources` (exactly the bindings the entry uses) and dispatches it. */
  dispatch(
    pass: GPUComputePassEncoder,
    entry: EntryName,
    resources: Partial<Record<BindingName, GPUBufferBinding | GPUBuffer>>,
    groups: [number, number?, number?],
  ): void {
    const pipeline = this.pipelines[entry];
    const entries: GPUBindGroupEntry[] = [];
    for (const name of ENTRIES[entry].uses as readonly BindingName[]) {
      const r = resources[name];
      if (!r) throw new Error(`${entry}: binding '${name}' not supplied`);
      entries.push({ binding: BINDING_INDEX[name], resource: 'buffer' in r ? r : { buffer: r } });
    }
    const bindGroup = this.device.createBindGroup({
      label: `KernelSet.bindGroup.${entry}`,
      layout: pipeline.getBindGroupLayout(0),
      entries,
    });
    const [x, y = 1, z = 1] = groups;
    if (x === 0 || y === 0 || z === 0) return;
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
  }
}

/**
 * Uniform `Params` slots for one command buffer: each dispatch gets its own 256-byte-aligned slot
 * (the largest minUniformBufferOffsetAlignment allowed), all written by one writeBuffer per block.
 */
export class UniformArena {
  private static readonly SLOTS = 64;
  private static readonly SLOT_BYTES = 256;
  private readonly buffers: GPUBuffer[] = [];
  private readonly data: Uint32Array<ArrayBuffer>[] = [];
  private readonly floats: Float32Array<ArrayBuffer>[] = []; // f32 views of `data`, for f32 fields
  private used = 0;

  constructor(private readonly device: GPUDevice) {}

  /** Starts a new command buffer's worth of slots (call after the previous one was submitted). */
  reset(): void {
    this.used = 0;
  }

  /** A 64-byte binding holding `p`. */
  alloc(p: Partial<ParamsFields>): GPUBufferBinding {
    const block = Math.floor(this.used / UniformArena.SLOTS);
    const slot = this.used % UniformArena.SLOTS;
    if (block === this.buffers.length) {
      this.buffers.push(
        this.device.createBuffer({
          label: 'UniformArena.buffers',
          size: UniformArena.SLOTS * UniformArena.SLOT_BYTES, // 64 slots x 256 bytes
          usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
        }),
      );
      const words = new Uint32Array((UniformArena.SLOTS * UniformArena.SLOT_BYTES) / 4);
      this.data.push(words);
      this.floats.push(new Float32Array(words.buffer));
    }
    const words = this.data[block];
    const floats = this.floats[block];
    const base = (slot * UniformArena.SLOT_BYTES) / 4;
    words.fill(0, base, base + 16);
    PARAM_ORDER.forEach((name, i) => {
      if (PARAM_TYPES[name] === 'f32') floats[base + i] = p[name] ?? 0;
      else words[base + i] = p[name] ?? 0;
    });
    this.used++;
    return { buffer: this.buffers[block], offset: slot * UniformArena.SLOT_BYTES, size: 64 }; // 16 x u32
  }

  /** Uploads the slots used since reset(); queue writes land before the next submit. */
  flush(): void {
    const blocks = Math.ceil(this.used / UniformArena.SLOTS);
    for (let b = 0; b < blocks; b++) this.device.queue.writeBuffer(this.buffers[b], 0, this.data[b]);
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers.length = 0;
    this.data.length = 0;
    this.floats.length = 0;
  }
}

/** Storage buffer usage for all scratch and data buffers. */
export const STORAGE = (): GPUBufferUsageFlags =>
  GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;

/**
 * A buffer that only grows: returns `buf` when it has at least `bytes`, else a new one (the old one
 * is destroyed, so only call between submits).
 */
export function ensureBuffer(
  device: GPUDevice,
  buf: GPUBuffer | null,
  bytes: number,
  label: string,
): GPUBuffer {
  const size = Math.max(16, Math.ceil(bytes / 16) * 16);
  if (buf && buf.size >= size) return buf;
  buf?.destroy();
  return device.createBuffer({ label, size, usage: STORAGE() });
}

/** One row chunk of A in its own buffer (A is split when it exceeds the binding/buffer limits). */
export interface AChunk {
  buffer: GPUBuffer;
  /** First global row. */
  row0: number;
  rows: number;
}

/** Common shape of a stage call: which configs of the batch, and the problem size. */
export interface GroupShape {
  n: number;
  d: number;
  /** Global index of the first config of this group. */
  k0: number;
  /** Configs in this group. */
  kCount: number;
}

/** Whether the vec4 entry points apply: d a multiple of 4 (rows of A 16-byte aligned) and not disabled. */
function useVec4(t: KernelTuning, d: number): boolean {
  return d % 4 === 0 && t.vec4Loads !== false;
}

/** U = A·X (matvec.wgsl) over every chunk of A, for a group of configs. */
export class MatVecStage {
  constructor(private readonly kernels: KernelSet) {}

  /** X: [(k0+k)][d] padded with MATVEC_TK·d zeros past the last config; U: [k][n]. */
  encode(
    pass: GPUComputePassEncoder,
    arena: UniformArena,
    s: GroupShape,
    chunks: readonly AChunk[],
    X: GPUBuffer,
    U: GPUBuffer,
  ): void {
    const wg = this.kernels.tuning.workgroupSize;
    for (const c of chunks) {
      const P = arena.alloc({ ...s, rowOffset: c.row0, rows: c.rows, chunkRow0: c.row0 });
      this.kernels.dispatch(
        pass,
        useVec4(this.kernels.tuning, s.d) ? 'matvec4' : 'matvec',
        { P, A: c.buffer, X, U },
        [Math.ceil(c.rows / wg), Math.ceil(s.kCount / MATVEC_TK)],
      );
    }
  }

  destroy(): void {}
}

/** Number of blocks of the softmax / sum block passes. */
export function reduceBlocks(n: number, t: KernelTuning): number {
  return Math.ceil(n / (t.workgroupSize * t.items));
}

/** Two-level softmax statistics (softmax.wgsl): writes scalars M, S, M1, S1 per config. */
export class SoftmaxStage {
  private partials: GPUBuffer | null = null;
  constructor(private readonly kernels: KernelSet) {}

  encode(
    pass: GPUComputePassEncoder,
    arena: UniformArena,
    s: GroupShape,
    U: GPUBuffer,
    masks: GPUBuffer,
    scalars: GPUBuffer,
  ): void {
    const nb = reduceBlocks(s.n, this.kernels.tuning);
    // 4 f32 per (config, block)
    this.partials = ensureBuffer(
      this.kernels.device,
      this.partials,
      s.kCount * nb * 4 * 4,
      'SoftmaxStage.partials',
    );
    const P = arena.alloc({ ...s, nb });
    this.kernels.dispatch(pass, 'statsBlock', { P, U, masks, partials: this.partials }, [nb, s.kCount]);
    this.kernels.dispatch(pass, 'statsCombine', { P, scalars, partials: this.partials }, [s.kCount]);
  }

  destroy(): void {
    this.partials?.destroy();
    this.partials = null;
  }
}

/** Buffers the per-row kernels read. */
export interface RowInputs {
  U: GPUBuffer;
  bvec: GPUBuffer;
  w2: GPUBuffer;
  masks: GPUBuffer;
  configs: GPUBuffer;
  scalars: GPUBuffer;
}

/** Tree-sum reductions (reduce.wgsl): the loss sums, α, β3, F₁, F₂; or the sketch's normaliser. */
export class ReduceStage {
  private partials: GPUBuffer | null = null;
  constructor(private readonly kernels: KernelSet) {}

  private ensure(s: GroupShape): number {
    const nb = reduceBlocks(s.n, this.kernels.tuning);
    // 8 f32 per (config, block)
    this.partials = ensureBuffer(
      this.kernels.device,
      this.partials,
      s.kCount * nb * 8 * 4,
      'ReduceStage.partials',
    );
    return nb;
  }

  /**
   * ℓ, ℓ1, ℓ2free, s0, s1, κ0, κ1, reg, α, β3 and the config's method's F₁, F₂ into scalars (needs
   * SoftmaxStage first).
   */
  encodeSums(pass: GPUComputePassEncoder, arena: UniformArena, s: GroupShape, r: RowInputs): void {
    const nb = this.ensure(s);
    const P = arena.alloc({ ...s, nb, mode: 0 });
    const partials = this.partials as GPUBuffer;
    this.kernels.dispatch(pass, 'sumsBlock', { P, ...r, partials }, [nb, s.kCount]);
    this.kernels.dispatch(pass, 'sumsCombine', { P, configs: r.configs, scalars: r.scalars, partials }, [
      s.kCount,
    ]);
  }

  /** The sketch's Σ_{δ>0} δ·lev into scalars[QSUM] (needs δ from VectorStage.encodeRhs with R > 1). */
  encodeSketchSum(
    pass: GPUComputePassEncoder,
    arena: UniformArena,
    s: GroupShape,
    r: { delta: GPUBuffer; lev: GPUBuffer; configs: GPUBuffer; scalars: GPUBuffer },
  ): void {
    const nb = this.ensure(s);
    const P = arena.alloc({ ...s, nb, mode: 1 });
    const partials = this.partials as GPUBuffer;
    this.kernels.dispatch(pass, 'sketchBlock', { P, delta: r.delta, lev: r.lev, partials }, [nb, s.kCount]);
    this.kernels.dispatch(pass, 'sumsCombine', { P, configs: r.configs, scalars: r.scalars, partials }, [
      s.kCount,
    ]);
  }

  destroy(): void {
    this.partials?.destroy();
    this.partials = null;
  }
}

/** Elementwise n-vectors (vectors.wgsl): the right-hand sides, δ∘t for Hv, the sketch's weights. */
export class VectorStage {
  constructor(private readonly kernels: KernelSet) {}

  /**
   * V[k][0..R) and (R > 1) δ. R = 1 (gradient), 4 (Hessian, the paper's under 'global') or 6 (any
   * 'separate' config, or any method other than the paper's: [g, f, ρ, p1, p2, 0]).
   */
  encodeRhs(
    pass: GPUComputePassEncoder,
    arena: UniformArena,
    s: GroupShape,
    r: RowInputs,
    R: number,
    V: GPUBuffer,
    delta: GPUBuffer,
  ): void {
    const P = arena.alloc({ ...s, R });
    const groups = Math.ceil(s.n / this.kernels.tuning.workgroupSize);
    this.kernels.dispatch(pass, 'buildRhs', { P, ...r, V, delta }, [groups, s.kCount]);
  }

  /** V[k][0] = δ ∘ t for Hv products, V with R slots per config (needs encodeRhs with the same R). */
  encodeDeltaTimes(
    pass: GPUComputePassEncoder,
    arena: UniformArena,
    s: GroupShape,
    R: number,
    T: GPUBuffer,
    delta: GPUBuffer,
    V: GPUBuffer,
  ): void {
    const P = arena.alloc({ ...s, R });
    const groups = Math.ceil(s.n / this.kernels.tuning.workgroupSize);
    this.kernels.dispatch(pass, 'deltaTimes', { P, T, delta, V }, [groups, s.kCount]);
  }

  /**
   * Replaces δ by the sketch's Gram weights (src/math/sketch.ts sketchWeights) for the seed key and
   * expected row count (needs ReduceStage.encodeSketchSum first).
   */
  encodeSketchWeights(
    pass: GPUComputePassEncoder,
    arena: UniformArena,
    s: GroupShape,
    r: { delta: GPUBuffer; lev: GPUBuffer; scalars: GPUBuffer },
    sketch: { seedKey: number; rows: number },
  ): void {
    const P = arena.alloc({ ...s, seedKey: sketch.seedKey, sketchRows: sketch.rows });
    const groups = Math.ceil(s.n / this.kernels.tuning.workgroupSize);
    this.kernels.dispatch(pass, 'sketchWeights', { P, ...r }, [groups, s.kCount]);
  }

  destroy(): void {}
}

/** Rows per AᵀV block: at least 4 workgroups' worth, and few enough blocks (≤ ~256) for big n. */
export function atvBlockRows(n: number, t: KernelTuning, override?: number): number {
  if (override) return override;
  return Math.max(4 * t.workgroupSize, Math.ceil(n / 256));
}

/** Aᵀ·V for R ∈ {1, 4, 6} right-hand sides per config (atv.wgsl), over all chunks, into outAtV[(k0+k)][6][d]. */
export class AtvStage {
  private partials: GPUBuffer | null = null;
  constructor(
    private readonly kernels: KernelSet,
    private readonly blockRowsOverride?: number,
  ) {}

  encode(
    pass: GPUComputePassEncoder,
    arena: UniformArena,
    s: GroupShape,
    chunks: readonly AChunk[],
    V: GPUBuffer,
    R: number,
    outAtV: GPUBuffer,
  ): void {
    if (R !== 1 && R !== 4 && R !== 6) throw new Error(`AtvStage: R must be 1, 4 or 6, got ${R}`);
    const wg = this.kernels.tuning.workgroupSize;
    const blockRows = atvBlockRows(s.n, this.kernels.tuning, this.blockRowsOverride);
    const perChunk = chunks.map((c) => Math.ceil(c.rows / blockRows));
    const nb = perChunk.reduce((a, b) => a + b, 0);
    // R x d f32 per (config, block)
    this.partials = ensureBuffer(
      this.kernels.device,
      this.partials,
      s.kCount * R * nb * s.d * 4,
      'AtvStage.partials',
    );
    let blockOffset = 0;
    chunks.forEach((c, ci) => {
      const P = arena.alloc({
        ...s,
        rowOffset: c.row0,
        rows: c.rows,
        chunkRow0: c.row0,
        nb,
        R,
        blockOffset,
        blockRows,
      });
      // d a multiple of 4: one thread per 4 columns (vec4 loads of A).
      const vec4 = useVec4(this.kernels.tuning, s.d);
      this.kernels.dispatch(
        pass,
        vec4 ? 'atvBlocks4' : 'atvBlocks',
        { P, A: c.buffer, partials: this.partials as GPUBuffer, V },
        [Math.ceil((vec4 ? s.d / 4 : s.d) / wg), perChunk[ci], s.kCount],
      );
      blockOffset += perChunk[ci];
    });
    const P = arena.alloc({ ...s, nb, R });
    this.kernels.dispatch(pass, 'atvCombine', { P, partials: this.partials, outAtV }, [
      Math.ceil(s.d / wg),
      s.kCount * R,
    ]);
  }

  destroy(): void {
    this.partials?.destroy();
    this.partials = null;
  }
}

/** Upper-triangle tiles of a d×d Gram with `tile`-sided tiles: g(g+1)/2, g = ceil(d / tile). */
export function gramTileCount(d: number, tile: number): number {
  const g = Math.ceil(d / tile);
  return (g * (g + 1)) / 2;
}

/**
 * Rows per Gram row block. Enough blocks that tiles × blocks × configs ≥ 256 workgroups (a GPU
 * needs a few per core to hide memory latency), at least 64 rows each (a block's partial write,
 * tile² floats, is then ≤ 1/64 of its multiply-adds), and few enough that the partials stay under
 * `maxPartialBytes`. Rounded up to a multiple of 16 rows (the staging step, GBR in gram.wgsl).
 */
export function gramBlockRows(
  n: number,
  d: number,
  kCount: number,
  tile: number,
  maxPartialBytes: number,
  override?: number,
): number {
  if (override) return override;
  const perBlock = kCount * gramTileCount(d, tile) * tile * tile * 4; // bytes of partials per block
  const wantBlocks = Math.ceil(256 / (gramTileCount(d, tile) * kCount));
  const maxBlocks = Math.max(1, Math.floor(maxPartialBytes / perBlock));
  const blocks = Math.max(1, Math.min(wantBlocks, maxBlocks));
  const rows = Math.max(64, Math.ceil(n / blocks));
  return Math.ceil(rows / 16) * 16;
}

/**
 * Weighted Gram H[k0+k] = Aᵀdiag(δ_k)A (gram.wgsl) for one group of configs: upper tiles per row
 * block into partials, then one combine pass that sums the blocks and mirrors into H (overwritten).
 */
export class GramStage {
  private partials: GPUBuffer | null = null;
  constructor(
    private readonly kernels: KernelSet,
    /** Rows per row block (default: {@link gramBlockRows}). */
    private readonly blockRowsOverride?: number,
    /** Cap on the partials buffer (default 64 MiB; also capped by the binding limit). */
    private readonly maxPartialBytes = 64 * 2 ** 20,
  ) {}

  encode(
    pass: GPUComputePassEncoder,
    arena: UniformArena,
    s: GroupShape,
    chunks: readonly AChunk[],
    delta: GPUBuffer,
    H: GPUBuffer,
  ): void {
    const tile = this.kernels.tuning.gramTile;
    const limits = this.kernels.device.limits;
    const cap = Math.min(this.maxPartialBytes, limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    const blockRows = gramBlockRows(s.n, s.d, s.kCount, tile, cap, this.blockRowsOverride);
    const perChunk = chunks.map((c) => Math.ceil(c.rows / blockRows));
    const nb = perChunk.reduce((a, b) => a + b, 0);
    const tiles = gramTileCount(s.d, tile);
    // tile² f32 per (config, block, upper tile)
    this.partials = ensureBuffer(
      this.kernels.device,
      this.partials,
      s.kCount * nb * tiles * tile * tile * 4,
      'GramStage.partials',
    );
    let blockOffset = 0;
    chunks.forEach((c, ci) => {
      const P = arena.alloc({
        ...s,
        rowOffset: c.row0,
        rows: c.rows,
        chunkRow0: c.row0,
        nb,
        blockOffset,
        blockRows,
      });
      this.kernels.dispatch(
        pass,
        useVec4(this.kernels.tuning, s.d) ? 'gramTiles4' : 'gramTiles',
        { P, A: c.buffer, delta, partials: this.partials as GPUBuffer },
        [tiles, perChunk[ci], s.kCount],
      );
      blockOffset += perChunk[ci];
    });
    const P = arena.alloc({ ...s, nb });
    this.kernels.dispatch(pass, 'gramCombine', { P, partials: this.partials, H }, [
      Math.ceil(s.d / this.kernels.tuning.workgroupSize),
      s.d,
      s.kCount,
    ]);
  }

  /** The partials buffer of the last encode (tests poison it), or null before the first. */
  get partialsBuffer(): GPUBuffer | null {
    return this.partials;
  }

  destroy(): void {
    this.partials?.destroy();
    this.partials = null;
  }
}
