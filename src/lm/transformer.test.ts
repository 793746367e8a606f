/**
 * The float64 transformer reference: its hand-written backward pass against central finite
 * differences of the whole copyright loss (every parameter; tied and untied heads; padding, masks,
 * sequences of different lengths), and its AdamW step by hand.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../data/prng';
import { IGNORE_INDEX } from './copyright-lm-loss';
import {
  adamwStep,
  initParams,
  lossAndGradient,
  parameterLayout,
  viewsOf,
  type LmConfig,
  type LmSequence,
} from './transformer';

function randomBatch(seed: number, c: LmConfig): LmSequence[] {
  const rng = createRng(seed);
  const seq = (t: number, padFrom: number): LmSequence => {
    const inputs = Int32Array.from({ length: t }, () => Math.floor(rng.next() * c.vocab));
    const labels = Int32Array.from({ length: t }, (_, i) =>
      i >= padFrom ? IGNORE_INDEX : Math.floor(rng.next() * c.vocab),
    );
    const copyright = Uint8Array.from({ length: t }, (_, i) => (i >= 1 && i < 4 ? 1 : 0));
    return { inputs, labels, copyright };
  };
  return [seq(c.context, c.context), seq(c.context - 2, c.context - 3)];
}

/** Larger than the default init so that every part of the model matters to the loss. */
function config(tiedHead: boolean): LmConfig {
  return { vocab: 7, width: 8, heads: 2, layers: 2, context: 6, tiedHead };
}

describe('transformer reference (float64)', () => {
  for (const tiedHead of [false, true]) {
    it(`its gradient equals central finite differences for every parameter (${tiedHead ? 'tied' : 'untied'} head)`, () => {
      const c = config(tiedHead);
      const p = initParams(c, 5);
      // Scale the weights up from the 0.02 init: gradients through attention and the MLP then
      // are not negligible beside the residual path.
      const rng = createRng(9);
      for (let i = 0; i < p.data.length; i++) p.data[i] += 0.3 * rng.normal();
      const batch = randomBatch(11, c);
      const { loss, grad } = lossAndGradient(p, batch, 0.3);
      expect(loss.penaltyApplied).toBe(true);
      const g = viewsOf(c, grad);
      const h = 1e-5;
      for (const [name] of parameterLayout(c)) {
        const v = p.views[name];
        let worst = 0;
        let scale = 0;
        for (let i = 0; i < v.length; i++) {
          const keep = v[i];
          v[i] = keep + h;
          const up = lossAndGradient(p, batch, 0.3).loss.loss;
          v[i] = keep - h;
          const down = lossAndGradient(p, batch, 0.3).loss.loss;
          v[i] = keep;
          worst = Math.max(worst, Math.abs((up - down) / (2 * h) - g[name][i]));
          scale = Math.max(scale, Math.abs(g[name][i]));
        }
        expect(scale, `${name} has a gradient`).toBeGreaterThan(1e-6);
        expect(worst / scale, name).toBeLessThan(1e-6);
      }
    });
  }

  it('AdamW: decoupled weight decay and bias-corrected moments, by hand for two steps', () => {
    const params = Float64Array.of(1, -2);
    const state = { m: new Float64Array(2), v: new Float64Array(2), step: 0 };
    const o = { lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.5 };
    adamwStep(params, Float64Array.of(0.5, -1), state, o);
    // Step 1: m̂ = g, v̂ = g², so the update is lr·sign(g) (to eps) after decay by 1 − lr·wd.
    expect(params[0]).toBeCloseTo(1 * 0.95 - 0.1, 7);
    expect(params[1]).toBeCloseTo(-2 * 0.95 + 0.1, 7);
    adamwStep(params, Float64Array.of(0.5, -1), state, o);
    const m = 0.9 * 0.05 + 0.1 * 0.5;
    const v = 0.99 * 0.0025 + 0.01 * 0.25;
    const step = (0.1 * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.9801)) + 1e-8);
    const first = 0.95 - (0.1 * 0.5) / (Math.sqrt(0.25) + 1e-8);
    expect(params[0]).toBeCloseTo(first * 0.95 - step, 12);
  });
});
