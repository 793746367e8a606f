/**
 * Trace builders for the sweep's charts, pure functions of the finished cells and the grid, so
 * they are unit-tested without a browser. Each returns the traces, axis settings, the number of
 * data points it draws (exposed to tests in `data-points`) and how a clicked point maps back to
 * a cell configuration. A (γc, n1/n) point gets a band and a mean only once every seed finished:
 * the cells that finish first are not a fair sample, so a cancelled sweep's means over the seeds
 * that happened to finish would be biased. A partial sweep says so in every title (and so in the
 * saved PNGs), and its heatmap hatches the points that are missing seeds.
 */
import type * as PlotlyTypes from 'plotly.js';
import type { SweepCell } from '../../src/engine/sweep';
import { METHOD_NAMES, METHODS, type MethodName } from '../../src/math/methods';
import type { SweepSettings } from '../store/settings';
import {
  groupCells,
  paperGroups,
  partialTitle,
  seedsText,
  sweepGammas,
  type CellGroup,
  type PartialSweep,
} from './grid';
import { frontierPoints, isPlainFit, type FrontierPoint } from './frontier';

/** A (method, γc or strength, n1/n, tag seed) configuration: what clicking a point loads into the single run. */
export interface CellRef {
  /** Absent: the paper's method. */
  method?: MethodName;
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

/** Builds one sweep chart from the finished cells; `partial` is set when the sweep stopped early. */
export type SweepChartBuilder = (
  cells: readonly SweepCell[],
  grid: SweepSettings,
  partial?: PartialSweep | null,
) => SweepChart;

/** The title, with a second line saying the sweep is partial (it ends up in the PNG too). */
function titled(title: string, partial: PartialSweep | null | undefined): string {
  return partial ? `${title}<br><sub>${partialTitle(partial)}</sub>` : title;
}

/** Extra top margin for the two-line title of a partial sweep (px). */
function partialLayout(partial: PartialSweep | null | undefined): Partial<PlotlyTypes.Layout> {
  return partial ? { margin: { t: 52 } } : {};
}

/**
 * The paper's points whose every seed finished: the only ones with bands and means. The Figure 1
 * charts are the paper's γc; the other methods are drawn on the frontier (frontier-chart.ts).
 */
function completeGroups(cells: readonly SweepCell[], grid: SweepSettings): CellGroup[] {
  return paperGroups(groupCells(cells, grid)).filter((g) => g.complete);
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

/** customdata of an aggregated point: a click loads its first seed; the last entry is the seed count. */
function refOf(g: CellGroup): [number, number, number, number] {
  return [g.gammaC, g.fraction, g.firstSeed ?? 1, g.seeds];
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
      hovertemplate: `${name}<br>γc = %{customdata[0]}, n1/n = %{customdata[1]}<br>mean over %{customdata[3]} seeds = %{y:.4g}<extra>min–max band over seeds</extra>`,
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
function versusGamma(
  cells: readonly SweepCell[],
  grid: SweepSettings,
  metric: Metric,
  partial: PartialSweep | null | undefined,
): SweepChart {
  const groups = completeGroups(cells, grid);
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
    title: titled(
      isTau ? 'τ vs γc (min–max band over seeds)' : 'ℓ2/n2 vs γc: what protection costs the free rows',
      partial,
    ),
    xTitle: 'γc',
    yTitle: isTau ? 'τ = ℓ1/n1 − ℓ2/n2' : 'ℓ2/n2',
    data,
    layout: partialLayout(partial),
    points,
    pick: pickCustom,
  };
}

/** τ against γc: the left half of the paper's Figure 1. */
export const tauVsGammaChart: SweepChartBuilder = (cells, grid, partial) =>
  versusGamma(cells, grid, 'tau', partial);

/** ℓ2/n2 against γc: the loss the protection adds on the free rows. */
export const l2VsGammaChart: SweepChartBuilder = (cells, grid, partial) =>
  versusGamma(cells, grid, 'l2PerN2', partial);

/** τ against n1/n, one band per γc; γc = 0 (the baseline) dashed: the right half of Figure 1. */
export const tauVsFractionChart: SweepChartBuilder = (cells, grid, partial) => {
  const groups = completeGroups(cells, grid);
  const data: PlotlyTypes.Data[] = [];
  let points = 0;
  present(groups, 'gammaC', sweepGammas(grid)).forEach((gammaC, k) => {
    const series = groups.filter((g) => g.gammaC === gammaC);
    points += series.length;
    const name = gammaC === 0 ? 'γc = 0 baseline' : `γc = ${gammaC}`;
    data.push(...bandSeries(series, (g) => g.fraction, 'tau', name, k, gammaC === 0 ? 'dash' : undefined));
  });
  return {
    title: titled('τ vs n1/n (min–max band over seeds)', partial),
    xTitle: 'n1/n',
    yTitle: 'τ = ℓ1/n1 − ℓ2/n2',
    data,
    layout: partialLayout(partial),
    points,
    pick: pickCustom,
  };
};

/** Hatch lines per missing heatmap cell (diagonals across the cell). */
const HATCH_LINES = 4;

/**
 * A hatched overlay on the heatmap's points that are missing seeds: a translucent grey cell
 * labelled "not run" or "3 of 5 seeds" (with the same words on hover), and diagonal lines as
 * layout shapes. Category axes place category k at k (cells span k ± 0.5).
 */
function missingOverlay(
  groups: readonly CellGroup[],
  gammas: readonly number[],
  fractions: readonly number[],
): { trace: PlotlyTypes.Data; shapes: Partial<PlotlyTypes.Shape>[] } {
  const shapes: Partial<PlotlyTypes.Shape>[] = [];
  const byKey = new Map(groups.map((g) => [`${g.fraction}/${g.gammaC}`, g]));
  const text = fractions.map((f, row) =>
    gammas.map((gammaC, col) => {
      const g = byKey.get(`${f}/${gammaC}`);
      if (!g || g.complete) return '';
      const [x0, y0] = [col - 0.5, row - 0.5];
      let path = '';
      for (let k = 1; k < HATCH_LINES; k++) {
        const t = k / HATCH_LINES;
        path += `M ${x0 + t} ${y0} L ${x0} ${y0 + t} M ${x0 + 1} ${y0 + t} L ${x0 + t} ${y0 + 1} `;
      }
      path += `M ${x0 + 1} ${y0} L ${x0} ${y0 + 1}`;
      shapes.push({
        type: 'path',
        xref: 'x',
        yref: 'y',
        path,
        line: { color: 'rgba(127, 127, 127, 0.6)', width: 1 },
        layer: 'above',
      });
      return seedsText(g);
    }),
  );
  const trace: PlotlyTypes.Data = {
    type: 'heatmap',
    name: 'missing seeds',
    x: gammas.map(String),
    y: fractions.map(String),
    // 0 where a point is missing seeds, gaps elsewhere; one translucent grey for all of them.
    z: text.map((row) => row.map((t) => (t ? 0 : null))),
    // A matrix like z (Plotly reads heatmap text per cell; @types/plotly.js only knows lists).
    text: text as unknown as string[],
    texttemplate: '%{text}',
    colorscale: [
      [0, 'rgba(127, 127, 127, 0.22)'],
      [1, 'rgba(127, 127, 127, 0.22)'],
    ],
    showscale: false,
    hoverongaps: false,
    hovertemplate: 'γc = %{x}, n1/n = %{y}<br>%{text}: no mean drawn<extra></extra>',
  };
  return { trace, shapes };
}

/**
 * Mean τ over seeds on the γc × n1/n grid; a point fills in once every seed finished (blank until
 * then). When the sweep stopped early the points missing seeds are hatched and say how many ran.
 */
export const tauHeatmapChart: SweepChartBuilder = (cells, grid, partial) => {
  const groups = paperGroups(groupCells(cells, grid));
  const gammas = sweepGammas(grid);
  const byKey = new Map(groups.map((g) => [`${g.fraction}/${g.gammaC}`, g]));
  const complete = (f: number, g: number): CellGroup | undefined => {
    const group = byKey.get(`${f}/${g}`);
    return group?.complete ? group : undefined;
  };
  const z = grid.fractions.map((f) => gammas.map((g) => complete(f, g)?.tau.mean ?? null));
  const points = z.reduce((sum, row) => sum + row.filter((v) => v !== null).length, 0);
  const data: PlotlyTypes.Data[] = [
    {
      type: 'heatmap',
      // Categories, so every cell has the same size whatever the spacing of the values.
      x: gammas.map(String),
      y: grid.fractions.map(String),
      z,
      colorscale: 'Viridis',
      hoverongaps: false,
      colorbar: { title: { text: 'τ', side: 'right' }, thickness: 12 },
      hovertemplate: `γc = %{x}, n1/n = %{y}<br>mean τ over ${grid.seeds} seed${grid.seeds === 1 ? '' : 's'} = %{z:.4g}<extra>click to load</extra>`,
    },
  ];
  const layout: Partial<PlotlyTypes.Layout> = {
    ...partialLayout(partial),
    xaxis: { type: 'category' },
    yaxis: { type: 'category' },
  };
  if (partial) {
    const overlay = missingOverlay(groups, gammas, grid.fractions);
    data.push(overlay.trace);
    layout.shapes = overlay.shapes;
  }
  return {
    title: titled('τ over γc × n1/n (mean over seeds)', partial),
    xTitle: 'γc',
    yTitle: 'n1/n',
    data,
    layout,
    points,
    pick(point) {
      const gammaC = Number(point.x);
      const fraction = Number(point.y);
      const g = byKey.get(`${fraction}/${gammaC}`);
      return g && g.firstSeed !== null ? { gammaC, fraction, seed: g.firstSeed } : null;
    },
  };
};

/** ℓ1/n1 against ℓ2/n2 for every cell, coloured by γc; above the diagonal τ > 0. */
export const protectionUtilityChart: SweepChartBuilder = (cells, grid, partial) => {
  const data: PlotlyTypes.Data[] = [];
  let points = 0;
  // The paper's cells, by γc (the other methods' cells are on the frontier chart).
  const finite = cells.filter(
    (c) => c.method === 'paper' && Number.isFinite(c.l1PerN1) && Number.isFinite(c.l2PerN2),
  );
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
    title: titled('Protection vs utility: ℓ1/n1 against ℓ2/n2 (every finished cell)', partial),
    xTitle: 'ℓ2/n2 (free rows; lower is better)',
    yTitle: 'ℓ1/n1 (copyrighted rows)',
    data,
    layout: partialLayout(partial),
    points,
    pick: pickCustom,
  };
};

/** Reads [strength, n1/n, seed, method index] from a frontier point's customdata. */
function pickFrontier(point: ClickedPoint): CellRef | null {
  const c = point.customdata;
  if (!Array.isArray(c) || c.length < 4 || !c.every((v) => typeof v === 'number')) return null;
  const [gammaC, fraction, seed, index] = c as number[];
  const method = METHOD_NAMES[index];
  return method ? { method, gammaC, fraction, seed } : null;
}

/**
 * The protection–utility frontier: τ (protection) against ℓ2/n2 (what it costs the free rows,
 * log scale), one curve per method through its strengths, min–max over seeds as error bars, the
 * plain fit marked, and a ring on every point no other beats on both (frontier.ts). One curve per
 * method and n1/n when the grid has several. Clicking a point loads it as a single run.
 */
export const frontierChart: SweepChartBuilder = (cells, grid, partial) => {
  const points = frontierPoints(groupCells(cells, grid));
  const fractions = [...new Set(points.map((p) => p.fraction))].sort((a, b) => a - b);
  const several = fractions.length > 1;
  const data: PlotlyTypes.Data[] = [];
  // Vertical bars only: the seeds' ℓ2/n2 can span decades on the log axis and would hide the
  // curves; its min–max is in the hover and the table.
  const errors = (ps: FrontierPoint[]) => ({
    error_y: {
      type: 'data' as const,
      array: ps.map((p) => p.tau.max - p.tau.mean),
      arrayminus: ps.map((p) => p.tau.mean - p.tau.min),
      thickness: 1,
      width: 3,
    },
  });
  const custom = (p: FrontierPoint) => [
    p.gammaC,
    p.fraction,
    p.firstSeed,
    METHOD_NAMES.indexOf(p.method),
    p.l2PerN2.min,
    p.l2PerN2.max,
  ];
  fractions.forEach((fraction, fk) => {
    METHOD_NAMES.forEach((method, k) => {
      const mine = points
        .filter((p) => p.fraction === fraction && p.method === method && !isPlainFit(p))
        .sort((a, b) => a.gammaC - b.gammaC);
      if (mine.length === 0) return;
      const strength = method === 'paper' ? 'γc' : 's';
      const name = `${METHODS[method].label}${several ? `, n1/n = ${fraction}` : ''}`;
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name,
        x: mine.map((p) => p.l2PerN2.mean),
        y: mine.map((p) => p.tau.mean),
        customdata: mine.map(custom),
        ...errors(mine),
        line: { color: colour(k), width: 2, ...(fk > 0 ? { dash: fk === 1 ? 'dash' : 'dot' } : {}) },
        marker: { color: colour(k), size: 8 },
        hovertemplate: `${name}<br>${strength} = %{customdata[0]}<br>τ = %{y:.3g} (bar: min–max over seeds)<br>ℓ2/n2 = %{x:.3g} (%{customdata[4]:.2g} to %{customdata[5]:.2g})<extra>means over seeds</extra>`,
      });
    });
  });
  const plain = points.filter(isPlainFit);
  if (plain.length)
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'plain fit (no protection)',
      x: plain.map((p) => p.l2PerN2.mean),
      y: plain.map((p) => p.tau.mean),
      customdata: plain.map(custom),
      ...errors(plain),
      marker: { color: '#000000', size: 11, symbol: 'x' },
      hovertemplate:
        'plain fit, n1/n = %{customdata[1]}<br>ℓ2/n2 = %{x:.3g}, τ = %{y:.3g}<extra>the baseline</extra>',
    });
  const best = points.filter((p) => p.nonDominated);
  if (best.length)
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'non-dominated (no point has more τ for less ℓ2/n2)',
      x: best.map((p) => p.l2PerN2.mean),
      y: best.map((p) => p.tau.mean),
      customdata: best.map(custom),
      // An open ring (its colour is the outline) around the method's own marker.
      marker: { size: 17, color: '#d55e00', line: { width: 2 }, symbol: 'circle-open' },
      hoverinfo: 'skip',
    });
  return {
    title: titled('Protection–utility frontier: τ against ℓ2/n2, one curve per method', partial),
    xTitle: 'ℓ2/n2: error on the free rows (log; lower is better)',
    yTitle: 'τ (protection)',
    data,
    layout: { ...partialLayout(partial), xaxis: { type: 'log', exponentformat: 'power' } },
    points: points.length,
    pick: pickFrontier,
  };
};
