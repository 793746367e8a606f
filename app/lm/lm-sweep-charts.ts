/**
 * The language-model sweep's two charts in the layout of the paper's Figure 1: τ_CE against γ and
 * validation perplexity against γ, one line per n1/n (the mean over seeds, the γ = 0 baseline its
 * first point) in a min–max band over the seeds. Pure, so unit-tested without a browser. As in the
 * regression sweep (app/sweep/sweep-charts.ts), a (γ, n1/n) point is drawn only once all its seeds
 * finished: the cells that finish first are not a fair sample of the seeds.
 */
import type * as PlotlyTypes from 'plotly.js';
import type { LmSweepRow, LmSweepSpec } from '../../src/lm/sweep';
import { SERIES_COLOURS } from '../sweep/sweep-charts';

export type LmSweepMetric = 'tauCe' | 'validationPerplexity';

/** What one chart draws. */
export interface LmSweepChart {
  title: string;
  xTitle: string;
  yTitle: string;
  data: PlotlyTypes.Data[];
  /** Mean points drawn (bands and guides not counted), for tests. */
  points: number;
}

const TEXT: Record<LmSweepMetric, { title: string; y: string; hover: string }> = {
  tauCe: {
    title: 'τ_CE = CE copyrighted − CE free, against γ',
    y: 'τ_CE (nats per character)',
    hover: 'τ_CE',
  },
  validationPerplexity: {
    title: 'Validation perplexity (held-out free text) against γ',
    y: 'perplexity (per character)',
    hover: 'perplexity',
  },
};

/** The colour of series k at `alpha` opacity (bands). */
function translucent(k: number, alpha: number): string {
  const v = parseInt(SERIES_COLOURS[k % SERIES_COLOURS.length].slice(1), 16);
  return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
}

/**
 * One chart from the summary rows of `spec` (rows with fewer than `spec.seeds` seeds are left
 * out); `partial` is a second title line when the sweep stopped early.
 */
export function lmSweepChart(
  spec: LmSweepSpec,
  rows: readonly LmSweepRow[],
  metric: LmSweepMetric,
  partial: string | null,
): LmSweepChart {
  const text = TEXT[metric];
  const data: PlotlyTypes.Data[] = [];
  let points = 0;
  const fractions = [...new Set(spec.fractions)];
  fractions.forEach((fraction, k) => {
    const series = rows.filter((r) => r.fraction === fraction && r.seeds === spec.seeds);
    if (series.length === 0) return;
    points += series.length;
    const name = `n1/n = ${fraction}`;
    const xs = series.map((r) => r.gamma);
    const colour = SERIES_COLOURS[k % SERIES_COLOURS.length];
    const edge = {
      type: 'scatter',
      x: xs,
      mode: 'lines',
      line: { width: 0.5, color: translucent(k, 0.5) },
      hoverinfo: 'skip',
      showlegend: false,
      legendgroup: name,
    } as const;
    data.push(
      { ...edge, y: series.map((r) => r[metric].max) },
      {
        ...edge,
        y: series.map((r) => r[metric].min),
        fill: 'tonexty',
        fillcolor: translucent(k, 0.2),
      },
      {
        type: 'scatter',
        mode: 'lines+markers',
        name,
        legendgroup: name,
        x: xs,
        y: series.map((r) => r[metric].mean),
        customdata: series.map((r) => [r[metric].min, r[metric].max, r.seeds]),
        line: { color: colour, width: 2 },
        marker: { size: 7 },
        hovertemplate: `${name}, γ = %{x}<br>${text.hover}: mean %{y:.4g}, min %{customdata[0]:.4g}, max %{customdata[1]:.4g}<br>over %{customdata[2]} seeds<extra></extra>`,
      },
    );
    const base = series.find((r) => r.gamma === 0);
    if (base && series.length > 1)
      data.push({
        type: 'scatter',
        mode: 'lines',
        x: [Math.min(...xs), Math.max(...xs)],
        y: [base[metric].mean, base[metric].mean],
        line: { color: colour, width: 1, dash: 'dot' },
        hoverinfo: 'skip',
        showlegend: false,
        legendgroup: name,
      });
  });
  if (points > 0)
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'γ = 0 level',
      x: [null],
      y: [null],
      line: { color: '#7f7f7f', width: 1, dash: 'dot' },
      hoverinfo: 'skip',
    });
  return {
    // The second line says what the line and the band are (and when the sweep stopped early).
    title: `${text.title}<br><sub>${[`line: mean over ${spec.seeds} seed${spec.seeds === 1 ? '' : 's'}, band: min–max`, partial].filter(Boolean).join('; ')}</sub>`,
    xTitle: 'γ (copyright weight; 0 = baseline)',
    yTitle: text.y,
    data,
    points,
  };
}
