/**
 * The live charts of a run, defined once: the single-run grid (PlotsPanel) shows all of them,
 * presenter mode the τ and loss-parts charts (with larger text, see forPresenter). Each entry is
 * the LivePlot props that do not depend on where the chart is shown (the empty text and height do).
 */
import type { ProgressChannel } from '../run/progress';
import type { AppState } from '../store/app-store';
import { fitChart, lossChart, partsChart, presenterLayout, rowLossChart, tauChart } from './charts';
import type { PlotSpec } from './LivePlot';

/** One live chart. */
export interface LiveChart {
  /** Accessible description of the chart. */
  label: string;
  build(channel: ProgressChannel, state: AppState): PlotSpec;
  /** Store fields whose change should trigger a redraw (besides progress). */
  watch?(state: AppState): unknown;
  testId: string;
  minIntervalMs: number;
}

export const TAU_CHART: LiveChart = {
  label: "Protection τ per iteration, with the γc = 0 twin and the paper's claimed bound",
  build: tauChart,
  watch: (s) => s.n1,
  testId: 'tau-plot',
  minIntervalMs: 100,
};

export const LOSS_CHART: LiveChart = {
  label: 'Loss L and gradient norm per iteration, log scale',
  build: lossChart,
  testId: 'loss-plot',
  minIntervalMs: 100,
};

export const PARTS_CHART: LiveChart = {
  label: 'Mean loss on copyrighted and free rows per iteration',
  build: partsChart,
  watch: (s) => s.n1,
  testId: 'parts-plot',
  minIntervalMs: 100,
};

export const FIT_CHART: LiveChart = {
  label: 'Per-row fit f(x) against b, coloured by tag',
  build: fitChart,
  watch: (s) => s.mask,
  testId: 'fit-plot',
  minIntervalMs: 400,
};

export const ROW_LOSS_CHART: LiveChart = {
  label: 'Distribution of per-row squared errors, copyrighted vs free',
  build: rowLossChart,
  watch: (s) => s.mask,
  testId: 'row-loss-plot',
  minIntervalMs: 400,
};

/** All live charts, in display order. */
export const LIVE_CHARTS: readonly LiveChart[] = [
  TAU_CHART,
  LOSS_CHART,
  PARTS_CHART,
  FIT_CHART,
  ROW_LOSS_CHART,
];

/** The same chart with presenter-sized text (a projector), built by the same builder. */
export function forPresenter(chart: LiveChart): LiveChart {
  return {
    ...chart,
    build(channel, state) {
      const spec = chart.build(channel, state);
      return spec && { data: spec.data, layout: presenterLayout(spec.layout) };
    },
  };
}

/** Presenter mode's charts: τ and the loss parts, in large type. */
export const PRESENT_CHARTS: readonly LiveChart[] = [TAU_CHART, PARTS_CHART].map(forPresenter);
