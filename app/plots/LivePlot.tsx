/**
 * One live chart: loads Plotly lazily, then redraws with Plotly.react at most once per animation
 * frame (through the shared frame scheduler) after the progress channel or the relevant store
 * state changes. `build` returns the traces
 * and layout from the current state; it runs only when a frame is drawn.
 */
import { useEffect, useRef, useState } from 'react';
import type * as PlotlyTypes from 'plotly.js';
import { progress, type ProgressChannel } from '../run/progress';
import { useAppStore, type AppState } from '../store/app-store';
import { ChartTools, saveChartPng } from '../export/ChartTools';
import { cancelDraw, requestDraw } from './frame-scheduler';
import { PLOT_CONFIG, loadPlotly, type PlotlyModule } from './plotly-loader';

/** What a chart draws. `null` shows the empty-state text instead. */
export type PlotSpec = { data: PlotlyTypes.Data[]; layout: Partial<PlotlyTypes.Layout> } | null;

interface LivePlotProps {
  /** Accessible description of the chart. */
  label: string;
  /** Shown while there is nothing to draw. */
  emptyText: string;
  build(channel: ProgressChannel, state: AppState): PlotSpec;
  /** Store fields whose change should trigger a redraw (besides progress). */
  watch?(state: AppState): unknown;
  testId?: string;
  /** Called once the chart exists (e.g. to attach selection handlers). */
  onReady?(plotly: PlotlyModule, div: PlotlyTypes.PlotlyHTMLElement): void;
  /** Chart height in pixels (default 260, from the stylesheet). */
  height?: number;
  /**
   * Least time between two redraws (ms). Charts whose cost grows with n (per-row scatter and
   * histogram) use it so a fast run cannot keep the main thread busy; the last state is always drawn.
   */
  minIntervalMs?: number;
}

/** A chart fed by the progress channel. */
export function LivePlot({
  label,
  emptyText,
  build,
  watch,
  testId,
  onReady,
  height,
  minIntervalMs = 0,
}: LivePlotProps) {
  const divRef = useRef<HTMLDivElement>(null);
  const [empty, setEmpty] = useState(true);
  const [plotly, setPlotly] = useState<PlotlyModule | null>(null);
  // The table view shows the numbers of the last drawn spec; it is refreshed only while open.
  const [tableOpen, setTableOpen] = useState(false);
  const [tableSpec, setTableSpec] = useState<PlotSpec>(null);
  const tableOpenRef = useRef(false);
  const lastSpec = useRef<PlotSpec>(null);
  const buildRef = useRef(build);
  const watchRef = useRef(watch);
  const readyRef = useRef(onReady);
  useEffect(() => {
    buildRef.current = build;
    watchRef.current = watch;
    readyRef.current = onReady;
  });

  useEffect(() => {
    let cancelled = false;
    loadPlotly().then(
      (p) => {
        if (!cancelled) setPlotly(p);
      },
      () => undefined, // the placeholder stays; the numbers in the readout still work
    );
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    const div = divRef.current;
    if (!plotly || !div) return;
    const key = {};
    let trailing: ReturnType<typeof setTimeout> | undefined;
    let lastDraw = -Infinity;
    let initialised = false;
    const draw = (): void => {
      const wait = lastDraw + minIntervalMs - performance.now();
      if (wait > 0) {
        trailing ??= setTimeout(() => {
          trailing = undefined;
          schedule();
        }, wait);
        return;
      }
      lastDraw = performance.now();
      const spec = buildRef.current(progress, useAppStore.getState());
      setEmpty(spec === null);
      lastSpec.current = spec;
      if (tableOpenRef.current) setTableSpec(spec);
      if (!spec) return;
      void plotly.react(div, spec.data, spec.layout, PLOT_CONFIG).then((el) => {
        if (!initialised) {
          initialised = true;
          readyRef.current?.(plotly, el);
        }
      });
    };
    const schedule = (): void => requestDraw(key, draw);
    schedule();
    const offProgress = progress.subscribe(schedule);
    const offStore = useAppStore.subscribe((state, prev) => {
      const w = watchRef.current;
      if (w && w(state) !== w(prev)) schedule();
    });
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', schedule);
    return () => {
      offProgress();
      offStore();
      media.removeEventListener('change', schedule);
      cancelDraw(key);
      clearTimeout(trailing);
      plotly.purge(div);
    };
  }, [plotly, minIntervalMs]);

  return (
    <figure
      className="panel"
      style={{ margin: 0, position: 'relative', minWidth: 0 }}
      aria-label={label}
      data-testid={testId}
      data-empty={empty ? 'true' : 'false'}
    >
      {/* The chart div stays laid out while empty so Plotly measures the real width on first draw. */}
      <div
        ref={divRef}
        className="plot"
        style={{ visibility: empty ? 'hidden' : 'visible', ...(height ? { height } : {}) }}
      />
      {empty && (
        <div
          className="plot-placeholder"
          // Over the chart area only, so the toolbar below stays usable.
          style={{ position: 'absolute', top: 0, left: 0, right: 0, ...(height ? { height } : {}) }}
        >
          {plotly ? emptyText : 'Loading the chart library…'}
        </div>
      )}
      <figcaption className="visually-hidden">{label}</figcaption>
      <ChartTools
        name={testId ?? 'chart'}
        label={label}
        onPng={
          plotly && !empty
            ? () => {
                if (divRef.current) void saveChartPng(plotly, divRef.current, testId ?? 'chart');
              }
            : null
        }
        tableOpen={tableOpen}
        onToggleTable={() => {
          tableOpenRef.current = !tableOpen;
          setTableSpec(lastSpec.current);
          setTableOpen(!tableOpen);
        }}
        spec={tableSpec}
      />
    </figure>
  );
}
