/**
 * One training step of the language-model view's transformer (src/lm/transformer.ts) on the GPU,
 * in float32: the forward pass, the copyright loss and its gradient with respect to the logits
 * (src/lm/copyright-lm-loss.ts), the backward pass of every op, and AdamW. The WGSL is in
 * shaders/lm/ (one file per kind of op; common.wgsl says how tensors are addressed). Parameters,
 * their gradient and Adam's moments are flat buffers in the float64 reference's layout
 * (parameterLayout / viewsOf), so a gradient read back is directly comparable with the
 * reference's. A batch is the reference's LmSequence[]: its sequences' positions are stacked as
 * rows (no padding to the context), and attention stays within each sequence.
 */
import { IGNORE_INDEX, type LmLoss } from '../../lm/copyright-lm-loss';
import {
  parameterLayout,
  type AdamOptions,
  type AdamState,
  type LmConfig,
  type LmSequence,
} from '../../lm/transformer';
import { loadLmKernelSources, type LmKernelFile } from './lm-shaders';

/** Entry points of shaders/lm/ and their files. */
export const LM_ENTRIES = {
  mmParams: 'matmul',
  mmGrads: 'matmul',
  colSum: 'matmul',
  lnForward: 'layernorm',
  lnBackward: 'layernorm',
  attnForward: 'attention',
  attnBackQ: 'attention',
  attnBackKV: 'attention',
  embed: 'pointwise',
  embedBackTok: 'pointwise',
  embedBackPos: 'pointwise',
  geluForward: 'pointwise',
  geluBackward: 'pointwise',
  lossRows: 'loss',
  lossTotals: 'loss',
  lossGrad: 'loss',
  adamw: 'adamw',
} as const satisfies Record<string, LmKernelFile>;

export type LmEntry = keyof typeof LM_ENTRIES;

/** The u32 fields of the WGSL `Args` struct (shaders/lm/common.wgsl), in order; then 8 f32. */
const ARG_U32 = [
  'm',
  'n',
  'k',
  'flags',
  'aOff',
  'bOff',
  'cOff',
  'biasOff',
  'resOff',
  'aRow',
  'aCol',
  'bRow',
  'bCol',
  'rows',
  'd',
  'heads',
  'ctx',
  'vocab',
  'o0',
  'o1',
  'o2',
  'o3',
  'o4',
  'o5',
] as const;
const ARG_F32 = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7'] as const;

export type LmArgs = Partial<Record<(typeof ARG_U32)[number] | (typeof ARG_F32)[number], number>>;

/** Bytes of `Args` (32 words) and of one uniform slot (the largest allowed dynamic-offset alignment). */
const ARGS_BYTES = 128;
const SLOT_BYTES = 256;
/** Threads of the 1-D kernels and of the per-row reductions (the WGSL overrides WG and RWG). */
const WG = 64;
const RWG = 32;
/** Side of the matmul kernels' 8 × 8 workgroups. */
const MM_TILE = 8;
const MAX_GROUPS = 65535;

/** Flags of the kernels (shaders/lm/*.wgsl). */
const BIAS = 1;
const RESIDUAL = 2;
const PRODUCT = 1;

/** Slots of the loss scalars (L_* of shaders/lm/loss.wgsl). */
const L_LOSS = 0;
const L_SUM = 1;
const L_SUM_C = 3;
const L_SUM_FREE = 5;
const LOSS_SLOTS = 8;

/**
 * The loss and its metrics as LmLoss of copyright-lm-loss.ts (computed in float32 here), without
 * dLogits: they stay on the GPU.
 */
export type LmGpuLoss = Omit<LmLoss, 'dLogits'>;

interface Dispatch {
  entry: LmEntry;
  args: LmArgs;
  groups: [number, number];
}

interface Pipelines {
  layout: GPUBindGroupLayout;
  pipelines: Record<LmEntry, GPUComputePipeline>;
}

// Pipelines are compiled once per device.
const pipelineCache = new WeakMap<GPUDevice, Promise<Pipelines>>();

