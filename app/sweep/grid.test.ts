import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, paperSweep } from '../store/settings';
import { fakeCell } from './test-cells';
import {
  GRID_PRESETS,
  batchTooLarge,
  cellCount,
  groupCells,
  groupsToCsv,
  parseValueList,
  stopReasons,
  sweepGammas,
} from './grid';
import type { SweepCell } from '../../src/engine/sweep';

describe('sweep grid helpers', () => {
  it('offers the paper grids, the default being the γc grid', () => {
    expect(GRID_PRESETS.map((p) => p.grid.gammas.length * p.grid.fractions.length)).toEqual([5, 5, 25]);
    expect(DEFAULT_SETTINGS.sweep.gammas).toEqual(GRID_PRESETS[0].grid.gammas);
    expect(DEFAULT_SETTINGS.sweep.fractions).toEqual(GRID_PRESETS[0].grid.fractions);
  });

  it('reads lists with commas or spaces, sorted and distinct, and says what is wrong', () => {
    expect(parseValueList('0.3, 0.1 0.3;0.2', { min: 0, max: 1 })).toEqual({
      ok: true,
      values: [0.1, 0.2, 0.3],
    });
    expect(parseValueList('', { min: 0, max: 1 })).toEqual({ ok: false, error: 'Enter at least one value.' });
    expect(parseValueList('0.1, x', { min: 0, max: 1 })).toEqual({
      ok: false,
      error: '"x" is not a number.',
    });
    expect(parseValueList('0, 0.5', { min: 0, max: 1, exclusive: true })).toEqual({
      ok: false,
      error: '0 is outside (0, 1).',
    });
    expect(parseValueList('0', { min: 0, max: 100 })).toEqual({ ok: true, values: [0] });
    const many = Array.from({ length: 13 }, (_, i) => i).join(',');
    expect(parseValueList(many, { min: 0, max: 100 })).toEqual({ ok: false, error: 'At most 12 values.' });
  });

  it('counts cells with the γc = 0 baseline', () => {
    expect(sweepGammas({ gammas: [0.3, 0.1] })).toEqual([0, 0.1, 0.3]);
    expect(sweepGammas({ gammas: [0, 0.1] })).toEqual([0, 0.1]);
    expect(cellCount(paperSweep({ gammas: [0.1, 0.2, 0.3], fractions: [0.1, 0.3], seeds: 2 }))).toBe(16);
  });

  it('aggregates finished cells over seeds', () => {
    const cells = [fakeCell(0.2, 0.1, 2), fakeCell(0.2, 0.1, 1), fakeCell(0, 0.1, 1), fakeCell(0.2, 0.3, 1)];
    // Every point of the grid is listed, the ones no seed finished with seeds = 0.
    const groups = groupCells(cells, paperSweep({ gammas: [0.2], fractions: [0.1, 0.3], seeds: 2 }));
    expect(groups.map((g) => [g.fraction, g.gammaC, g.seeds, g.firstSeed, g.complete])).toEqual([
      [0.1, 0, 1, 1, false],
      [0.1, 0.2, 2, 1, true],
      [0.3, 0, 0, null, false],
      [0.3, 0.2, 1, 1, false],
    ]);
    const g = groups[1];
    expect(g.l1PerN1.min).toBeCloseTo(1.3, 12);
    expect(g.l1PerN1.max).toBeCloseTo(1.4, 12);
    expect(g.l1PerN1.mean).toBeCloseTo(1.35, 12);
    expect(g.tau.mean).toBeCloseTo(1.35 - 0.52, 12);
  });

  it('ignores non-finite values in bands and writes a summary CSV', () => {
    const bad = { ...fakeCell(0.1, 0.1, 2), tau: NaN };
    const [, g] = groupCells(
      [fakeCell(0.1, 0.1, 1), bad],
      paperSweep({ gammas: [0.1], fractions: [0.1], seeds: 2 }),
    );
    expect(g.tau.min).toBe(g.tau.max);
    const csv = groupsToCsv([g]).trim().split('\n');
    expect(csv).toHaveLength(2);
    // method, γc, n1/n, seeds, seeds asked for, status, then min/mean/max of four metrics.
    expect(csv[0].split(',')).toHaveLength(18);
    expect(csv[1].startsWith('paper,0.1,0.1,2,2,complete,')).toBe(true);
  });
});

describe('batch size guard', () => {
  it('accepts the paper grids on the default data and refuses huge batches, saying what to shrink', () => {
    const full = paperSweep({
      gammas: [0.1, 0.2, 0.3, 0.4, 0.5],
      fractions: [0.1, 0.2, 0.4, 0.6, 0.8],
      seeds: 5,
    });
    expect(batchTooLarge(full, 200, 10)).toBeNull();
    expect(batchTooLarge(full, 50_000, 10)).toBeNull();
    expect(batchTooLarge({ ...full, seeds: 20 }, 50_000, 10)).toMatch(/600 cells × n = 50000 rows/);
    expect(batchTooLarge({ ...full, seeds: 20 }, 1000, 256)).toMatch(/600 cells × d² = 65536/);
  });
});

describe('stopReasons', () => {
  it('counts the cells that stopped early by their real reason', () => {
    const cell = (status: SweepCell['status'], converged = false) => ({ status, converged }) as SweepCell;
    const cells = [
      cell('converged', true),
      cell('max-iter'),
      cell('max-iter'),
      cell('stalled'),
      cell('diverged'),
    ];
    expect(stopReasons(cells)).toBe(
      "2 at the iteration limit, 1 stalled: L stopped changing at the engine's precision, 1 diverged",
    );
    expect(stopReasons([cell('converged', true)])).toBe('');
  });
});
