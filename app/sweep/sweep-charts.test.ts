import { describe, expect, it } from 'vitest';
import { paperSweep, type SweepSettings } from '../store/settings';
import { fakeCell } from './test-cells';
import {
  l2VsGammaChart,
  protectionUtilityChart,
  tauHeatmapChart,
  tauVsFractionChart,
  tauVsGammaChart,
} from './sweep-charts';

const grid: SweepSettings = paperSweep({ gammas: [0.1, 0.2, 0.3], fractions: [0.1, 0.3], seeds: 2 });
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

  it('draw bands, means and heatmap colours only where every seed finished', () => {
    // The fast seed of (γc 0.3, n1/n 0.1) finished, the slow one did not: its mean is not drawn.
    const someSeeds = all.filter((c) => !(c.gammaC === 0.3 && c.fraction === 0.1 && c.seed === 2));
    const chart = tauVsGammaChart(someSeeds, grid);
    expect(chart.points).toBe(7);
    const means = chart.data.filter((t) => (t as { mode?: string }).mode === 'lines+markers') as {
      name: string;
      x: number[];
    }[];
    expect(means.map((m) => [m.name, m.x])).toEqual([
      ['n1/n = 0.1', [0, 0.1, 0.2]],
      ['n1/n = 0.3', [0, 0.1, 0.2, 0.3]],
    ]);
    expect(tauVsFractionChart(someSeeds, grid).points).toBe(7);
    const heat = tauHeatmapChart(someSeeds, grid);
    expect(heat.points).toBe(7);
    expect((heat.data[0] as { z: (number | null)[][] }).z[0][3]).toBeNull();
  });

  it('hatch and label the missing points of a cancelled sweep and say so in every title', () => {
    const cancelled = all.filter((c) => c.fraction === 0.1 && (c.gammaC <= 0.1 || c.seed === 1));
    expect(cancelled).toHaveLength(6);
    const partial = { reason: 'cancelled', finished: 6, total: 16 } as const;
    const heat = tauHeatmapChart(cancelled, grid, partial);
    expect(heat.points).toBe(2);
    expect(heat.data).toHaveLength(2);
    const overlay = heat.data[1] as { text: string[][]; z: (number | null)[][] };
    expect(overlay.text).toEqual([
      ['', '', '1 of 2 seeds', '1 of 2 seeds'],
      ['not run', 'not run', 'not run', 'not run'],
    ]);
    expect(overlay.z[0]).toEqual([null, null, 0, 0]);
    // One hatch shape per point without every seed.
    expect(heat.layout.shapes).toHaveLength(6);
    // A click on a partial point loads the seed that finished; a point that never ran loads nothing.
    expect(heat.pick({ x: '0.2', y: '0.1' })).toEqual({ gammaC: 0.2, fraction: 0.1, seed: 1 });
    expect(heat.pick({ x: '0.2', y: '0.3' })).toBeNull();
    for (const build of [
      tauVsGammaChart,
      tauVsFractionChart,
      l2VsGammaChart,
      tauHeatmapChart,
      protectionUtilityChart,
    ])
      expect(build(cancelled, grid, partial).title).toContain('partial sweep (cancelled): 6 of 16 cells');
    // While the sweep runs (not partial) the heatmap has no overlay and the titles are plain.
    const running = tauHeatmapChart(cancelled, grid, null);
    expect(running.data).toHaveLength(1);
    expect(running.title).not.toContain('partial');
  });
});
