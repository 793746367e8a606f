/**
 * Trace builders for the sweep's charts, pure functions of the finished cells and the grid, so
 * they are unit-tested without a browser. Each returns the traces, axis settings, the number of
 * data points it draws (exposed to tests in `data-points`) and how a clicked point maps back to
 * a cell configuration.
 */
import type * as PlotlyTypes from 'plotly.js';
import type { SweepCell } from '../../src/engine/sweep';
import type { SweepSettings } from '../store/settings';
import { groupCells, sweepGammas, type CellGroup } from './grid';

/** A (γc, n1/n, tag seed) configuration: what clicking a point loads into the single run. */
export interface CellRef {
  gammaC: number;
  fraction: number;
  seed: number;
}

/** The fields of a clicked Plotly point that the charts use. */
export interface ClickedPoint {
  x?: unknown;
  y?: unknown;
  customdata?: unknown;
}

/** What a sweep chart draws. */
export interface SweepChart {
  title: string;
  xTitle: string;
  yTitle: string;
  data: PlotlyTypes.Data[];
  /** Extra layout (axis types, colour bar); merged over the page's base layout. */
  layout: Partial<PlotlyTypes.Layout>;
  /** Data points drawn (means, cells or filled heatmap cells; bands and guides not counted). */
  points: number;
  /** The configuration behind a clicked point, or null (e.g. a band or a guide line). */
  pick(point: ClickedPoint): CellRef | null;
}

/** Series colours (colour-blind-safe Okabe–Ito), reused in order. */
export const SERIES_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#7f7f7f'];

function colour(k: number): string {
  return SERIES_COLOURS[k % SERIES_COLOURS.length];
}

