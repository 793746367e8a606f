/**
 * The float32 WGSL training step (lm-gpu.ts, shaders/lm/) against the float64 reference of
 * src/lm/transformer.ts, on Dawn/SwiftShader: the copyright loss, every parameter's gradient and
 * AdamW steps, for tied and untied heads and 1 and 2 layers, on a batch of two sequences of
 * different lengths with padding and copyrighted targets; a wider model (rows wider than a
 * workgroup, three sequences); no penalty without copyrighted targets or with γ = 0. Fails (never
 * skips) without an adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../data/prng';
import { IGNORE_INDEX } from '../../lm/copyright-lm-loss';
import {
  adamwStep,
  initParams,
  lossAndGradient,
  parameterLayout,
  viewsOf,
  type LmConfig,
  type LmParams,
  type LmSequence,
} from '../../lm/transformer';
import type { GpuContext } from '../device';
import { requireGpu } from '../testing';
import { LmGpu } from './lm-gpu';

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await requireGpu();
});
afterAll(() => gpu?.device.destroy());

/**
 * Gradient tolerance: max |GPU − float64| over a parameter, relative to that parameter's max
 * |grad|. Every value passes through float32 dot products of at most 4·d = 64 terms here (or the
 * batch's rows, or the vocabulary), each with error ≲ k·u·Σ|terms| (u = 2⁻²⁴ ≈ 6e-8), i.e.
 * ≲ 4e-6 relative for k = 64 in the worst case and ≈ √k·u ≈ 5e-7 typically, and about a dozen
 * such ops lie in series per layer forward and back, their errors adding (the scaled-up weights
 * make the attention and LayerNorm Jacobians O(1), not contracting). Measured: worst 1.7e-6 over
 * 16 runs (4 shapes × 4 seeds); 2e-5 is about 10× that and 3 × 64·u, and a wrong backward
 * formula errs by 1e-2 … 1 (hand mutations of LayerNorm, softmax, GELU, causal mask, penalty).
 */
const GRAD_TOL = 2e-5;
/** Loss: a sum of ≤ 13 CEs, each a float32 log-sum-exp: relative ≲ 1e-6 plus the forward's error. */
const LOSS_TOL = 1e-5;

function config(tiedHead: boolean, layers: number): LmConfig {
  return { vocab: 13, width: 16, heads: 2, layers, context: 7, tiedHead };
}

/** Random weights larger than the 0.02 init, so that attention, the MLP and LayerNorm all matter. */
function randomParams(c: LmConfig, seed: number): LmParams {
  const p = initParams(c, seed);
  const rng = createRng(seed + 1);
  for (let i = 0; i < p.data.length; i++) p.data[i] += 0.3 * rng.normal();
  return p;
}

/**
 * Two sequences of lengths context and context − 2 (so attention must stay within each), padding
 * at the end of the second, copyrighted targets in both.
 */
function randomBatch(c: LmConfig, seed: number): LmSequence[] {
  const rng = createRng(seed);
  const seq = (t: number, padFrom: number, copyFrom: number, copyTo: number): LmSequence => ({
    inputs: Int32Array.from({ length: t }, () => Math.floor(rng.next() * c.vocab)),
    labels: Int32Array.from({ length: t }, (_, i) =>
      i >= padFrom ? IGNORE_INDEX : Math.floor(rng.next() * c.vocab),
    ),
    copyright: Uint8Array.from({ length: t }, (_, i) => (i >= copyFrom && i < copyTo ? 1 : 0)),
  });
  return [seq(c.context, c.context, 1, 4), seq(c.context - 2, c.context - 4, 0, 2)];
}

/** Per parameter: max |a − b| / max |b| (and the scale). */
function gradErrors(c: LmConfig, got: Float64Array, want: Float64Array): Map<string, [number, number]> {
  const g = viewsOf(c, got);
  const w = viewsOf(c, want);
  const out = new Map<string, [number, number]>();
  for (const [name] of parameterLayout(c)) {
    let err = 0;
    let scale = 0;
    for (let i = 0; i < w[name].length; i++) {
      err = Math.max(err, Math.abs(g[name][i] - w[name][i]));
      scale = Math.max(scale, Math.abs(w[name][i]));
    }
    out.set(name, [err / scale, scale]);
  }
  return out;
}