async function buildPipelines(device: GPUDevice): Promise<Pipelines> {
  const sources = await loadLmKernelSources();
  const storage = (type: GPUBufferBindingType, binding: number): GPUBindGroupLayoutEntry => ({
    binding,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type },
  });
  const layout = device.createBindGroupLayout({
    label: 'LmGpu.layout',
    entries: [
      {
        binding: 0,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: ARGS_BYTES },
      },
      storage('storage', 1),
      storage('storage', 2),
      storage('storage', 3),
      storage('read-only-storage', 4),
      storage('storage', 5),
      storage('storage', 6),
    ],
  });
  const pipelineLayout = device.createPipelineLayout({
    label: 'LmGpu.pipelineLayout',
    bindGroupLayouts: [layout],
  });
  const modules = new Map<LmKernelFile, GPUShaderModule>();
  const pipelines = {} as Record<LmEntry, GPUComputePipeline>;
  for (const entry of Object.keys(LM_ENTRIES) as LmEntry[]) {
    const file = LM_ENTRIES[entry];
    let module = modules.get(file);
    if (!module) {
      module = device.createShaderModule({ code: sources[file], label: `LmGpu.module.${file}` });
      modules.set(file, module);
    }
    pipelines[entry] = device.createComputePipeline({
      label: `LmGpu.pipeline.${entry}`,
      layout: pipelineLayout,
      compute: { module, entryPoint: entry, constants: { WG, RWG } },
    });
  }
  return { layout, pipelines };
}

const STORAGE = (): GPUBufferUsageFlags =>
  GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;

/** Sequential sub-allocation of the `acts` buffer, in f32 elements (each region 16-byte aligned). */
class Regions {
  size = 0;
  take(floats: number): number {
    const o = this.size;
    this.size += Math.ceil(Math.max(floats, 1) / 4) * 4;
    return o;
  }
}

/** Workgroups of a 1-D kernel over `count` threads (flatIndex of common.wgsl). */
function groups1d(count: number, wg: number): [number, number] {
  const g = Math.max(1, Math.ceil(count / wg));
  return g <= MAX_GROUPS ? [g, 1] : [MAX_GROUPS, Math.ceil(g / MAX_GROUPS)];
}

/** The transformer's parameters on a GPU device, with one training step's kernels. */
export class LmGpu {
  /** Element offset of each parameter (parameterLayout order). */
  readonly offsets: Readonly<Record<string, number>>;
  readonly parameterCount: number;
  private readonly params: GPUBuffer;
  private readonly grads: GPUBuffer;
  private readonly adamM: GPUBuffer;
  private readonly adamV: GPUBuffer;
  private acts: GPUBuffer;
  private ints: GPUBuffer;
  private uniforms: GPUBuffer;
  private step = 0;

