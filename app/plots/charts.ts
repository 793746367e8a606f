/**
 * Builders of the live charts: pure functions from the progress channel and the store state to
 * Plotly traces. Hover shows the iteration and the value.
 */
import type * as PlotlyTypes from 'plotly.js';
import type { IterationRecord } from '../../src/solve/solvers';
import { tauBound } from '../../src/math/metrics';
import { METHODS } from '../../src/math/methods';
import type { ProgressChannel } from '../run/progress';
import type { AppState } from '../store/app-store';
import { perRowCached } from './per-row';
import { baseLayout, plotTheme } from './plotly-loader';
import type { PlotSpec } from './LivePlot';

const RUN_COLOUR = '#e4572e';
const TWIN_COLOUR = '#7f8c9a';
const BOUND_COLOUR = '#9b59b6';

/**
 * Text sizes (px) of a chart shown on a projector (presenter mode), next to baseLayout's 13 / 11 /
 * 10: the page's own type there is 1.3rem, and chart text must stay readable from the back row.
 */
export const PRESENTER_FONTS = { title: 20, axisTitle: 18, tick: 16, legend: 16 } as const;

/**
 * A copy of a chart layout with presenter-sized text (title, axis titles, ticks, legend) and
 * margins grown to fit it; colours and everything else are kept, so the chart is the same chart.
 */
export function presenterLayout(layout: Partial<PlotlyTypes.Layout>): Partial<PlotlyTypes.Layout> {
  const f = PRESENTER_FONTS;
  const title = typeof layout.title === 'string' ? { text: layout.title } : (layout.title ?? {});
  const axis = (a: Partial<PlotlyTypes.LayoutAxis> | undefined): Partial<PlotlyTypes.LayoutAxis> => {
    const t = typeof a?.title === 'string' ? { text: a.title } : (a?.title ?? {});
    return {
      ...a,
      title: { ...t, font: { ...t.font, size: f.axisTitle } },
      tickfont: { ...a?.tickfont, size: f.tick },
      automargin: true, // larger tick labels need more room than baseLayout's fixed margins
    };
  };
  return {
    ...layout,
    font: { ...layout.font, size: f.tick },
    title: { ...title, font: { ...title.font, size: f.title } },
    xaxis: axis(layout.xaxis),
    yaxis: axis(layout.yaxis),
    legend: { ...layout.legend, font: { ...layout.legend?.font, size: f.legend } },
    margin: { ...layout.margin, l: 72, t: 48, b: 56 },
  };
}

/** Most points drawn per curve: longer histories are thinned evenly (the last point is kept). */
const MAX_LINE_POINTS = 1500;

/** Every k-th record so that at most MAX_LINE_POINTS remain, always including the last one. */
export function thin<T>(records: T[]): T[] {
  if (records.length <= MAX_LINE_POINTS) return records;
  const stride = Math.ceil(records.length / MAX_LINE_POINTS);
  const out: T[] = [];
  for (let i = 0; i < records.length; i += stride) out.push(records[i]);
  if (out[out.length - 1] !== records[records.length - 1]) out.push(records[records.length - 1]);
  return out;
}

function line(
  records: IterationRecord[],
  value: (r: IterationRecord) => number,
  name: string,
  colour: string,
  dash: 'solid' | 'dot' | 'dash' = 'solid',
  yaxis?: string,
): PlotlyTypes.Data {
  records = thin(records);
  const trace: Partial<PlotlyTypes.ScatterData> = {
    type: 'scatter',
    mode: records.length < 2 ? 'markers' : 'lines',
    name,
    x: records.map((r) => r.iter),
    y: records.map(value),
    line: { color: colour, dash, width: 2 },
    marker: { color: colour, size: 6 },
    hovertemplate: `${name}<br>iteration %{x}<br>%{y:.6g}<extra></extra>`,
  };
  if (yaxis) trace.yaxis = yaxis;
  return trace as PlotlyTypes.Data;
}

