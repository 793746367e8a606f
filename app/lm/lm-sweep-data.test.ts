/**
 * The language-model sweep's pure parts: the spec from the settings, the pool size, the estimate,
 * the CSV (every cell, the unfinished ones marked when partial) and the charts' points.
 */
import { describe, expect, it } from 'vitest';
import { summariseLmSweep, sweepCells, type LmSweepCell } from '../../src/lm/sweep';
import { cloneSettings, DEFAULT_SETTINGS } from '../store/settings';
import { lmSweepChart } from './lm-sweep-charts';
import {
  LM_SWEEP_CSV_COLUMNS,
  LM_SWEEP_STEPS_MAX,
  POOL_MAX,
  lmSweepCellCount,
  lmSweepCsv,
  lmSweepSpecFrom,
  poolSize,
  remainingMs,
} from './lm-sweep-data';

function specOf(grid = DEFAULT_SETTINGS.lmSweep) {
  const made = lmSweepSpecFrom(DEFAULT_SETTINGS.lm, grid);
  if (!made.ok) throw new Error(made.reason);
  return made.spec;
}

const fake = (gamma: number, fraction: number, seed: number, tauCe: number): LmSweepCell => ({
  gamma,
  fraction,
  seed,
  tauCe,
  ceCopyright: 1,
  validationPerplexity: 2 + tauCe,
  exposure: 3,
  exactMatches: 0,
});

describe('language-model sweep (page side)', () => {
  it('takes the view’s model and the grid; refuses an n1/n that tags nothing', () => {
    const spec = specOf();
    expect(spec.base.model.width).toBe(DEFAULT_SETTINGS.lm.width);
    expect(spec.base.seed).toBe(DEFAULT_SETTINGS.lm.seed);
    expect(spec.steps).toBe(DEFAULT_SETTINGS.lmSweep.steps);
    expect(sweepCells(spec)).toHaveLength(lmSweepCellCount(DEFAULT_SETTINGS.lmSweep));
    expect(lmSweepCellCount(DEFAULT_SETTINGS.lmSweep)).toBe(12);
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.lm.canaries = 0;
    const bad = lmSweepSpecFrom(s.lm, { ...s.lmSweep, fractions: [0, 0.1] });
    expect(bad).toEqual({
      ok: false,
      reason: expect.stringMatching(/^At n1\/n = 0: Nothing is copyrighted/),
    });
  });

  it('refuses a grid of more than LM_SWEEP_STEPS_MAX training steps before starting, and takes one at the limit', () => {
    // 4 γ (with the baseline) × 5 n1/n × 10 seeds = 200 cells.
    const grid = { gammas: [0.1, 0.2, 0.5], fractions: [0.1, 0.2, 0.3, 0.4, 0.5], seeds: 10, steps: 0 };
    grid.steps = LM_SWEEP_STEPS_MAX / 200;
    expect(lmSweepSpecFrom(DEFAULT_SETTINGS.lm, grid).ok).toBe(true);
    grid.steps += 1;
    expect(lmSweepSpecFrom(DEFAULT_SETTINGS.lm, grid)).toEqual({
      ok: false,
      reason: expect.stringContaining(`200 cells of 1,001 steps, 200,200 steps in all`),
    });
  });

  it('sizes the pool from the cores (one left to the page), at most 4, never more than the cells', () => {
    expect([undefined, 0, 1, 2, 3, 8, 64].map((c) => poolSize(c, 12))).toEqual([
      1,
      1,
      1,
      1,
      2,
      POOL_MAX,
      POOL_MAX,
    ]);
    expect(poolSize(16, 2)).toBe(2);
    expect(poolSize(NaN, 5)).toBe(1);
  });

  it('estimates the time left at the rate so far', () => {
    expect(remainingMs(0, 0, 100)).toBeNull();
    expect(remainingMs(2000, 25, 100)).toBe(6000);
    expect(remainingMs(2000, 100, 100)).toBe(0);
  });

  it('writes every cell in the sweep’s order; a partial sweep lists the cells it did not train', () => {
    const spec = specOf({ gammas: [0.5], fractions: [0.1], seeds: 2, steps: 3 });
    const cells = [fake(0.5, 0.1, 1, 0.25), fake(0, 0.1, 1, -0.5)];
    const lines = lmSweepCsv(spec, cells, true).trim().split('\n');
    expect(lines[0]).toBe(LM_SWEEP_CSV_COLUMNS.join(','));
    expect(lines.slice(1)).toEqual([
      '0,0.1,1,done,-0.5,1,1.5,3,0',
      '0.5,0.1,1,done,0.25,1,2.25,3,0',
      '0,0.1,2,not run,,,,,',
      '0.5,0.1,2,not run,,,,,',
    ]);
    expect(lmSweepCsv(spec, cells, false).trim().split('\n')).toHaveLength(3);
  });

  it('draws a (γ, n1/n) point only when all its seeds finished; one band and mean per n1/n', () => {
    const spec = specOf({ gammas: [0.2, 0.5], fractions: [0.1, 0.2], seeds: 2, steps: 3 });
    const all = sweepCells(spec).map((j, k) => fake(j.gamma, j.fraction, j.seed, k / 10));
    const full = lmSweepChart(spec, summariseLmSweep(spec, all), 'tauCe', null);
    expect(full.points).toBe(6);
    // Per n1/n: upper edge, lower edge (filled), mean, baseline level; then one legend entry.
    expect(full.data).toHaveLength(2 * 4 + 1);
    const mean = full.data[2] as { x: number[]; y: number[] };
    expect(mean.x).toEqual([0, 0.2, 0.5]);
    // n1/n = 0.1, γ = 0: cells 0 (seed 1) and 3 (seed 2), τ 0 and 0.3.
    expect(mean.y[0]).toBeCloseTo(0.15, 14);
    expect(full.yTitle).toBe('τ_CE (nats per character)');
    // Without the last cell, (0.2, γ = 0.5) has one seed of two: not drawn.
    const part = lmSweepChart(
      spec,
      summariseLmSweep(spec, all.slice(0, -1)),
      'validationPerplexity',
      'partial',
    );
    expect(part.points).toBe(5);
    expect(part.title).toContain('<sub>line: mean over 2 seeds, band: min–max; partial</sub>');
  });
});