  private constructor(
    readonly config: LmConfig,
    readonly device: GPUDevice,
    private readonly kernels: Pipelines,
  ) {
    if (config.width % config.heads !== 0)
      throw new Error(`width ${config.width} is not a multiple of ${config.heads} heads`);
    const offsets: Record<string, number> = {};
    let o = 0;
    for (const [name, size] of parameterLayout(config)) {
      offsets[name] = o;
      o += size;
    }
    this.offsets = offsets;
    this.parameterCount = o;
    const bytes = Math.max(16, Math.ceil((o * 4) / 16) * 16);
    const make = (label: string, size: number): GPUBuffer =>
      device.createBuffer({ label: `LmGpu.${label}`, size, usage: STORAGE() });
    this.params = make('params', bytes);
    this.grads = make('grads', bytes);
    this.adamM = make('adamM', bytes);
    this.adamV = make('adamV', bytes);
    this.acts = make('acts', 16);
    this.ints = make('ints', 16);
    this.uniforms = device.createBuffer({
      label: 'LmGpu.uniforms',
      size: SLOT_BYTES,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const enc = device.createCommandEncoder({ label: 'LmGpu.clear' });
    for (const b of [this.params, this.grads, this.adamM, this.adamV]) enc.clearBuffer(b);
    device.queue.submit([enc.finish()]);
  }

  /** Compiles the kernels (once per device) and uploads `params` when given (else zeros). */
  static async create(config: LmConfig, device: GPUDevice, params?: Float64Array): Promise<LmGpu> {
    let kernels = pipelineCache.get(device);
    if (!kernels) pipelineCache.set(device, (kernels = buildPipelines(device)));
    const lm = new LmGpu(config, device, await kernels);
    if (params) lm.setParams(params);
    return lm;
  }

  /** Uploads parameters (the reference's flat layout) as float32; Adam's state is left as it is. */
  setParams(data: Float64Array): void {
    if (data.length !== this.parameterCount)
      throw new Error(`${data.length} values for ${this.parameterCount} parameters`);
    this.device.queue.writeBuffer(this.params, 0, Float32Array.from(data));
  }

  /** Zeroes Adam's moments and its step count. */
  resetAdam(): void {
    const enc = this.device.createCommandEncoder({ label: 'LmGpu.resetAdam' });
    enc.clearBuffer(this.adamM);
    enc.clearBuffer(this.adamV);
    this.device.queue.submit([enc.finish()]);
    this.step = 0;
  }

  async readParams(): Promise<Float64Array> {
    return (await this.read([[this.params, 0, this.parameterCount]]))[0];
  }

  /** The gradient of the last lossAndGradient (what adamwStep applies). */
  async readGradient(): Promise<Float64Array> {
    return (await this.read([[this.grads, 0, this.parameterCount]]))[0];
  }

  async readAdamState(): Promise<AdamState> {
    const [m, v] = await this.read([
      [this.adamM, 0, this.parameterCount],
      [this.adamV, 0, this.parameterCount],
    ]);
    return { m, v, step: this.step };
  }

  /**
   * The copyright loss of `batch` (copyright-lm-loss.ts) and its gradient with respect to every
   * parameter (float32, read back as float64 in the parameters' layout), as lossAndGradient of
   * src/lm/transformer.ts. The gradient stays on the GPU for {@link adamwStep}.
   */
  async lossAndGradient(
    batch: readonly LmSequence[],
    gamma: number,
  ): Promise<{ loss: LmGpuLoss; grad: Float64Array }> {
    const { rows, tokens, copyrightTokens } = this.uploadBatch(batch);
    const { dispatches, lossAt } = this.stepDispatches(rows, gamma);
    const enc = this.device.createCommandEncoder({ label: 'LmGpu.step' });
    enc.clearBuffer(this.grads);
    this.encode(enc, dispatches);
    this.device.queue.submit([enc.finish()]);
    const [grad, s] = await this.read([
      [this.grads, 0, this.parameterCount],
      [this.acts, lossAt, LOSS_SLOTS],
    ]);
    const nFree = tokens - copyrightTokens;
    const ceCopyright = copyrightTokens > 0 ? s[L_SUM_C] / copyrightTokens : NaN;
    const ceFree = nFree > 0 ? s[L_SUM_FREE] / nFree : NaN;
    return {
      loss: {
        loss: s[L_LOSS],
        ce: s[L_SUM] / tokens,
        ceCopyright,
        ceFree,
        tauCe: ceCopyright - ceFree,
        tokens,
        copyrightTokens,
        penaltyApplied: gamma !== 0 && copyrightTokens > 0,
      },
      grad,
    };
  }

  /** One AdamW step (adamwStep of src/lm/transformer.ts) with the gradient of the last lossAndGradient. */
  adamwStep(o: AdamOptions): void {
    const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01 } = o;
    this.step++;
    // Coefficients in float64, rounded once to float32 (shaders/lm/adamw.wgsl says why).
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    const coefficients = {
      f0: lr / c1,
      f1: beta1,
      f2: 1 - beta1,
      f3: beta2,
      f4: 1 - beta2,
      f5: eps,
      f6: 1 - lr * weightDecay,
      f7: 1 / Math.sqrt(c2),
    };
    const enc = this.device.createCommandEncoder({ label: 'LmGpu.adamw' });
    this.encode(enc, [
      {
        entry: 'adamw',
        args: { m: this.parameterCount, ...coefficients },
        groups: groups1d(this.parameterCount, WG),
      },
    ]);
    this.device.queue.submit([enc.finish()]);
  }

  destroy(): void {
    for (const b of [this.params, this.grads, this.adamM, this.adamV, this.acts, this.ints, this.uniforms])
      b.destroy();
  }

  /** Checks the batch as the reference does and uploads its integers (common.wgsl's `ints`). */
  private uploadBatch(batch: readonly LmSequence[]): {
    rows: number;
    tokens: number;
    copyrightTokens: number;
  } {
    const { vocab, context } = this.config;
    const rows = batch.reduce((k, s) => k + s.inputs.length, 0);
    if (rows === 0) throw new Error('the batch is empty');
    if (rows > MAX_GROUPS) throw new Error(`${rows} positions in a batch; at most ${MAX_GROUPS}`);
    const ints = new Int32Array(5 * rows);
    let r = 0;
    let tokens = 0;
    let copyrightTokens = 0;
    for (const s of batch) {
      const t = s.inputs.length;
      if (t > context) throw new Error(`a sequence of ${t} tokens is longer than the context ${context}`);
      if (s.labels.length !== t || s.copyright.length !== t)
        throw new Error(
          `a sequence of ${t} inputs has ${s.labels.length} labels, ${s.copyright.length} flags`,
        );
      for (let i = 0; i < t; i++) {
        const tok = s.inputs[i];
        if (tok < 0 || tok >= vocab) throw new Error(`token ${tok} is outside the vocabulary`);
        const label = s.labels[i];
        if (label !== IGNORE_INDEX && (label < 0 || label >= vocab))
          throw new Error(`label ${label} at row ${r + i} is outside the vocabulary`);
        if (label !== IGNORE_INDEX) {
          tokens++;
          if (s.copyright[i]) copyrightTokens++;
        }
        ints[r + i] = tok;
        ints[rows + r + i] = label;
        ints[2 * rows + r + i] = s.copyright[i] ? 1 : 0;
        ints[3 * rows + r + i] = r;
        ints[4 * rows + r + i] = t;
      }
      r += t;
    }
    if (tokens === 0) throw new Error('the batch has no target token (every label is padding)');
    this.ints = this.grow(this.ints, ints.byteLength, 'ints');
    this.device.queue.writeBuffer(this.ints, 0, ints);
    return { rows, tokens, copyrightTokens };
  }

  /** The dispatches of one forward + loss + backward pass over `rows` positions; sizes `acts`. */
  private stepDispatches(rows: number, gamma: number): { dispatches: Dispatch[]; lossAt: number } {
    const { width: d, heads, context: T, vocab: V, layers, tiedHead } = this.config;
    const R = rows;
    const P = this.offsets;
    const out: Dispatch[] = [];
    const push = (entry: LmEntry, args: LmArgs, groups: [number, number]): void => {
      out.push({ entry, args: { rows: R, d, heads, ctx: T, vocab: V, ...args }, groups });
    };
    const a = new Regions();
    // Forward activations and caches.
    const xs = Array.from({ length: layers + 1 }, () => a.take(R * d));
    const blocks = Array.from({ length: layers }, () => ({
      h1: a.take(R * d),
      xhat1: a.take(R * d),
      rstd1: a.take(R),
      qkv: a.take(R * 3 * d),
      probs: a.take(R * heads * T),
      att: a.take(R * d),
      x2: a.take(R * d),
      h2: a.take(R * d),
      xhat2: a.take(R * d),
      rstd2: a.take(R),
      pre: a.take(R * 4 * d),
      act: a.take(R * 4 * d),
    }));
    const y = a.take(R * d);
    const xhatF = a.take(R * d);
    const rstdF = a.take(R);
    const logits = a.take(R * V);
    const lse = a.take(R);
    const ce = a.take(R);
    const lossAt = a.take(LOSS_SLOTS);
    // Backward: activation gradients (reused by every layer).
    const dLogits = a.take(R * V);
    const dy = a.take(R * d);
    const dx = a.take(R * d);
    const dX2 = a.take(R * d);
    const dAct = a.take(R * 4 * d);
    const dPre = a.take(R * 4 * d);
    const dH = a.take(R * d);
    const dAtt = a.take(R * d);
    const dQkv = a.take(R * 3 * d);
    const dS = a.take(R * heads * T);
    this.acts = this.grow(this.acts, a.size * 4, 'acts');

    const mm = (m: number, n: number): [number, number] => [Math.ceil(n / MM_TILE), Math.ceil(m / MM_TILE)];
    // out = x·W (+ b) (+ residual): x (R × inDim) in acts, W (inDim × outDim, row-major) in params.
    const linear = (
      x: number,
      w: string,
      b: string,
      inDim: number,
      outDim: number,
      c: number,
      res?: number,
    ) =>
      push(
        'mmParams',
        {
          m: R,
          n: outDim,
          k: inDim,
          flags: BIAS | (res === undefined ? 0 : RESIDUAL),
          aOff: x,
          aRow: inDim,
          aCol: 1,
          bOff: P[w],
          bRow: outDim,
          bCol: 1,
          biasOff: P[b],
          resOff: res ?? 0,
          cOff: c,
        },
        mm(R, outDim),
      );
    // dX = dOut·Wᵀ (R × inDim).
    const linearBackData = (dOut: number, w: string, inDim: number, outDim: number, c: number) =>
      push(
        'mmParams',
        {
          m: R,
          n: inDim,
          k: outDim,
          aOff: dOut,
          aRow: outDim,
          aCol: 1,
          bOff: P[w],
          bRow: 1,
          bCol: outDim,
          cOff: c,
        },
        mm(R, inDim),
      );
    // dW += xᵀ·dOut, db += Σ_rows dOut.
    const linearBackParams = (
      x: number,
      dOut: number,
      w: string,
      b: string,
      inDim: number,
      outDim: number,
    ) => {
      push(
        'mmGrads',
        {
          m: inDim,
          n: outDim,
          k: R,
          aOff: x,
          aRow: 1,
          aCol: inDim,
          bOff: dOut,
          bRow: outDim,
          bCol: 1,
          cOff: P[w],
        },
        mm(inDim, outDim),
      );
      push('colSum', { m: R, n: outDim, aOff: dOut, cOff: P[b] }, groups1d(outDim, WG));
    };
    const lnForward = (x: number, out: number, xhat: number, rstd: number, ln: string) =>
      push('lnForward', { aOff: x, cOff: out, o0: xhat, o1: rstd, o2: P[`${ln}.g`], o3: P[`${ln}.b`] }, [
        R,
        1,
      ]);
    // dx = LayerNorm backward of dOut (+ residual); dg += Σ dOut·x̂, db += Σ dOut.
    const lnBackward = (dOut: number, xhat: number, rstd: number, ln: string, c: number, res?: number) => {
      push(
        'lnBackward',
        {
          aOff: dOut,
          o0: xhat,
          o1: rstd,
          o2: P[`${ln}.g`],
          cOff: c,
          flags: res === undefined ? 0 : RESIDUAL,
          resOff: res ?? 0,
        },
        [R, 1],
      );
      push(
        'colSum',
        { m: R, n: d, aOff: dOut, bOff: xhat, flags: PRODUCT, cOff: P[`${ln}.g`] },
        groups1d(d, WG),
      );
      push('colSum', { m: R, n: d, aOff: dOut, cOff: P[`${ln}.b`] }, groups1d(d, WG));
    };
    const scale = 1 / Math.sqrt(d / heads);

    // Forward.
    push('embed', { cOff: xs[0], o0: P.tokEmb, o1: P.posEmb }, groups1d(R * d, WG));
    blocks.forEach((b, l) => {
      const k = `l${l}.`;
      lnForward(xs[l], b.h1, b.xhat1, b.rstd1, `${k}ln1`);
      linear(b.h1, `${k}wqkv`, `${k}bqkv`, d, 3 * d, b.qkv);
      push('attnForward', { aOff: b.qkv, o0: b.probs, cOff: b.att, f0: scale }, groups1d(R * heads, WG));
      linear(b.att, `${k}wo`, `${k}bo`, d, d, b.x2, xs[l]);
      lnForward(b.x2, b.h2, b.xhat2, b.rstd2, `${k}ln2`);
      linear(b.h2, `${k}w1`, `${k}b1`, d, 4 * d, b.pre);
      push('geluForward', { m: R * 4 * d, aOff: b.pre, cOff: b.act }, groups1d(R * 4 * d, WG));
      linear(b.act, `${k}w2`, `${k}b2`, 4 * d, d, xs[l + 1], b.x2);
    });
    lnForward(xs[layers], y, xhatF, rstdF, 'lnf');
    // The head: logits = y·W + b, W = head.w (d × V) or, tied, Eᵀ read in place from tokEmb (V × d).
    const [headOff, headRow, headCol] = tiedHead ? [P.tokEmb, 1, d] : [P['head.w'], V, 1];
    push(
      'mmParams',
      {
        m: R,
        n: V,
        k: d,
        flags: BIAS,
        aOff: y,
        aRow: d,
        aCol: 1,
        bOff: headOff,
        bRow: headRow,
        bCol: headCol,
        biasOff: P['head.b'],
        cOff: logits,
      },
      mm(R, V),
    );

    // Loss and ∂loss/∂logits.
    push('lossRows', { aOff: logits, o0: lse, o1: ce }, [R, 1]);
    push('lossTotals', { o1: ce, o2: lossAt, f0: gamma }, [1, 1]);
    push('lossGrad', { aOff: logits, o0: lse, o2: lossAt, cOff: dLogits }, groups1d(R * V, WG));

    // Backward through the head: dy = dLogits·Wᵀ, and W's gradient (into tokEmb's when tied).
    push(
      'mmParams',
      {
        m: R,
        n: d,
        k: V,
        aOff: dLogits,
        aRow: V,
        aCol: 1,
        bOff: headOff,
        bRow: headCol,
        bCol: headRow,
        cOff: dy,
      },
      mm(R, d),
    );
    if (tiedHead) {
      // dE[v, e] += Σ_r dLogits[r, v]·y[r, e].
      push(
        'mmGrads',
        { m: V, n: d, k: R, aOff: dLogits, aRow: 1, aCol: V, bOff: y, bRow: d, bCol: 1, cOff: P.tokEmb },
        mm(V, d),
      );
    } else {
      push(
        'mmGrads',
        { m: d, n: V, k: R, aOff: y, aRow: 1, aCol: d, bOff: dLogits, bRow: V, bCol: 1, cOff: P['head.w'] },
        mm(d, V),
      );
    }
    push('colSum', { m: R, n: V, aOff: dLogits, cOff: P['head.b'] }, groups1d(V, WG));
    lnBackward(dy, xhatF, rstdF, 'lnf', dx);
    for (let l = layers - 1; l >= 0; l--) {
      const k = `l${l}.`;
      const b = blocks[l];
      // dx is ∂loss/∂x_{l+1}; x_{l+1} = x2 + W2·gelu(W1·LN2(x2)) + b2.
      linearBackData(dx, `${k}w2`, 4 * d, d, dAct);
      linearBackParams(b.act, dx, `${k}w2`, `${k}b2`, 4 * d, d);
      push('geluBackward', { m: R * 4 * d, aOff: dAct, bOff: b.pre, cOff: dPre }, groups1d(R * 4 * d, WG));
      linearBackData(dPre, `${k}w1`, d, 4 * d, dH);
      linearBackParams(b.h2, dPre, `${k}w1`, `${k}b1`, d, 4 * d);
      lnBackward(dH, b.xhat2, b.rstd2, `${k}ln2`, dX2, dx);
      // x2 = x_l + Wo·attention(Wqkv·LN1(x_l)) + bo.
      linearBackData(dX2, `${k}wo`, d, d, dAtt);
      linearBackParams(b.att, dX2, `${k}wo`, `${k}bo`, d, d);
      const att = { aOff: dAtt, bOff: b.qkv, o0: b.probs, o1: dS, cOff: dQkv, f0: scale };
      push('attnBackQ', att, groups1d(R * heads, WG));
      push('attnBackKV', att, groups1d(R * heads, WG));
      linearBackData(dQkv, `${k}wqkv`, d, 3 * d, dH);
      linearBackParams(b.h1, dQkv, `${k}wqkv`, `${k}bqkv`, d, 3 * d);
      lnBackward(dH, b.xhat1, b.rstd1, `${k}ln1`, dx, dX2);
    }
    push('embedBackTok', { aOff: dx, o0: P.tokEmb }, groups1d(V * d, WG));
    push('embedBackPos', { aOff: dx, o1: P.posEmb }, groups1d(T * d, WG));
    return { dispatches: out, lossAt };
  }

  /** Writes every dispatch's arguments into its uniform slot and records them in one compute pass. */
  private encode(enc: GPUCommandEncoder, dispatches: readonly Dispatch[]): void {
    const words = new Uint32Array((dispatches.length * SLOT_BYTES) / 4);
    const floats = new Float32Array(words.buffer);
    dispatches.forEach(({ args }, i) => {
      const base = (i * SLOT_BYTES) / 4;
      ARG_U32.forEach((name, j) => (words[base + j] = args[name] ?? 0));
      ARG_F32.forEach((name, j) => (floats[base + ARG_U32.length + j] = args[name] ?? 0));
    });
    if (this.uniforms.size < words.byteLength) {
      this.uniforms.destroy();
      this.uniforms = this.device.createBuffer({
        label: 'LmGpu.uniforms',
        size: words.byteLength,
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      });
    }
    this.device.queue.writeBuffer(this.uniforms, 0, words);
    const bindGroup = this.device.createBindGroup({
      label: 'LmGpu.bindGroup',
      layout: this.kernels.layout,
      entries: [
        { binding: 0, resource: { buffer: this.uniforms, offset: 0, size: ARGS_BYTES } },
        ...[this.params, this.grads, this.acts, this.ints, this.adamM, this.adamV].map((buffer, i) => ({
          binding: i + 1,
          resource: { buffer },
        })),
      ],
    });
    const pass = enc.beginComputePass({ label: 'LmGpu.pass' });
    dispatches.forEach(({ entry, groups }, i) => {
      pass.setPipeline(this.kernels.pipelines[entry]);
      pass.setBindGroup(0, bindGroup, [i * SLOT_BYTES]);
      pass.dispatchWorkgroups(groups[0], groups[1]);
    });
    pass.end();
  }

  /** `buf` when it holds `bytes`, else a larger replacement (call between submits only). */
  private grow(buf: GPUBuffer, bytes: number, label: string): GPUBuffer {
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    if (buf.size >= size) return buf;
    buf.destroy();
    return this.device.createBuffer({ label: `LmGpu.${label}`, size, usage: STORAGE() });
  }

  /** Reads f32 ranges [buffer, first element, count] back as float64, with one submit. */
  private async read(ranges: [GPUBuffer, number, number][]): Promise<Float64Array[]> {
    const enc = this.device.createCommandEncoder({ label: 'LmGpu.read' });
    const staging = ranges.map(([buf, first, count]) => {
      const bytes = Math.max(16, Math.ceil((count * 4) / 16) * 16);
      const s = this.device.createBuffer({
        label: 'LmGpu.staging',
        size: bytes,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      enc.copyBufferToBuffer(buf, first * 4, s, 0, Math.min(bytes, buf.size - first * 4));
      return s;
    });
    this.device.queue.submit([enc.finish()]);
    await Promise.all(staging.map((s) => s.mapAsync(GPUMapMode.READ)));
    return staging.map((s, i) => {
      const out = Float64Array.from(new Float32Array(s.getMappedRange(), 0, ranges[i][2]));
      s.unmap();
      s.destroy();
      return out;
    });
  }
}