/** L and ‖∇L‖ (log axis), run and twin. */
export function lossChart(c: ProgressChannel): PlotSpec {
  const [run = [], twin = []] = c.histories;
  if (run.length === 0) return null;
  const data = [
    line(run, (r) => r.L, 'L (run)', RUN_COLOUR),
    line(run, (r) => r.gradNorm, '‖∇L‖ (run)', RUN_COLOUR, 'dot'),
  ];
  if (twin.length) {
    data.push(line(twin, (r) => r.L, 'L (γc = 0 twin)', TWIN_COLOUR));
    data.push(line(twin, (r) => r.gradNorm, '‖∇L‖ (twin)', TWIN_COLOUR, 'dot'));
  }
  const layout = baseLayout('Loss L and gradient norm ‖∇L‖', 'iteration', 'log scale');
  layout.yaxis = { ...layout.yaxis, type: 'log', exponentformat: 'power' };
  return { data, layout };
}

/** Translucent run colour for the gap between run and twin. */
const GAP_FILL = 'rgba(228, 87, 46, 0.18)';

/**
 * The y-range of the τ chart: it fits τ of the run and of the twin (the point of the chart), with
 * 8 % padding; τ_c is included when it is within half a span of them, else drawn off scale and
 * labelled with its value, so a far-away bound never squashes the curves.
 */
export function tauRange(curves: number[], bound: number[]): { range: [number, number]; boundOff: boolean } {
  const finite = curves.filter(Number.isFinite);
  if (finite.length === 0) return { range: [-1, 1], boundOff: false };
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  const span = Math.max(hi - lo, Math.abs(hi) * 0.1, 1e-9);
  const b = bound.filter(Number.isFinite);
  const boundOff = b.some((v) => v < lo - span / 2 || v > hi + span / 2);
  if (!boundOff && b.length) {
    lo = Math.min(lo, ...b);
    hi = Math.max(hi, ...b);
  }
  const pad = 0.08 * Math.max(hi - lo, span);
  return { range: [lo - pad, hi + pad], boundOff };
}

/**
 * τ for run and twin, the gap between them shaded, the twin's final value continued as a flat
 * reference to the run's last iteration, and the paper's claimed bound τ_c (ε2 := ℓ2 at each
 * iteration), labelled off scale when it is far from the curves.
 */
export function tauChart(c: ProgressChannel, state: AppState): PlotSpec {
  const [fullRun = [], twin = []] = c.histories;
  if (fullRun.length === 0) return null;
  const run = thin(fullRun);
  const { n1 } = state;
  const n2 = (state.dataset?.n ?? 0) - n1;
  const { gammaC, method } = state.settings;
  // The paper's bound τ_c is about its γc/ℓ1 term: drawn for the paper's method only.
  const paper = method === 'paper';
  const boundOf = (r: IterationRecord): number => tauBound(gammaC, n1, n2, r.l2);
  const data: PlotlyTypes.Data[] = [];
  const runTaus = run.map((r) => r.tau);
  const curves = [...runTaus];
  if (twin.length) {
    // The twin at each of the run's iterations; after the twin stopped, its final value.
    const at = (k: number): number => twin[Math.min(k, twin.length - 1)].tau;
    const aligned = run.map((r) => at(r.iter));
    curves.push(...twin.map((r) => r.tau)); // the aligned values are twin values too
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'twin, continued',
      x: run.map((r) => r.iter),
      y: aligned,
      line: { color: TWIN_COLOUR, dash: 'dot', width: 1.5 },
      hovertemplate: 'τ (twin, final value continued)<br>iteration %{x}<br>%{y:.6g}<extra></extra>',
      showlegend: false,
    });
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'τ − τ_twin (shaded)',
      x: run.map((r) => r.iter),
      y: runTaus,
      fill: 'tonexty',
      fillcolor: GAP_FILL,
      line: { width: 0, color: RUN_COLOUR },
      hoverinfo: 'skip',
    });
    data.push(line(twin, (r) => r.tau, paper ? 'τ (γc = 0 twin)' : 'τ (plain-fit twin)', TWIN_COLOUR));
  }
  const runName = paper ? `τ (run, γc = ${gammaC})` : `τ (run, ${METHODS[method].label}, s = ${gammaC})`;
  data.push(line(run, (r) => r.tau, runName, RUN_COLOUR));
  const bound = paper ? run.map(boundOf) : [];
  if (paper) data.push(line(run, boundOf, "τ_c: paper's claimed bound (Thm 16)", BOUND_COLOUR, 'dash'));
  const { range, boundOff } = tauRange(curves, bound);
  const layout = baseLayout('Protection τ = ℓ1/n1 − ℓ2/n2', 'iteration', 'τ');
  layout.yaxis = { ...layout.yaxis, range, autorange: false };
  if (boundOff) {
    const last = bound[bound.length - 1];
    const above = last > range[1];
    layout.annotations = [
      {
        xref: 'paper',
        yref: 'paper',
        x: 1,
        y: above ? 1 : 0,
        xanchor: 'right',
        yanchor: above ? 'top' : 'bottom',
        text: `τ_c = ${last.toPrecision(3)} ${above ? '↑' : '↓'} off scale`,
        showarrow: false,
        font: { color: BOUND_COLOUR, size: 11 },
      },
    ];
  }
  return { data, layout };
}