describe('LmGpu: the float32 training step against the float64 reference', () => {
  for (const tiedHead of [false, true]) {
    for (const layers of [1, 2]) {
      const label = `${tiedHead ? 'tied' : 'untied'} head, ${layers} layer${layers > 1 ? 's' : ''}`;
      it(`loss and every parameter's gradient match (${label})`, async () => {
        const c = config(tiedHead, layers);
        const p = randomParams(c, 3 + layers);
        const batch = randomBatch(c, 17 + layers);
        const gamma = 0.3;
        const ref = lossAndGradient(p, batch, gamma);
        const lm = await LmGpu.create(c, gpu.device, p.data);
        const got = await lm.lossAndGradient(batch, gamma);
        lm.destroy();

        expect(ref.loss.penaltyApplied).toBe(true);
        expect(got.loss.penaltyApplied).toBe(true);
        expect(got.loss.tokens).toBe(ref.loss.tokens);
        expect(got.loss.copyrightTokens).toBe(ref.loss.copyrightTokens);
        const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
        expect(rel(got.loss.loss, ref.loss.loss), 'loss').toBeLessThan(LOSS_TOL);
        expect(rel(got.loss.ce, ref.loss.ce), 'ce').toBeLessThan(LOSS_TOL);
        expect(rel(got.loss.ceCopyright, ref.loss.ceCopyright), 'ceCopyright').toBeLessThan(LOSS_TOL);
        expect(rel(got.loss.ceFree, ref.loss.ceFree), 'ceFree').toBeLessThan(LOSS_TOL);

        const errs = gradErrors(c, got.grad, ref.grad);
        const worst = Math.max(...[...errs.values()].map(([e]) => e));
        console.log(
          `${label}: loss rel err ${rel(got.loss.loss, ref.loss.loss).toExponential(2)}, worst grad err ${worst.toExponential(2)}`,
        );
        for (const [name, [err, scale]] of errs) {
          expect(scale, `${name} has a gradient`).toBeGreaterThan(1e-4);
          expect(err, `${name} (${label})`).toBeLessThan(GRAD_TOL);
        }
      });
    }
  }

  it('a wider model: 3 heads, width 48 (more than a row workgroup), vocab 40, three sequences', async () => {
    const c: LmConfig = { vocab: 40, width: 48, heads: 3, layers: 1, context: 32, tiedHead: true };
    const p = randomParams(c, 31);
    const rng = createRng(37);
    const batch = [32, 20, 9].map((t, k) => ({
      inputs: Int32Array.from({ length: t }, () => Math.floor(rng.next() * c.vocab)),
      labels: Int32Array.from({ length: t }, (_, i) =>
        i >= t - k ? IGNORE_INDEX : Math.floor(rng.next() * c.vocab),
      ),
      copyright: Uint8Array.from({ length: t }, (_, i) => (i % 5 === k ? 1 : 0)),
    }));
    const ref = lossAndGradient(p, batch, 0.2);
    const lm = await LmGpu.create(c, gpu.device, p.data);
    const got = await lm.lossAndGradient(batch, 0.2);
    lm.destroy();
    expect(Math.abs(got.loss.loss - ref.loss.loss) / ref.loss.loss, 'loss').toBeLessThan(LOSS_TOL);
    const errs = gradErrors(c, got.grad, ref.grad);
    console.log(
      `wider model: worst grad err ${Math.max(...[...errs.values()].map(([e]) => e)).toExponential(2)}`,
    );
    // Inner dimensions up to 4·d = 192 and 61 rows: k·u grows 3× over the small models'.
    for (const [name, [err]] of errs) expect(err, name).toBeLessThan(3 * GRAD_TOL);
  });

  it('no penalty without copyrighted targets or with γ = 0, as the reference', async () => {
    const c = config(true, 1);
    const p = randomParams(c, 8);
    const batch = randomBatch(c, 23);
    const clean = batch.map((s) => ({ ...s, copyright: new Uint8Array(s.inputs.length) }));
    const lm = await LmGpu.create(c, gpu.device, p.data);
    for (const [b, gamma] of [
      [clean, 0.3],
      [batch, 0],
    ] as const) {
      const ref = lossAndGradient(p, b, gamma);
      const got = await lm.lossAndGradient(b, gamma);
      expect(got.loss.penaltyApplied).toBe(false);
      expect(Math.abs(got.loss.loss - ref.loss.loss) / ref.loss.loss).toBeLessThan(LOSS_TOL);
      for (const [name, [err]] of gradErrors(c, got.grad, ref.grad)) expect(err, name).toBeLessThan(GRAD_TOL);
    }
    lm.destroy();
  });

  it('AdamW steps match adamwStep (decoupled decay, bias-corrected moments)', async () => {
    const c = config(false, 1);
    const p = randomParams(c, 12);
    const batch = randomBatch(c, 29);
    const lm = await LmGpu.create(c, gpu.device, p.data);
    // The reference starts from the float32-rounded parameters and, at each step, is fed the
    // GPU's own gradient (read back exactly): this isolates the optimiser kernel from the
    // gradient's float32 error, to which Adam's first steps (≈ lr·sign(g)) are very sensitive.
    const params = Float64Array.from(p.data, Math.fround);
    const state = { m: new Float64Array(params.length), v: new Float64Array(params.length), step: 0 };
    const o = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };
    for (let step = 0; step < 3; step++) {
      const { grad } = await lm.lossAndGradient(batch, 0.3);
      adamwStep(params, grad, state, o);
      lm.adamwStep(o);
      // The GPU continues from its own float32 parameters; keep the reference on the same ones.
      const got = await lm.readParams();
      const st = await lm.readAdamState();
      expect(st.step).toBe(state.step);
      let err = 0;
      let size = 0;
      for (let i = 0; i < params.length; i++) {
        err = Math.max(err, Math.abs(got[i] - params[i]));
        size = Math.max(size, Math.abs(params[i]));
      }
      // Three float32 roundings of p (the decay, the update, the store: ≤ 2⁻²⁴·|p| each) plus the
      // update's own relative error of a few u (lr·1e-6 is far above it).
      const tol = 3 * 2 ** -24 * size + 1e-6 * o.lr;
      console.log(
        `AdamW step ${step + 1}: max abs err ${err.toExponential(2)} (tolerance ${tol.toExponential(2)})`,
      );
      expect(err, `parameters after step ${step + 1}`).toBeLessThan(tol);
      // The moments are float32 copies of float64 recurrences of the same gradients.
      for (const [mine, theirs, name] of [
        [st.m, state.m, 'm'],
        [st.v, state.v, 'v'],
      ] as const) {
        let e = 0;
        let s = 0;
        for (let i = 0; i < theirs.length; i++) {
          e = Math.max(e, Math.abs(mine[i] - theirs[i]));
          s = Math.max(s, Math.abs(theirs[i]));
        }
        // A few roundings per step of a float32 recurrence (u ≈ 6e-8 each); measured ≤ 1.2e-7.
        expect(e / s, `${name} after step ${step + 1}`).toBeLessThan(1e-6);
      }
      params.set(got);
    }
    lm.destroy();
  });
});
