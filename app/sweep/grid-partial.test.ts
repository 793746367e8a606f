import { describe, expect, it } from 'vitest';
import { paperSweep, type SweepSettings } from '../store/settings';
import {
  cellsCsv,
  groupCells,
  groupsToCsv,
  partialSweep,
  partialText,
  partialTitle,
  seedsText,
} from './grid';
import { fakeCell } from './test-cells';

/** (3 γc + the baseline) × 2 n1/n × 2 seeds = 16 cells. */
const grid: SweepSettings = paperSweep({ gammas: [0.1, 0.2, 0.3], fractions: [0.1, 0.3], seeds: 2 });
const all = [0, 0.1, 0.2, 0.3].flatMap((g) =>
  [0.1, 0.3].flatMap((f) => [1, 2].map((s) => fakeCell(g, f, s))),
);
/** A cancelled sweep: n1/n = 0.1 complete for γc ≤ 0.1, only seed 1 of (0.1, 0.2), nothing else. */
const cancelled = [
  fakeCell(0, 0.1, 1),
  fakeCell(0, 0.1, 2),
  fakeCell(0.1, 0.1, 1),
  fakeCell(0.1, 0.1, 2),
  fakeCell(0.2, 0.1, 1),
];

describe('partial sweeps', () => {
  it('are partial only when cancelled or failed with cells missing', () => {
    expect(partialSweep('cancelled', cancelled, grid)).toEqual({
      reason: 'cancelled',
      finished: 5,
      total: 16,
    });
    expect(partialSweep('error', cancelled, grid)).toEqual({ reason: 'error', finished: 5, total: 16 });
    expect(partialSweep('running', cancelled, grid)).toBeNull();
    expect(partialSweep('done', all, grid)).toBeNull();
    // Cancelled right after the last cell finished: nothing is missing.
    expect(partialSweep('cancelled', all, grid)).toBeNull();
    expect(partialSweep('cancelled', [], null)).toBeNull();
  });

  it('say how many cells finished, over the charts and in their titles', () => {
    const p = { reason: 'cancelled', finished: 17, total: 45 } as const;
    expect(partialText(p)).toBe(
      'Cancelled: 17 of 45 cells finished; points with missing seeds are not drawn.',
    );
    expect(partialTitle(p)).toBe('partial sweep (cancelled): 17 of 45 cells');
    expect(partialText({ ...p, reason: 'error' })).toMatch(/^Stopped by an error: 17 of 45 cells finished/);
  });

  it('mark each grid point complete, partial ("1 of 2 seeds") or not run', () => {
    const groups = groupCells(cancelled, grid);
    expect(groups).toHaveLength(8);
    const at = (f: number, g: number) => groups.find((x) => x.fraction === f && x.gammaC === g);
    expect(at(0.1, 0.1)?.complete).toBe(true);
    expect(at(0.1, 0.2)?.complete).toBe(false);
    expect(seedsText(at(0.1, 0.2) ?? { seeds: -1, seedsTotal: -1 })).toBe('1 of 2 seeds');
    expect(seedsText(at(0.3, 0.3) ?? { seeds: -1, seedsTotal: -1 })).toBe('not run');
    expect(seedsText({ seeds: 3, seedsTotal: 5 })).toBe('3 of 5 seeds');
  });

  it('write a summary CSV with a status per point and no numbers where seeds are missing', () => {
    const lines = groupsToCsv(groupCells(cancelled, grid)).trim().split('\n');
    expect(lines).toHaveLength(1 + 8);
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, k) => [header[k], v])));
    const row = (f: number, g: number) =>
      rows.find((r) => r.fraction === String(f) && r.gammaC === String(g));
    expect(row(0.1, 0.1)).toMatchObject({ seeds: '2', seedsTotal: '2', status: 'complete' });
    expect(Number(row(0.1, 0.1)?.tauMean)).toBeCloseTo((all[4].tau + all[5].tau) / 2, 12);
    expect(row(0.1, 0.2)).toMatchObject({ seeds: '1', status: 'partial', tauMean: '', tauMin: '' });
    expect(row(0.3, 0.3)).toMatchObject({ seeds: '0', status: 'not-run', tauMean: '' });
  });

  it('write a cells CSV with a not-run row for every missing cell', () => {
    const partial = partialSweep('cancelled', cancelled, grid);
    const lines = cellsCsv(cancelled, grid, partial).trim().split('\n');
    expect(lines).toHaveLength(1 + 16);
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, k) => [header[k], v])));
    expect(rows.filter((r) => r.status === 'not-run')).toHaveLength(11);
    const missing = rows.find((r) => r.gammaC === '0.2' && r.fraction === '0.1' && r.seed === '2');
    expect(missing).toMatchObject({ status: 'not-run', converged: 'false', tau: '', n1: '' });
    // The finished cells keep their numbers.
    const done = rows.find((r) => r.gammaC === '0.2' && r.fraction === '0.1' && r.seed === '1');
    expect(Number(done?.tau)).toBe(cancelled[4].tau);
    // A complete sweep's file has only the finished cells.
    expect(cellsCsv(all, grid, null).trim().split('\n')).toHaveLength(17);
  });
});