/** ℓ1/n1 and ℓ2/n2, run (solid) and twin (dotted). */
export function partsChart(c: ProgressChannel, state: AppState): PlotSpec {
  const [run = [], twin = []] = c.histories;
  if (run.length === 0) return null;
  const n1 = Math.max(1, state.n1);
  const n2 = Math.max(1, (state.dataset?.n ?? 0) - state.n1);
  const t = plotTheme();
  const data = [
    line(run, (r) => r.l1 / n1, 'ℓ1/n1 (run)', t.copyright),
    line(run, (r) => r.l2 / n2, 'ℓ2/n2 (run)', t.free),
  ];
  if (twin.length) {
    data.push(line(twin, (r) => r.l1 / n1, 'ℓ1/n1 (twin)', t.copyright, 'dot'));
    data.push(line(twin, (r) => r.l2 / n2, 'ℓ2/n2 (twin)', t.free, 'dot'));
  }
  const layout = baseLayout('Mean loss: copyrighted ℓ1/n1 vs free ℓ2/n2', 'iteration', 'mean squared error');
  layout.yaxis = { ...layout.yaxis, exponentformat: 'power' };
  return { data, layout };
}

function currentPerRow(c: ProgressChannel, state: AppState) {
  const x = c.current[0]?.x;
  const { dataset, mask, settings } = state;
  if (!x || !dataset || mask.length !== dataset.n || x.length !== dataset.d) return null;
  return perRowCached(dataset, { gammaC: settings.gammaC, mask, reading: settings.reading }, x);
}

/** Rows drawn at most in the scatter (beyond it, an even subsample: the picture stays readable). */
const MAX_SCATTER = 2000;

/** Every `stride`-th row index whose copyright tag is `tagged`. */
export function rowsWithTag(mask: Uint8Array, n: number, tagged: boolean, stride = 1): number[] {
  const idx: number[] = [];
  for (let i = 0; i < n; i += stride) if ((mask[i] === 1) === tagged) idx.push(i);
  return idx;
}

/** The marker of a per-row scatter: colour and shape by tag (copyrighted: ×, free: ●). */
export function tagMarker(t: ReturnType<typeof plotTheme>, tagged: boolean, size: number) {
  return { color: tagged ? t.copyright : t.free, symbol: tagged ? 'x' : 'circle', size, opacity: 0.8 };
}

