/**
 * The float64 reference of the language-model view's model (issue 13): a small decoder-only
 * transformer over characters: token and learned position embeddings, `layers` pre-LayerNorm
 * blocks (causal multi-head self-attention, then a GELU MLP of width 4·d, each added back), a
 * final LayerNorm and an output head (tied to the token embedding or its own), with the forward
 * pass, the backward pass written out by hand and an AdamW step. It is what the WGSL kernels will
 * be checked against, and its gradient is checked against finite differences
 * (transformer.test.ts). GELU is the tanh form (PyTorch's gelu(approximate='tanh')); LayerNorm's
 * ε is 1e-5, as PyTorch's. Parameters live in one Float64Array with named views. DOM-free.
 */
import { createRng } from '../data/prng';
import { copyrightLmLoss, type LmLoss } from './copyright-lm-loss';

export interface LmConfig {
  vocab: number;
  /** Model width d (a multiple of heads). */
  width: number;
  heads: number;
  layers: number;
  /** Longest input (positions 0 … context − 1). */
  context: number;
  /** Output head = the token embedding transposed (plus a bias), or a matrix of its own. */
  tiedHead: boolean;
}

export const LN_EPS = 1e-5;
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/** The parameters' names and sizes, in storage order. */
export function parameterLayout(c: LmConfig): [string, number][] {
  const d = c.width;
  const out: [string, number][] = [
    ['tokEmb', c.vocab * d],
    ['posEmb', c.context * d],
  ];
  for (let l = 0; l < c.layers; l++) {
    out.push(
      [`l${l}.ln1.g`, d],
      [`l${l}.ln1.b`, d],
      [`l${l}.wqkv`, d * 3 * d],
      [`l${l}.bqkv`, 3 * d],
      [`l${l}.wo`, d * d],
      [`l${l}.bo`, d],
      [`l${l}.ln2.g`, d],
      [`l${l}.ln2.b`, d],
      [`l${l}.w1`, d * 4 * d],
      [`l${l}.b1`, 4 * d],
      [`l${l}.w2`, 4 * d * d],
      [`l${l}.b2`, d],
    );
  }
  out.push(['lnf.g', d], ['lnf.b', d]);
  if (!c.tiedHead) out.push(['head.w', d * c.vocab]);
  out.push(['head.b', c.vocab]);
  return out;
}

/** A parameter vector and views of it by name (matrices row-major, in × out). */
export interface LmParams {
  config: LmConfig;
  data: Float64Array;
  views: Record<string, Float64Array>;
}

/** Views of `data` (parameters, or gradients of the same layout) by name. */
export function viewsOf(c: LmConfig, data: Float64Array): Record<string, Float64Array> {
  const views: Record<string, Float64Array> = {};
  let o = 0;
  for (const [name, size] of parameterLayout(c)) {
    views[name] = data.subarray(o, o + size);
    o += size;
  }
  if (o !== data.length) throw new Error(`${data.length} values for ${o} parameters`);
  return views;
}

/** Number of parameters. */
export function parameterCount(c: LmConfig): number {
  return parameterLayout(c).reduce((k, [, size]) => k + size, 0);
}

/** Seeded initialisation: weights N(0, 0.02²), LayerNorm gains 1, biases 0. */
export function initParams(c: LmConfig, seed: number): LmParams {
  if (c.width % c.heads !== 0) throw new Error(`width ${c.width} is not a multiple of ${c.heads} heads`);
  const data = new Float64Array(parameterCount(c));
  const views = viewsOf(c, data);
  const rng = createRng(seed);
  for (const [name] of parameterLayout(c)) {
    const v = views[name];
    if (name.endsWith('.g')) v.fill(1);
    else if (/(^|\.)(b|bqkv|bo|b1|b2)$/.test(name) || name === 'head.b') v.fill(0);
    else for (let i = 0; i < v.length; i++) v[i] = 0.02 * rng.normal();
  }
  return { config: c, data, views };
}

/** out (m × n) = a (m × k) · b (k × n) + bias (n). */
function matmul(
  a: Float64Array,
  b: Float64Array,
  bias: Float64Array | null,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = out.subarray(i * n, (i + 1) * n);
    if (bias) row.set(bias);
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      if (aip === 0) continue;
      const br = p * n;
      for (let j = 0; j < n; j++) row[j] += aip * b[br + j];
    }
  }
  return out;
}

