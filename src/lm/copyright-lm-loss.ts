/**
 * The language-model copyright loss, float64 reference: mean cross-entropy over every
 * non-padding target token + γ / (mean cross-entropy over the copyrighted target tokens), with
 * boolean masks and padding ignored; metrics never include the penalty. A batch without
 * copyrighted tokens has no penalty term (γ = 0 is plain training). The exported PyTorch module
 * (pytorch/copyright_loss.py) is checked against this, and a tiny bigram model (logits = E[t]·W + c)
 * gives it parameters to differentiate. DOM- and GPU-free.
 */

/** The label that marks padding (PyTorch's cross_entropy default ignore_index). */
export const IGNORE_INDEX = -100;

export interface LmLossInput {
  /** Row-major rows × vocab logits, one row per target position. */
  logits: Float64Array;
  rows: number;
  vocab: number;
  /** Target token per row, or {@link IGNORE_INDEX} for padding. */
  labels: Int32Array;
  /** 1 where the target token is copyrighted (ignored on padding). */
  copyright: Uint8Array;
  gamma: number;
}

export interface LmLoss {
  loss: number;
  /** Mean CE over the non-padding targets (nats per token). */
  ce: number;
  /** Mean CE over the copyrighted targets (NaN when there are none). */
  ceCopyright: number;
  /** Mean CE over the other non-padding targets (NaN when there are none). */
  ceFree: number;
  /** τ_CE = ceCopyright − ceFree. */
  tauCe: number;
  tokens: number;
  copyrightTokens: number;
  penaltyApplied: boolean;
  /** ∂loss/∂logits, rows × vocab. */
  dLogits: Float64Array;
}

/** The loss, its metrics and its gradient with respect to the logits. */
export function copyrightLmLoss({ logits, rows, vocab, labels, copyright, gamma }: LmLossInput): LmLoss {
  if (logits.length !== rows * vocab)
    throw new Error(`logits: ${logits.length} values for ${rows} × ${vocab}`);
  const ce = new Float64Array(rows);
  const prob = new Float64Array(rows * vocab);
  let sumAll = 0;
  let sumCopyright = 0;
  let sumFree = 0;
  let tokens = 0;
  let copyrightTokens = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[r];
    if (label === IGNORE_INDEX) continue;
    if (label < 0 || label >= vocab) throw new Error(`label ${label} at row ${r} is outside the vocabulary`);
    const o = r * vocab;
    let max = -Infinity;
    for (let j = 0; j < vocab; j++) max = Math.max(max, logits[o + j]);
    let z = 0;
    for (let j = 0; j < vocab; j++) z += Math.exp(logits[o + j] - max);
    for (let j = 0; j < vocab; j++) prob[o + j] = Math.exp(logits[o + j] - max) / z;
    ce[r] = max + Math.log(z) - logits[o + label];
    sumAll += ce[r];
    tokens++;
    if (copyright[r]) {
      sumCopyright += ce[r];
      copyrightTokens++;
    } else sumFree += ce[r];
  }
  if (tokens === 0) throw new Error('the batch has no target token (every label is padding)');
  const penaltyApplied = gamma !== 0 && copyrightTokens > 0;
  const ceAll = sumAll / tokens;
  const ceCopyright = copyrightTokens > 0 ? sumCopyright / copyrightTokens : NaN;
  const ceFree = tokens > copyrightTokens ? sumFree / (tokens - copyrightTokens) : NaN;
  const loss = penaltyApplied ? ceAll + gamma / ceCopyright : ceAll;
  // ∂loss/∂ce_r = 1/N on every target, − γ·N_c/S_c² more on the copyrighted ones.
  const dPenalty = penaltyApplied ? (-gamma * copyrightTokens) / (sumCopyright * sumCopyright) : 0;
  const dLogits = new Float64Array(rows * vocab);
  for (let r = 0; r < rows; r++) {
    const label = labels[r];
    if (label === IGNORE_INDEX) continue;
    const dce = 1 / tokens + (copyright[r] ? dPenalty : 0);
    const o = r * vocab;
    for (let j = 0; j < vocab; j++) dLogits[o + j] = dce * (prob[o + j] - (j === label ? 1 : 0));
  }
  return {
    loss,
    ce: ceAll,
    ceCopyright,
    ceFree,
    tauCe: ceCopyright - ceFree,
    tokens,
    copyrightTokens,
    penaltyApplied,
    dLogits,
  };
}

/** A bigram model: logits_t = E[input_t]·W + c (E: vocab × width, W: width × vocab, c: vocab). */
export interface BigramModel {
  vocab: number;
  width: number;
  E: Float64Array;
  W: Float64Array;
  c: Float64Array;
}

/** The model's logits for a sequence of input tokens (rows × vocab). */
export function bigramLogits(m: BigramModel, inputs: Int32Array): Float64Array {
  const { vocab, width, E, W, c } = m;
  const out = new Float64Array(inputs.length * vocab);
  inputs.forEach((t, r) => {
    for (let j = 0; j < vocab; j++) {
      let s = c[j];
      for (let h = 0; h < width; h++) s += E[t * width + h] * W[h * vocab + j];
      out[r * vocab + j] = s;
    }
  });
  return out;
}

/** ∂loss/∂(E, W, c) from ∂loss/∂logits (backpropagation through bigramLogits). */
export function bigramGradients(
  m: BigramModel,
  inputs: Int32Array,
  dLogits: Float64Array,
): { dE: Float64Array; dW: Float64Array; dc: Float64Array } {
  const { vocab, width, E, W } = m;
  const dE = new Float64Array(E.length);
  const dW = new Float64Array(W.length);
  const dc = new Float64Array(vocab);
  inputs.forEach((t, r) => {
    for (let j = 0; j < vocab; j++) {
      const g = dLogits[r * vocab + j];
      if (g === 0) continue;
      dc[j] += g;
      for (let h = 0; h < width; h++) {
        dW[h * vocab + j] += E[t * width + h] * g;
        dE[t * width + h] += W[h * vocab + j] * g;
      }
    }
  });
  return { dE, dW, dc };
}