/** f_i(x) against b_i, coloured and shaped by tag, with the line f = b. */
export function fitChart(c: ProgressChannel, state: AppState): PlotSpec {
  const rows = currentPerRow(c, state);
  const { dataset, mask } = state;
  if (!rows || !dataset) return null;
  const t = plotTheme();
  const stride = Math.max(1, Math.ceil(dataset.n / MAX_SCATTER));
  const trace = (tagged: boolean): PlotlyTypes.Data => {
    const idx = rowsWithTag(mask, dataset.n, tagged, stride);
    return {
      type: 'scatter',
      mode: 'markers',
      name: tagged ? 'copyrighted rows' : 'free rows',
      x: idx.map((i) => dataset.b[i]),
      y: idx.map((i) => rows.f[i]),
      customdata: idx,
      marker: tagMarker(t, tagged, 6),
      hovertemplate: 'row %{customdata}<br>b = %{x:.4g}<br>f(x) = %{y:.4g}<extra></extra>',
    } as PlotlyTypes.Data;
  };
  // b and f are probability vectors (entries ~1/n), so log axes spread the rows out; zeros are
  // clamped to the smallest positive value drawn.
  let lo = Infinity;
  let hi = 0;
  for (let i = 0; i < dataset.n; i++) {
    for (const v of [dataset.b[i], rows.f[i]]) {
      if (v > 0) lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(hi > 0)) return null;
  const diagonal: PlotlyTypes.Data = {
    type: 'scatter',
    mode: 'lines',
    name: 'f = b',
    x: [lo, hi],
    y: [lo, hi],
    line: { color: t.muted, dash: 'dot', width: 1 },
    hoverinfo: 'skip',
  };
  const iter = c.current[0]?.iterations ?? 0;
  const layout = baseLayout(`Per-row fit at iteration ${iter}: f(x) vs b`, 'b_i (log)', 'f_i(x) (log)');
  layout.xaxis = { ...layout.xaxis, type: 'log', exponentformat: 'power' };
  layout.yaxis = { ...layout.yaxis, type: 'log', exponentformat: 'power' };
  return { data: [diagonal, trace(false), trace(true)], layout };
}

/** Bins of the per-row loss histogram. */
const BINS = 30;

/**
 * Distribution of per-row squared errors (log10), copyrighted vs free. The bins are counted here
 * (O(n)) and drawn as bars: Plotly's own histogram sorts all n values on every redraw.
 */
export function rowLossChart(c: ProgressChannel, state: AppState): PlotSpec {
  const rows = currentPerRow(c, state);
  const { dataset, mask } = state;
  if (!rows || !dataset) return null;
  const t = plotTheme();
  const logs = new Float64Array(dataset.n);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < dataset.n; i++) {
    logs[i] = Math.log10(Math.max(rows.loss[i], 1e-30));
    lo = Math.min(lo, logs[i]);
    hi = Math.max(hi, logs[i]);
  }
  const width = hi > lo ? (hi - lo) / BINS : 1;
  const counts = [new Float64Array(BINS), new Float64Array(BINS)];
  const totals = [0, 0];
  for (let i = 0; i < dataset.n; i++) {
    const k = mask[i] === 1 ? 1 : 0;
    counts[k][Math.min(BINS - 1, Math.floor((logs[i] - lo) / width))]++;
    totals[k]++;
  }
  const centres = Array.from({ length: BINS }, (_, b) => lo + (b + 0.5) * width);
  const bars = (k: number): PlotlyTypes.Data =>
    ({
      type: 'bar',
      name: k === 1 ? 'copyrighted rows' : 'free rows',
      x: centres,
      y: Array.from(counts[k], (v) => (totals[k] > 0 ? v / totals[k] : 0)),
      width,
      opacity: 0.6,
      marker: { color: k === 1 ? t.copyright : t.free },
      hovertemplate: 'log10 error ≈ %{x:.2f}<br>share %{y:.3f}<extra></extra>',
    }) as PlotlyTypes.Data;
  const layout = baseLayout('Per-row loss distribution', 'log10 (f_i − b_i)²', 'share of rows');
  layout.barmode = 'overlay';
  return { data: [bars(0), bars(1)], layout };
}