/** Backward of matmul: adds dA = dOut·bᵀ (when wanted), dB += aᵀ·dOut, dBias += Σ rows. */
function matmulBack(
  dOut: Float64Array,
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  dB: Float64Array,
  dBias: Float64Array | null,
): Float64Array {
  const dA = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      let s = 0;
      const aip = a[i * k + p];
      for (let j = 0; j < n; j++) {
        const g = dOut[i * n + j];
        s += g * b[p * n + j];
        dB[p * n + j] += aip * g;
      }
      dA[i * k + p] = s;
    }
    if (dBias) for (let j = 0; j < n; j++) dBias[j] += dOut[i * n + j];
  }
  return dA;
}

interface LnCache {
  xhat: Float64Array;
  rstd: Float64Array;
}

function layerNorm(
  x: Float64Array,
  g: Float64Array,
  b: Float64Array,
  rows: number,
  d: number,
): { y: Float64Array; cache: LnCache } {
  const y = new Float64Array(rows * d);
  const xhat = new Float64Array(rows * d);
  const rstd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let mu = 0;
    for (let j = 0; j < d; j++) mu += x[r * d + j];
    mu /= d;
    let v = 0;
    for (let j = 0; j < d; j++) v += (x[r * d + j] - mu) ** 2;
    v /= d;
    rstd[r] = 1 / Math.sqrt(v + LN_EPS);
    for (let j = 0; j < d; j++) {
      const h = (x[r * d + j] - mu) * rstd[r];
      xhat[r * d + j] = h;
      y[r * d + j] = g[j] * h + b[j];
    }
  }
  return { y, cache: { xhat, rstd } };
}

function layerNormBack(
  dy: Float64Array,
  g: Float64Array,
  c: LnCache,
  rows: number,
  d: number,
  dg: Float64Array,
  db: Float64Array,
): Float64Array {
  const dx = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    let meanX = 0;
    for (let j = 0; j < d; j++) {
      const i = r * d + j;
      const dh = dy[i] * g[j];
      dg[j] += dy[i] * c.xhat[i];
      db[j] += dy[i];
      mean += dh;
      meanX += dh * c.xhat[i];
    }
    mean /= d;
    meanX /= d;
    for (let j = 0; j < d; j++) {
      const i = r * d + j;
      dx[i] = c.rstd[r] * (dy[i] * g[j] - mean - c.xhat[i] * meanX);
    }
  }
  return dx;
}

function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_A * x * x * x)));
}

function geluGrad(x: number): number {
  const t = Math.tanh(GELU_C * (x + GELU_A * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * x * x);
}

interface BlockCache {
  x: Float64Array;
  ln1: LnCache;
  h1: Float64Array;
  qkv: Float64Array;
  /** Attention probabilities per head, heads × t × t. */
  probs: Float64Array;
  att: Float64Array;
  x2: Float64Array;
  ln2: LnCache;
  h2: Float64Array;
  pre: Float64Array;
  act: Float64Array;
}

/** Everything the backward pass needs for one sequence. */
export interface SequenceCache {
  tokens: Int32Array;
  blocks: BlockCache[];
  xf: Float64Array;
  lnf: LnCache;
  y: Float64Array;
  logits: Float64Array;
}

/** Causal multi-head attention of one sequence (t × 3d → t × d), keeping the probabilities. */
function attention(
  qkv: Float64Array,
  t: number,
  d: number,
  heads: number,
): { out: Float64Array; probs: Float64Array } {
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const out = new Float64Array(t * d);
  const probs = new Float64Array(heads * t * t);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < t; i++) {
      const row = probs.subarray((h * t + i) * t, (h * t + i + 1) * t);
      let max = -Infinity;
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let e = 0; e < dh; e++) s += qkv[i * 3 * d + h * dh + e] * qkv[j * 3 * d + d + h * dh + e];
        row[j] = s * scale;
        max = Math.max(max, row[j]);
      }
      let z = 0;
      for (let j = 0; j <= i; j++) {
        row[j] = Math.exp(row[j] - max);
        z += row[j];
      }
      for (let j = 0; j <= i; j++) {
        row[j] /= z;
        for (let e = 0; e < dh; e++) out[i * d + h * dh + e] += row[j] * qkv[j * 3 * d + 2 * d + h * dh + e];
      }
    }
  }
  return { out, probs };
}

