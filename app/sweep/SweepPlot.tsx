/**
 * One sweep chart: Plotly (loaded lazily) redrawn through the shared frame scheduler, so it
 * redraws at most once per animation frame however fast cells finish. The number of data points
 * drawn is in `data-points` for tests; clicking a point loads its configuration. A partial sweep
 * (cancelled or failed) is drawn as such (see sweep-charts.ts) and its PNG is named `…-partial`.
 */
import { useEffect, useRef, useState } from 'react';
import type * as PlotlyTypes from 'plotly.js';
import { saveChartPng } from '../export/ChartTools';
import { cancelDraw, requestDraw } from '../plots/frame-scheduler';
import { PLOT_CONFIG, baseLayout, loadPlotly, type PlotlyModule } from '../plots/plotly-loader';
import { partialSweep } from './grid';
import { loadCell } from './load-cell';
import type { ClickedPoint, SweepChart, SweepChartBuilder } from './sweep-charts';
import { useSweepStore } from './sweep-store';

interface SweepPlotProps {
  /** Accessible description of the chart. */
  label: string;
  build: SweepChartBuilder;
  testId: string;
}

/** Merges the chart's axis settings over the base layout's (which carry titles and colours). */
function layoutFor(chart: SweepChart): Partial<PlotlyTypes.Layout> {
  const base = baseLayout(chart.title, chart.xTitle, chart.yTitle);
  return {
    ...base,
    ...chart.layout,
    margin: { ...base.margin, ...chart.layout.margin },
    xaxis: { ...base.xaxis, ...chart.layout.xaxis },
    yaxis: { ...base.yaxis, ...chart.layout.yaxis },
  };
}

/** A chart of the sweep's finished cells. */
export function SweepPlot({ label, build, testId }: SweepPlotProps) {
  const divRef = useRef<HTMLDivElement>(null);
  const [plotly, setPlotly] = useState<PlotlyModule | null>(null);
  const [points, setPoints] = useState(0);
  const [partial, setPartial] = useState(false);
  const buildRef = useRef(build);
  useEffect(() => {
    buildRef.current = build;
  });

  useEffect(() => {
    let cancelled = false;
    loadPlotly().then(
      (p) => {
        if (!cancelled) setPlotly(p);
      },
      () => undefined, // the placeholder stays; the table still shows the numbers
    );
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    const div = divRef.current;
    if (!plotly || !div) return;
    const key = {};
    // The latest chart, so a click maps to the configuration on screen.
    let current: SweepChart | null = null;
    let listening = false;
    const onClick = (event: PlotlyTypes.PlotMouseEvent): void => {
      const point = event.points[0] as ClickedPoint | undefined;
      const ref = point && current ? current.pick(point) : null;
      if (ref) loadCell(ref);
    };
    const draw = (): void => {
      const { cells, grid, status } = useSweepStore.getState();
      if (!grid) {
        setPoints(0);
        setPartial(false);
        plotly.purge(div);
        listening = false;
        return;
      }
      const stoppedEarly = partialSweep(status, cells, grid);
      current = buildRef.current(cells, grid, stoppedEarly);
      setPoints(current.points);
      setPartial(stoppedEarly !== null);
      void plotly.react(div, current.data, layoutFor(current), PLOT_CONFIG).then((el) => {
        if (!listening) {
          listening = true;
          el.on('plotly_click', onClick);
        }
      });
    };
    const schedule = (): void => requestDraw(key, draw);
    schedule();
    const off = useSweepStore.subscribe((s, prev) => {
      if (s.cells !== prev.cells || s.grid !== prev.grid || s.status !== prev.status) schedule();
    });
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', schedule);
    return () => {
      off();
      media.removeEventListener('change', schedule);
      cancelDraw(key);
      plotly.purge(div);
    };
  }, [plotly]);

  const empty = points === 0;
  return (
    <div
      style={{ position: 'relative', minWidth: 0 }}
      data-testid={testId}
      data-points={points}
      data-partial={partial ? 'true' : 'false'}
    >
      <div ref={divRef} className="plot" style={{ visibility: empty ? 'hidden' : 'visible' }} />
      {empty && (
        <div className="plot-placeholder" style={{ position: 'absolute', top: 0, left: 0, right: 0 }}>
          {plotly ? 'Run a sweep to fill this chart.' : 'Loading the chart library…'}
        </div>
      )}
      <div className="chart-tools">
        <button
          type="button"
          disabled={!plotly || empty}
          data-testid={`${testId}-png`}
          aria-label={`Save “${label}” as a PNG image`}
          onClick={() => {
            if (plotly && divRef.current)
              void saveChartPng(plotly, divRef.current, partial ? `${testId}-partial` : testId);
          }}
        >
          PNG
        </button>
      </div>
    </div>
  );
}
