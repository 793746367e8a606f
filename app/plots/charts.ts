/**
 * Builders of the live charts: pure functions from the progress channel and the store state to
 * Plotly traces. Hover shows the iteration and the value.
 */
import type * as PlotlyTypes from 'plotly.js';
import type { IterationRecord } from '../../src/math/solvers';
import { tauBound } from '../../src/math/metrics';
import type { ProgressChannel } from '../run/progress';
import type { AppState } from '../store/app-store';
import { perRowCached } from './per-row';
import { baseLayout, plotTheme } from './plotly-loader';
import type { PlotSpec } from './LivePlot';

const RUN_COLOUR = '#e4572e';
const TWIN_COLOUR = '#7f8c9a';
const BOUND_COLOUR = '#9b59b6';

function line(
  records: IterationRecord[],
  value: (r: IterationRecord) => number,
  name: string,
  colour: string,
  dash: 'solid' | 'dot' | 'dash' = 'solid',
  yaxis?: string,
): PlotlyTypes.Data {
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

/** τ for run and twin, and the paper's claimed bound τ_c with ε2 := ℓ2 at each iteration. */
export function tauChart(c: ProgressChannel, state: AppState): PlotSpec {
  const [run = [], twin = []] = c.histories;
  if (run.length === 0) return null;
  const { n1 } = state;
  const n2 = (state.dataset?.n ?? 0) - n1;
  const gammaC = state.settings.gammaC;
  const data = [line(run, (r) => r.tau, `τ (run, γc = ${gammaC})`, RUN_COLOUR)];
  if (twin.length) data.push(line(twin, (r) => r.tau, 'τ (γc = 0 twin)', TWIN_COLOUR));
  data.push(
    line(
      run,
      (r) => tauBound(gammaC, n1, n2, r.l2),
      "τ_c: paper's claimed bound (Thm 16)",
      BOUND_COLOUR,
      'dash',
    ),
  );
  return { data, layout: baseLayout('Protection τ = ℓ1/n1 − ℓ2/n2', 'iteration', 'τ') };
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
const MAX_SCATTER = 5000;

/** f_i(x) against b_i, coloured and shaped by tag, with the line f = b. */
export function fitChart(c: ProgressChannel, state: AppState): PlotSpec {
  const rows = currentPerRow(c, state);
  const { dataset, mask } = state;
  if (!rows || !dataset) return null;
  const t = plotTheme();
  const stride = Math.max(1, Math.ceil(dataset.n / MAX_SCATTER));
  const pick = (tagged: boolean) => {
    const idx: number[] = [];
    for (let i = 0; i < dataset.n; i += stride) if ((mask[i] === 1) === tagged) idx.push(i);
    return idx;
  };
  const trace = (tagged: boolean): PlotlyTypes.Data => {
    const idx = pick(tagged);
    return {
      type: dataset.n > 2000 ? 'scattergl' : 'scatter',
      mode: 'markers',
      name: tagged ? 'copyrighted rows' : 'free rows',
      x: idx.map((i) => dataset.b[i]),
      y: idx.map((i) => rows.f[i]),
      customdata: idx,
      marker: {
        color: tagged ? t.copyright : t.free,
        symbol: tagged ? 'x' : 'circle',
        size: 6,
        opacity: 0.8,
      },
      hovertemplate: 'row %{customdata}<br>b = %{x:.4g}<br>f(x) = %{y:.4g}<extra></extra>',
    } as PlotlyTypes.Data;
  };
  let max = 0;
  for (let i = 0; i < dataset.n; i++) max = Math.max(max, dataset.b[i], rows.f[i]);
  const diagonal: PlotlyTypes.Data = {
    type: 'scatter',
    mode: 'lines',
    name: 'f = b',
    x: [0, max],
    y: [0, max],
    line: { color: t.muted, dash: 'dot', width: 1 },
    hoverinfo: 'skip',
  };
  const iter = c.current[0]?.iterations ?? 0;
  return {
    data: [diagonal, trace(false), trace(true)],
    layout: baseLayout(`Per-row fit at iteration ${iter}: f(x) vs b`, 'b_i', 'f_i(x)'),
  };
}

/** Distribution of per-row squared errors (log10), copyrighted vs free. */
export function rowLossChart(c: ProgressChannel, state: AppState): PlotSpec {
  const rows = currentPerRow(c, state);
  const { dataset, mask } = state;
  if (!rows || !dataset) return null;
  const t = plotTheme();
  const values = (tagged: boolean): number[] => {
    const out: number[] = [];
    for (let i = 0; i < dataset.n; i++)
      if ((mask[i] === 1) === tagged) out.push(Math.log10(Math.max(rows.loss[i], 1e-30)));
    return out;
  };
  const hist = (tagged: boolean): PlotlyTypes.Data =>
    ({
      type: 'histogram',
      name: tagged ? 'copyrighted rows' : 'free rows',
      x: values(tagged),
      histnorm: 'probability',
      opacity: 0.6,
      marker: { color: tagged ? t.copyright : t.free },
      hovertemplate: 'log10 error ≈ %{x}<br>share %{y:.3f}<extra></extra>',
    }) as PlotlyTypes.Data;
  const layout = baseLayout('Per-row loss distribution', 'log10 (f_i − b_i)²', 'share of rows');
  layout.barmode = 'overlay';
  return { data: [hist(false), hist(true)], layout };
}