function attentionBack(
  dOut: Float64Array,
  qkv: Float64Array,
  probs: Float64Array,
  t: number,
  d: number,
  heads: number,
): Float64Array {
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const dqkv = new Float64Array(t * 3 * d);
  const dp = new Float64Array(t);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < t; i++) {
      const p = probs.subarray((h * t + i) * t, (h * t + i + 1) * t);
      let dot = 0;
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let e = 0; e < dh; e++) {
          const go = dOut[i * d + h * dh + e];
          s += go * qkv[j * 3 * d + 2 * d + h * dh + e];
          dqkv[j * 3 * d + 2 * d + h * dh + e] += p[j] * go; // dV
        }
        dp[j] = s;
        dot += s * p[j];
      }
      for (let j = 0; j <= i; j++) {
        const ds = p[j] * (dp[j] - dot) * scale; // through the softmax, then the 1/√dh
        if (ds === 0) continue;
        for (let e = 0; e < dh; e++) {
          dqkv[i * 3 * d + h * dh + e] += ds * qkv[j * 3 * d + d + h * dh + e]; // dQ
          dqkv[j * 3 * d + d + h * dh + e] += ds * qkv[i * 3 * d + h * dh + e]; // dK
        }
      }
    }
  }
  return dqkv;
}

/** The logits (t × vocab) of one input sequence, with the cache for the backward pass. */
export function forwardSequence(p: LmParams, tokens: Int32Array): SequenceCache {
  const c = p.config;
  const { width: d, vocab, heads } = c;
  const t = tokens.length;
  if (t > c.context) throw new Error(`a sequence of ${t} tokens is longer than the context ${c.context}`);
  const v = p.views;
  let x = new Float64Array(t * d);
  for (let i = 0; i < t; i++) {
    const tok = tokens[i];
    if (tok < 0 || tok >= vocab) throw new Error(`token ${tok} is outside the vocabulary`);
    for (let j = 0; j < d; j++) x[i * d + j] = v.tokEmb[tok * d + j] + v.posEmb[i * d + j];
  }
  const blocks: BlockCache[] = [];
  for (let l = 0; l < c.layers; l++) {
    const k = `l${l}.`;
    const ln1 = layerNorm(x, v[`${k}ln1.g`], v[`${k}ln1.b`], t, d);
    const qkv = matmul(ln1.y, v[`${k}wqkv`], v[`${k}bqkv`], t, d, 3 * d);
    const { out: att, probs } = attention(qkv, t, d, heads);
    const proj = matmul(att, v[`${k}wo`], v[`${k}bo`], t, d, d);
    const x2 = new Float64Array(t * d);
    for (let i = 0; i < x2.length; i++) x2[i] = x[i] + proj[i];
    const ln2 = layerNorm(x2, v[`${k}ln2.g`], v[`${k}ln2.b`], t, d);
    const pre = matmul(ln2.y, v[`${k}w1`], v[`${k}b1`], t, d, 4 * d);
    const act = pre.map(gelu);
    const mlp = matmul(act, v[`${k}w2`], v[`${k}b2`], t, 4 * d, d);
    const x3 = new Float64Array(t * d);
    for (let i = 0; i < x3.length; i++) x3[i] = x2[i] + mlp[i];
    blocks.push({ x, ln1: ln1.cache, h1: ln1.y, qkv, probs, att, x2, ln2: ln2.cache, h2: ln2.y, pre, act });
    x = x3;
  }
  const lnf = layerNorm(x, v['lnf.g'], v['lnf.b'], t, d);
  const headW = c.tiedHead ? transpose(v.tokEmb, vocab, d) : v['head.w'];
  const logits = matmul(lnf.y, headW, v['head.b'], t, d, vocab);
  return { tokens, blocks, xf: x, lnf: lnf.cache, y: lnf.y, logits };
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/** Adds ∂loss/∂parameters of one sequence to `grad` (same layout as the parameters). */
export function backwardSequence(
  p: LmParams,
  s: SequenceCache,
  dLogits: Float64Array,
  grad: Float64Array,
): void {
  const c = p.config;
  const { width: d, vocab, heads } = c;
  const t = s.tokens.length;
  const v = p.views;
  const g = viewsOf(c, grad);
  let dy: Float64Array;
  if (c.tiedHead) {
    // logits = y·Eᵀ + b: dy = dLogits·E, dE += dLogitsᵀ·y.
    const dHeadT = new Float64Array(d * vocab);
    dy = matmulBack(dLogits, s.y, transpose(v.tokEmb, vocab, d), t, d, vocab, dHeadT, g['head.b']);
    const dE = transpose(dHeadT, d, vocab);
    for (let i = 0; i < dE.length; i++) g.tokEmb[i] += dE[i];
  } else {
    dy = matmulBack(dLogits, s.y, v['head.w'], t, d, vocab, g['head.w'], g['head.b']);
  }
  let dx = layerNormBack(dy, v['lnf.g'], s.lnf, t, d, g['lnf.g'], g['lnf.b']);
  for (let l = c.layers - 1; l >= 0; l--) {
    const k = `l${l}.`;
    const b = s.blocks[l];
    // x3 = x2 + W2·gelu(W1·LN2(x2)): the residual carries dx through.
    const dAct = matmulBack(dx, b.act, v[`${k}w2`], t, 4 * d, d, g[`${k}w2`], g[`${k}b2`]);
    const dPre = dAct.map((gv, i) => gv * geluGrad(b.pre[i]));
    const dH2 = matmulBack(dPre, b.h2, v[`${k}w1`], t, d, 4 * d, g[`${k}w1`], g[`${k}b1`]);
    const dX2 = layerNormBack(dH2, v[`${k}ln2.g`], b.ln2, t, d, g[`${k}ln2.g`], g[`${k}ln2.b`]);
    for (let i = 0; i < dX2.length; i++) dX2[i] += dx[i];
    // x2 = x + Wo·attention(Wqkv·LN1(x)).
    const dAtt = matmulBack(dX2, b.att, v[`${k}wo`], t, d, d, g[`${k}wo`], g[`${k}bo`]);
    const dQkv = attentionBack(dAtt, b.qkv, b.probs, t, d, heads);
    const dH1 = matmulBack(dQkv, b.h1, v[`${k}wqkv`], t, d, 3 * d, g[`${k}wqkv`], g[`${k}bqkv`]);
    const dX = layerNormBack(dH1, v[`${k}ln1.g`], b.ln1, t, d, g[`${k}ln1.g`], g[`${k}ln1.b`]);
    for (let i = 0; i < dX.length; i++) dX[i] += dX2[i];
    dx = dX;
  }
  for (let i = 0; i < t; i++) {
    const tok = s.tokens[i];
    for (let j = 0; j < d; j++) {
      g.tokEmb[tok * d + j] += dx[i * d + j];
      g.posEmb[i * d + j] += dx[i * d + j];
    }
  }
}

/** AdamW's state: first and second moments and the step count. */
export interface AdamState {
  m: Float64Array;
  v: Float64Array;
  step: number;
}

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/** One AdamW step in place, as torch.optim.AdamW (decoupled weight decay on every parameter). */
export function adamwStep(params: Float64Array, grad: Float64Array, state: AdamState, o: AdamOptions): void {
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01 } = o;
  state.step++;
  const c1 = 1 - beta1 ** state.step;
  const c2 = 1 - beta2 ** state.step;
  for (let i = 0; i < params.length; i++) {
    params[i] *= 1 - lr * weightDecay;
    state.m[i] = beta1 * state.m[i] + (1 - beta1) * grad[i];
    state.v[i] = beta2 * state.v[i] + (1 - beta2) * grad[i] * grad[i];
    params[i] -= (lr * (state.m[i] / c1)) / (Math.sqrt(state.v[i] / c2) + eps);
  }
}

