/**
 * Plotly is loaded on first use with a dynamic import, so the first paint shows the controls
 * without waiting for it; the chunk is served from this origin like any other (no CDN).
 *
 * The bundle is plotly.js-cartesian-dist-min: the 2-D trace types the page draws (scatter, bar,
 * heatmap) and no more, about 446 kB gzipped where the full strict bundle was 1.33 MB, most of
 * the page's weight (e2e/page-weight.spec.ts measures it). It has no WebGL traces, so the
 * projection draws SVG with at most PROJECTION_POINTS_MAX rows (projection-sample.ts). It builds no
 * code with Function() or eval: the regular bundles do so for their WebGL traces, which this one
 * lacks, and its three remaining Function() calls are fallbacks a current browser never reaches
 * (webpack's global-object lookup after globalThis, a bind polyfill, a generator probe). So the
 * built site's Content-Security-Policy needs no 'unsafe-eval' (build/csp.ts), and
 * e2e/app-csp.spec.ts draws every chart under it with no violation.
 */
import type * as PlotlyTypes from 'plotly.js';

export type PlotlyModule = typeof PlotlyTypes;

let loading: Promise<PlotlyModule> | null = null;

/** The Plotly module, loaded once. */
export function loadPlotly(): Promise<PlotlyModule> {
  loading ??= import('plotly.js-cartesian-dist-min').then(
    (m) => (m as unknown as { default: PlotlyModule }).default,
  );
  return loading;
}

/** Colours and fonts for the current colour scheme, read from the page's CSS custom properties. */
export function plotTheme(): {
  fg: string;
  muted: string;
  bg: string;
  grid: string;
  copyright: string;
  free: string;
} {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--fg', '#1b1d22'),
    muted: v('--muted', '#5b616e'),
    bg: v('--panel', '#ffffff'),
    grid: v('--border', '#d5d8df'),
    copyright: v('--copyright', '#d1495b'),
    free: v('--free', '#2e86ab'),
  };
}

/** A base layout in the page's colours. */
export function baseLayout(title: string, xTitle: string, yTitle: string): Partial<PlotlyTypes.Layout> {
  const t = plotTheme();
  const axis = { gridcolor: t.grid, zerolinecolor: t.grid, linecolor: t.grid, color: t.fg };
  return {
    title: { text: title, font: { size: 13, color: t.fg }, x: 0.02 },
    paper_bgcolor: t.bg,
    plot_bgcolor: t.bg,
    font: { family: 'system-ui, sans-serif', size: 11, color: t.fg },
    margin: { l: 56, r: 12, t: 32, b: 36 },
    xaxis: { ...axis, title: { text: xTitle, standoff: 4 } },
    yaxis: { ...axis, title: { text: yTitle } },
    // Legend below the x-axis title, anchored by its top so it never overlaps the title.
    legend: { orientation: 'h', x: 0, y: -0.22, yanchor: 'top', font: { size: 10 } },
    hovermode: 'closest',
  };
}

/** Plot config: no Plotly logo link, no cloud buttons (the page makes no outside requests). */
export const PLOT_CONFIG: Partial<PlotlyTypes.Config> = {
  displaylogo: false,
  responsive: true,
  showLink: false,
  showSendToCloud: false,
  modeBarButtonsToRemove: ['sendDataToCloud'],
};
