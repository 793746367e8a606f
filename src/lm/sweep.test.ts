/**
 * The LM sweep: each cell is the training makeRunAndTwin would give for its n1/n and seed (the
 * same weights and batches), the γ = 0 baseline is its twin, and the summary bands its seeds.
 */
import { describe, expect, it } from 'vitest';
import { defaultLmSpec } from './lm-defaults';
import {
  runLmSweep,
  summariseLmSweep,
  sweepCells,
  trainCell,
  type LmSweepCell,
  type LmSweepSpec,
} from './sweep';
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

  it('the split (jobs, one training per job in any order, summary) gives runLmSweep’s cells and summary', () => {
    const base = defaultLmSpec(2);
    base.model = { ...base.model, width: 8, context: 12 };
    base.batch = 2;
    base.candidates = 20;
    // Unsorted γ with a duplicate and an explicit 0: the baseline is trained once, first.
    const spec: LmSweepSpec = { base, gammas: [0.5, 0, 0.2, 0.5], fractions: [0.2, 0.1], seeds: 2, steps: 2 };
    const jobs = sweepCells(spec);
    expect(jobs.map((j) => `${j.fraction}/${j.seed}/${j.gamma}`)).toEqual([
      '0.2/2/0',
      '0.2/2/0.2',
      '0.2/2/0.5',
      '0.2/3/0',
      '0.2/3/0.2',
      '0.2/3/0.5',
      '0.1/2/0',
      '0.1/2/0.2',
      '0.1/2/0.5',
      '0.1/3/0',
      '0.1/3/0.2',
      '0.1/3/0.5',
    ]);
    const whole = runLmSweep(spec);
    // As a pool of workers would: each job on its own, last first, with per-step progress.
    const seen: number[] = [];
    const apart = [...jobs].reverse().map((j) => trainCell(spec, j, (s) => seen.push(s)));
    expect(seen).toEqual(jobs.flatMap(() => [1, 2]));
    expect(apart.reverse()).toEqual(whole.cells);
    expect(summariseLmSweep(spec, [...apart].reverse())).toEqual(whole.summary);
  });

  it('summarises min / mean / max over seeds per (n1/n, γ), counts seeds, and skips what has not run', () => {
    const spec: LmSweepSpec = {
      base: defaultLmSpec(1),
      gammas: [0.5],
      fractions: [0.1, 0.3],
      seeds: 3,
      steps: 1,
    };
    const cell = (
      gamma: number,
      fraction: number,
      seed: number,
      tauCe: number,
      ppl: number,
    ): LmSweepCell => ({
      gamma,
      fraction,
      seed,
      tauCe,
      validationPerplexity: ppl,
      ceCopyright: 0,
      exposure: 0,
      exactMatches: 0,
    });
    // A partial sweep, out of order: (0.1, γ = 0.5) has 3 seeds, (0.1, 0) has 2, (0.3, 0.5) 1, (0.3, 0) none.
    const cells = [
      cell(0.5, 0.1, 3, 0.9, 7.5),
      cell(0, 0.1, 1, -0.25, 6),
      cell(0.5, 0.3, 2, 0.4, 8),
      cell(0.5, 0.1, 1, 0.3, 7),
      cell(0, 0.1, 2, 0.75, 6.5),
      cell(0.5, 0.1, 2, 0.6, 9.5),
    ];
    const rows = summariseLmSweep(spec, cells);
    // Worked by hand: (0.3 + 0.6 + 0.9) / 3 = 0.6, (7 + 9.5 + 7.5) / 3 = 8, (−0.25 + 0.75) / 2 = 0.25.
    expect(rows.map((r) => [r.fraction, r.gamma, r.seeds])).toEqual([
      [0.1, 0, 2],
      [0.1, 0.5, 3],
      [0.3, 0.5, 1],
    ]);
    expect(rows[0].tauCe.min).toBe(-0.25);
    expect(rows[0].tauCe.max).toBe(0.75);
    expect(rows[0].tauCe.mean).toBeCloseTo(0.25, 14);
    expect(rows[0].validationPerplexity.mean).toBeCloseTo(6.25, 14);
    expect(rows[1].tauCe.min).toBe(0.3);
    expect(rows[1].tauCe.max).toBe(0.9);
    expect(rows[1].tauCe.mean).toBeCloseTo(0.6, 14);
    expect(rows[1].validationPerplexity.min).toBe(7);
    expect(rows[1].validationPerplexity.max).toBe(9.5);
    expect(rows[1].validationPerplexity.mean).toBeCloseTo(8, 14);
    expect(rows[2].tauCe).toEqual({ min: 0.4, mean: 0.4, max: 0.4 });
  });
});
