/** The LM copyright loss reference against central finite differences, masks and padding included. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../data/prng';
import {
  bigramGradients,
  bigramLogits,
  copyrightLmLoss,
  IGNORE_INDEX,
  type BigramModel,
} from './copyright-lm-loss';

function randomModel(seed: number, vocab = 7, width = 4): BigramModel {
  const rng = createRng(seed);
  const normal = (k: number) => Float64Array.from({ length: k }, () => rng.normal() * 0.5);
  return { vocab, width, E: normal(vocab * width), W: normal(width * vocab), c: normal(vocab) };
}

function batch(seed: number, rows: number, vocab: number) {
  const rng = createRng(seed);
  const inputs = Int32Array.from({ length: rows }, () => Math.floor(rng.next() * vocab));
  const labels = Int32Array.from({ length: rows }, () => Math.floor(rng.next() * vocab));
  const copyright = Uint8Array.from({ length: rows }, (_, r) => (r % 3 === 1 ? 1 : 0));
  labels[rows - 1] = IGNORE_INDEX; // padding, even where the mask says copyrighted
  copyright[rows - 1] = 1;
  return { inputs, labels, copyright };
}

describe('copyright LM loss (float64 reference)', () => {
  it('mean CE + γ / copyrighted CE: parts by hand, padding ignored, no penalty without copyrighted tokens', () => {
    const logits = Float64Array.of(0, 0, Math.log(3), 0, 9, 9);
    const labels = Int32Array.of(0, 1, IGNORE_INDEX);
    const copyright = Uint8Array.of(1, 0, 1);
    const out = copyrightLmLoss({ logits, rows: 3, vocab: 2, labels, copyright, gamma: 0.5 });
    // Row 0: CE = log 2; row 1: p(1) = 1/4, CE = log 4; row 2 is padding.
    expect(out.tokens).toBe(2);
    expect(out.copyrightTokens).toBe(1);
    expect(out.ce).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 14);
    expect(out.tauCe).toBeCloseTo(Math.log(2) - Math.log(4), 14);
    expect(out.loss).toBeCloseTo(out.ce + 0.5 / Math.log(2), 14);
    const none = copyrightLmLoss({
      logits,
      rows: 3,
      vocab: 2,
      labels,
      copyright: new Uint8Array(3),
      gamma: 0.5,
    });
    expect(none.penaltyApplied).toBe(false);
    expect(none.loss).toBe(none.ce);
  });

  it('its gradient through a bigram model equals central finite differences (relative 1e-7)', () => {
    for (const seed of [1, 2, 3]) {
      const m = randomModel(seed);
      const { inputs, labels, copyright } = batch(seed + 10, 11, m.vocab);
      const lossAt = (model: BigramModel): number =>
        copyrightLmLoss({
          logits: bigramLogits(model, inputs),
          rows: 11,
          vocab: m.vocab,
          labels,
          copyright,
          gamma: 0.3,
        }).loss;
      const out = copyrightLmLoss({
        logits: bigramLogits(m, inputs),
        rows: 11,
        vocab: m.vocab,
        labels,
        copyright,
        gamma: 0.3,
      });
      expect(out.penaltyApplied).toBe(true);
      const grads = bigramGradients(m, inputs, out.dLogits);
      for (const [name, g] of [
        ['E', grads.dE],
        ['W', grads.dW],
        ['c', grads.dc],
      ] as const) {
        const p = m[name];
        let worst = 0;
        let scale = 0;
        for (let k = 0; k < p.length; k++) {
          const h = 1e-5;
          const keep = p[k];
          p[k] = keep + h;
          const up = lossAt(m);
          p[k] = keep - h;
          const down = lossAt(m);
          p[k] = keep;
          worst = Math.max(worst, Math.abs((up - down) / (2 * h) - g[k]));
          scale = Math.max(scale, Math.abs(g[k]));
        }
        expect(worst / scale, `${name}, seed ${seed}`).toBeLessThan(1e-7);
      }
    }
  });
});