/** The colour at 18 % opacity, for bands. */
function translucent(hex: string): string {
  const v = parseInt(hex.slice(1), 16);
  return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, 0.18)`;
}

/** customdata of an aggregated point: a click loads its first finished seed. */
function refOf(g: CellGroup): [number, number, number] {
  return [g.gammaC, g.fraction, g.firstSeed];
}

/** Reads [γc, n1/n, seed] from a point's customdata. */
function pickCustom(point: ClickedPoint): CellRef | null {
  const c = point.customdata;
  if (!Array.isArray(c) || c.length < 3 || !c.every((v) => typeof v === 'number')) return null;
  const [gammaC, fraction, seed] = c as number[];
  return { gammaC, fraction, seed };
}

type Metric = 'tau' | 'l2PerN2';

/**
 * A min/max band and the mean line of one series: three traces (upper edge, lower edge filled
 * up to it, mean with markers). Only the mean has hover and click data.
 */
function bandSeries(
  groups: CellGroup[],
  x: (g: CellGroup) => number,
  metric: Metric,
  name: string,
  k: number,
  dash?: 'dash',
): PlotlyTypes.Data[] {
  const xs = groups.map(x);
  const edge = { x: xs, mode: 'lines', line: { width: 0 }, hoverinfo: 'skip', showlegend: false } as const;
  return [
    { ...edge, type: 'scatter', y: groups.map((g) => g[metric].max), legendgroup: name },
    {
      ...edge,
      type: 'scatter',
      y: groups.map((g) => g[metric].min),
      fill: 'tonexty',
      fillcolor: translucent(colour(k)),
      legendgroup: name,
    },
    {
      type: 'scatter',
      mode: 'lines+markers',
      name,
      legendgroup: name,
      x: xs,
      y: groups.map((g) => g[metric].mean),
      customdata: groups.map(refOf),
      line: { color: colour(k), width: 2, ...(dash ? { dash } : {}) },
      marker: { size: 7 },
      hovertemplate: `${name}<br>γc = %{customdata[0]}, n1/n = %{customdata[1]}<br>mean = %{y:.4g}<extra>min–max band over seeds</extra>`,
    },
  ];
}

/** Distinct values of a cell field, in the grid's order (values not yet finished are skipped). */
function present(groups: CellGroup[], field: 'gammaC' | 'fraction', order: number[]): number[] {
  const have = new Set(groups.map((g) => g[field]));
  return order.filter((v) => have.has(v));
}

/** A legend-only trace that explains the dotted baseline levels (draws nothing). */
function baselineLegendEntry(): PlotlyTypes.Data {
  return {
    type: 'scatter',
    mode: 'lines',
    name: 'γc = 0 baseline (dotted, per n1/n)',
    x: [null],
    y: [null],
    line: { color: '#7f7f7f', width: 1, dash: 'dot' },
    hoverinfo: 'skip',
  };
}

/** A metric against γc, one band per n1/n, with the γc = 0 baseline as a dashed level. */
function versusGamma(cells: readonly SweepCell[], grid: SweepSettings, metric: Metric): SweepChart {
  const groups = groupCells(cells);
  const data: PlotlyTypes.Data[] = [];
  let points = 0;
  present(groups, 'fraction', grid.fractions).forEach((fraction, k) => {
    const series = groups.filter((g) => g.fraction === fraction);
    points += series.length;
    data.push(...bandSeries(series, (g) => g.gammaC, metric, `n1/n = ${fraction}`, k));
    const base = series.find((g) => g.gammaC === 0);
    if (base && series.length > 1) {
      const xs = series.map((g) => g.gammaC);
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `γc = 0 baseline, n1/n = ${fraction}`,
        legendgroup: `n1/n = ${fraction}`,
        x: [Math.min(...xs), Math.max(...xs)],
        y: [base[metric].mean, base[metric].mean],
        line: { color: colour(k), width: 1, dash: 'dot' },
        hoverinfo: 'skip',
        // One legend entry for all baselines (below) keeps the legend from crowding the plot.
        showlegend: false,
      });
    }
  });
  if (data.length > 0) data.push(baselineLegendEntry());
  const isTau = metric === 'tau';
  return {
    title: isTau ? 'τ vs γc (min–max band over seeds)' : 'ℓ2/n2 vs γc: what protection costs the free rows',
    xTitle: 'γc',
    yTitle: isTau ? 'τ = ℓ1/n1 − ℓ2/n2' : 'ℓ2/n2',
    data,
    layout: {},
    points,
    pick: pickCustom,
  };
}

/** τ against γc: the left half of the paper's Figure 1. */
export function tauVsGammaChart(cells: readonly SweepCell[], grid: SweepSettings): SweepChart {
  return versusGamma(cells, grid, 'tau');
}

/** ℓ2/n2 against γc: the loss the protection adds on the free rows. */
export function l2VsGammaChart(cells: readonly SweepCell[], grid: SweepSettings): SweepChart {
  return versusGamma(cells, grid, 'l2PerN2');
}

/** τ against n1/n, one band per γc; γc = 0 (the baseline) dashed: the right half of Figure 1. */
export function tauVsFractionChart(cells: readonly SweepCell[], grid: SweepSettings): SweepChart {
  const groups = groupCells(cells);
  const data: PlotlyTypes.Data[] = [];
  let points = 0;
  present(groups, 'gammaC', sweepGammas(grid)).forEach((gammaC, k) => {
    const series = groups.filter((g) => g.gammaC === gammaC);
    points += series.length;
    const name = gammaC === 0 ? 'γc = 0 baseline' : `γc = ${gammaC}`;
    data.push(...bandSeries(series, (g) => g.fraction, 'tau', name, k, gammaC === 0 ? 'dash' : undefined));
  });
  return {
    title: 'τ vs n1/n (min–max band over seeds)',
    xTitle: 'n1/n',
    yTitle: 'τ = ℓ1/n1 − ℓ2/n2',
    data,
    layout: {},
    points,
    pick: pickCustom,
  };
}

/** Mean τ over seeds on the γc × n1/n grid; cells fill in as they finish (blank until then). */
export function tauHeatmapChart(cells: readonly SweepCell[], grid: SweepSettings): SweepChart {
  const groups = groupCells(cells);
  const gammas = sweepGammas(grid);
  const byKey = new Map(groups.map((g) => [`${g.fraction}/${g.gammaC}`, g]));
  const z = grid.fractions.map((f) => gammas.map((g) => byKey.get(`${f}/${g}`)?.tau.mean ?? null));
  const points = z.reduce((sum, row) => sum + row.filter((v) => v !== null).length, 0);
  return {
    title: 'τ over γc × n1/n (mean over seeds)',
    xTitle: 'γc',
    yTitle: 'n1/n',
    data: [
      {
        type: 'heatmap',
        // Categories, so every cell has the same size whatever the spacing of the values.
        x: gammas.map(String),
        y: grid.fractions.map(String),
        z,
        colorscale: 'Viridis',
        hoverongaps: false,
        colorbar: { title: { text: 'τ', side: 'right' }, thickness: 12 },
        hovertemplate: 'γc = %{x}, n1/n = %{y}<br>mean τ = %{z:.4g}<extra>click to load</extra>',
      },
    ],
    layout: { xaxis: { type: 'category' }, yaxis: { type: 'category' } },
    points,
    pick(point) {
      const gammaC = Number(point.x);
      const fraction = Number(point.y);
      const g = byKey.get(`${fraction}/${gammaC}`);
      return g ? { gammaC, fraction, seed: g.firstSeed } : null;
    },
  };
}

/** ℓ1/n1 against ℓ2/n2 for every cell, coloured by γc; above the diagonal τ > 0. */
export function protectionUtilityChart(cells: readonly SweepCell[], grid: SweepSettings): SweepChart {
  const data: PlotlyTypes.Data[] = [];
  let points = 0;
  const finite = cells.filter((c) => Number.isFinite(c.l1PerN1) && Number.isFinite(c.l2PerN2));
  sweepGammas(grid).forEach((gammaC, k) => {
    const mine = finite.filter((c) => c.gammaC === gammaC);
    if (mine.length === 0) return;
    points += mine.length;
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: gammaC === 0 ? 'γc = 0 baseline' : `γc = ${gammaC}`,
      x: mine.map((c) => c.l2PerN2),
      y: mine.map((c) => c.l1PerN1),
      customdata: mine.map((c) => [c.gammaC, c.fraction, c.seed]),
      marker: { color: colour(k), size: 8, symbol: gammaC === 0 ? 'x' : 'circle' },
      hovertemplate:
        'γc = %{customdata[0]}, n1/n = %{customdata[1]}, seed %{customdata[2]}<br>ℓ2/n2 = %{x:.4g}, ℓ1/n1 = %{y:.4g}<extra></extra>',
    });
  });
  if (points > 0) {
    // Over the ℓ2/n2 range only: ℓ1/n1 is often far larger, and a diagonal across both ranges
    // would squash the cells into one corner.
    const xs = finite.map((c) => c.l2PerN2);
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'τ = 0 (ℓ1/n1 = ℓ2/n2)',
      x: [lo, hi],
      y: [lo, hi],
      line: { color: '#7f7f7f', width: 1, dash: 'dot' },
      hoverinfo: 'skip',
    });
  }
  return {
    title: 'Protection vs utility: ℓ1/n1 against ℓ2/n2 (every cell)',
    xTitle: 'ℓ2/n2 (free rows; lower is better)',
    yTitle: 'ℓ1/n1 (copyrighted rows)',
    data,
    layout: {},
    points,
    pick: pickCustom,
  };
}