/** One training sequence: inputs, the target at each position, and which targets are copyrighted. */
export interface LmSequence {
  inputs: Int32Array;
  /** The target token of each position, or IGNORE_INDEX for padding. */
  labels: Int32Array;
  copyright: Uint8Array;
}

/**
 * The copyright loss of a batch (copyright-lm-loss.ts: mean CE over every target of the batch +
 * γ / mean CE over its copyrighted targets) and its gradient with respect to every parameter.
 */
export function lossAndGradient(
  p: LmParams,
  batch: readonly LmSequence[],
  gamma: number,
): { loss: LmLoss; grad: Float64Array } {
  const vocab = p.config.vocab;
  const caches = batch.map((s) => forwardSequence(p, s.inputs));
  const rows = batch.reduce((k, s) => k + s.inputs.length, 0);
  const logits = new Float64Array(rows * vocab);
  const labels = new Int32Array(rows);
  const copyright = new Uint8Array(rows);
  let r = 0;
  batch.forEach((s, k) => {
    logits.set(caches[k].logits, r * vocab);
    labels.set(s.labels, r);
    copyright.set(s.copyright, r);
    r += s.inputs.length;
  });
  const loss = copyrightLmLoss({ logits, rows, vocab, labels, copyright, gamma });
  const grad = new Float64Array(p.data.length);
  r = 0;
  batch.forEach((s, k) => {
    const t = s.inputs.length;
    backwardSequence(p, caches[k], loss.dLogits.subarray(r * vocab, (r + t) * vocab), grad);
    r += t;
  });
  return { loss, grad };
}
