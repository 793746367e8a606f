import { describe, expect, it } from 'vitest';
import type { SweepSettings } from '../store/settings';
import { fakeCell } from './test-cells';
import {
  l2VsGammaChart,
  protectionUtilityChart,
  tauHeatmapChart,
  tauVsFractionChart,
  tauVsGammaChart,
} from './sweep-charts';

const grid: SweepSettings = { gammas: [0.1, 0.2, 0.3], fractions: [0.1, 0.3], seeds: 2 };
const all = [0, 0.1, 0.2, 0.3].flatMap((g) =>
  [0.1, 0.3].flatMap((f) => [1, 2].map((s) => fakeCell(g, f, s))),
);

describe('sweep charts', () => {
  it('count one mean point per (γc, n1/n) and one scatter point per cell', () => {
    expect(all).toHaveLength(16);
    expect(tauVsGammaChart(all, grid).points).toBe(8);
    expect(tauVsFractionChart(all, grid).points).toBe(8);
    expect(l2VsGammaChart(all, grid).points).toBe(8);
    expect(tauHeatmapChart(all, grid).points).toBe(8);
    expect(protectionUtilityChart(all, grid).points).toBe(16);
  });

  it('draw a band, a mean and a baseline level per n1/n against γc', () => {
    const chart = tauVsGammaChart(all, grid);
    // (upper, lower, mean, baseline) × 2 fractions, and one legend entry for the baselines
    expect(chart.data).toHaveLength(9);
    expect(chart.data.filter((t) => (t as { showlegend?: boolean }).showlegend !== false)).toHaveLength(3);
    const mean = chart.data[2] as { x: number[]; y: number[]; customdata: number[][] };
    expect(mean.x).toEqual([0, 0.1, 0.2, 0.3]);
    expect(chart.pick({ customdata: mean.customdata[1] })).toEqual({ gammaC: 0.1, fraction: 0.1, seed: 1 });
    expect(chart.pick({ customdata: undefined })).toBeNull();
  });

  it('fill the heatmap as cells finish and map a clicked cell to its configuration', () => {
    const partial = all.filter((c) => c.fraction === 0.3 && c.gammaC >= 0.2);
    const chart = tauHeatmapChart(partial, grid);
    expect(chart.points).toBe(2);
    const trace = chart.data[0] as { x: string[]; y: string[]; z: (number | null)[][] };
    expect(trace.x).toEqual(['0', '0.1', '0.2', '0.3']);
    expect(trace.y).toEqual(['0.1', '0.3']);
    expect(trace.z[0]).toEqual([null, null, null, null]);
    expect(trace.z[1][2]).toBeCloseTo(partial[0].tau / 2 + partial[1].tau / 2, 12);
    expect(chart.pick({ x: '0.3', y: '0.3' })).toEqual({ gammaC: 0.3, fraction: 0.3, seed: 1 });
    expect(chart.pick({ x: '0.1', y: '0.1' })).toBeNull();
  });

  it('draw nothing before the first cell', () => {
    for (const build of [tauVsGammaChart, tauVsFractionChart, l2VsGammaChart, protectionUtilityChart])
      expect(build([], grid).points).toBe(0);
    expect(protectionUtilityChart([], grid).data).toEqual([]);
  });
});
