/**
 * The LM sweep: each cell is the training makeRunAndTwin would give for its n1/n and seed (the
 * same weights and batches), the γ = 0 baseline is its twin, and the summary bands its seeds.
 */
import { describe, expect, it } from 'vitest';
import { defaultLmSpec } from './lm-defaults';
import { runLmSweep } from './sweep';
import { makeRunAndTwin, measure } from './training';

describe('LM sweep (γ × n1/n × seeds)', () => {
  it('cells equal the run and twin trained on their own; the summary is min/mean/max over seeds', () => {
    const base = defaultLmSpec(5);
    base.model = { ...base.model, width: 8, context: 12 };
    base.batch = 2;
    base.candidates = 20;
    const steps = 3;
    const { cells, summary } = runLmSweep({ base, gammas: [0.4], fractions: [0.1, 0.2], seeds: 2, steps });
    expect(cells.map((c) => `${c.fraction}/${c.seed}/${c.gamma}`)).toEqual([
      '0.1/5/0',
      '0.1/5/0.4',
      '0.1/6/0',
      '0.1/6/0.4',
      '0.2/5/0',
      '0.2/5/0.4',
      '0.2/6/0',
      '0.2/6/0.4',
    ]);
    // The cell at n1/n = 0.2, seed 6, against the pair trained by makeRunAndTwin.
    const spec = { ...base, seed: 6, gamma: 0.4, corpus: { ...base.corpus, seed: 6, fraction: 0.2 } };
    const { run, twin } = makeRunAndTwin(spec);
    for (let s = 0; s < steps; s++) {
      run.step();
      twin.step();
    }
    const [a, b] = [measure(run), measure(twin)];
    const cell = (g: number) => cells.find((c) => c.fraction === 0.2 && c.seed === 6 && c.gamma === g)!;
    expect(cell(0.4).tauCe).toBe(a.tauCe);
    expect(cell(0.4).validationPerplexity).toBe(a.validationPerplexity);
    expect(cell(0).tauCe).toBe(b.tauCe);
    const row = summary.find((r) => r.fraction === 0.2 && r.gamma === 0.4)!;
    const taus = cells.filter((c) => c.fraction === 0.2 && c.gamma === 0.4).map((c) => c.tauCe);
    expect(row.seeds).toBe(2);
    expect(row.tauCe.min).toBe(Math.min(...taus));
    expect(row.tauCe.max).toBe(Math.max(...taus));
    expect(row.tauCe.mean).toBeCloseTo((taus[0] + taus[1]) / 2, 14);
    expect(summary).toHaveLength(2 * 2);
  });
});
