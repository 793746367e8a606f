/**
 * One chart of the language-model view: a metric of the run and of its γ = 0 twin against the
 * training step, redrawn (Plotly, loaded lazily) when a measurement arrives. The number of points
 * drawn is in `data-points` for tests.
 */
import { useEffect, useRef, useState } from 'react';
import type { LmMetrics } from '../../src/lm/training';
import { PLOT_CONFIG, baseLayout, loadPlotly, type PlotlyModule } from '../plots/plotly-loader';
import { useLmStore } from './lm-store';

interface LmChartProps {
  title: string;
  yTitle: string;
  metric: (m: LmMetrics) => number;
  testId: string;
  log?: boolean;
  /** A horizontal reference level, drawn dashed with its label. */
  reference?: { y: number; label: string };
}

const RUN_COLOUR = '#d55e00';
const TWIN_COLOUR = '#0072b2';

export function LmChart({ title, yTitle, metric, testId, log, reference }: LmChartProps) {
  const div = useRef<HTMLDivElement>(null);
  const history = useLmStore((s) => s.history);
  const gamma = useLmStore((s) => s.gamma);
  const [plotly, setPlotly] = useState<PlotlyModule | null>(null);
  useEffect(() => {
    let gone = false;
    loadPlotly().then(
      (p) => !gone && setPlotly(p),
      () => undefined, // the readout table still has the numbers
    );
    return () => {
      gone = true;
    };
  }, []);
  useEffect(() => {
    if (!plotly || !div.current) return;
    const steps = history.map((h) => h.step);
    const layout = baseLayout(title, 'step', yTitle);
    if (log) layout.yaxis = { ...layout.yaxis, type: 'log' };
    if (reference) {
      layout.shapes = [
        {
          type: 'line',
          xref: 'paper',
          x0: 0,
          x1: 1,
          y0: reference.y,
          y1: reference.y,
          line: { color: '#888', dash: 'dash', width: 1 },
        },
      ];
      layout.annotations = [
        {
          xref: 'paper',
          x: 0,
          xanchor: 'left',
          y: reference.y,
          yanchor: 'bottom',
          text: reference.label,
          showarrow: false,
          font: { size: 10, color: '#666' },
        },
      ];
    }
    void plotly.react(
      div.current,
      [
        {
          type: 'scatter',
          mode: 'lines+markers',
          name: `γ = ${gamma}`,
          x: steps,
          y: history.map((h) => metric(h.run)),
          line: { color: RUN_COLOUR },
        },
        {
          type: 'scatter',
          mode: 'lines+markers',
          name: 'γ = 0 twin',
          x: steps,
          y: history.map((h) => metric(h.twin)),
          line: { color: TWIN_COLOUR, dash: 'dot' },
        },
      ],
      layout,
      PLOT_CONFIG,
    );
  }, [plotly, history, gamma, title, yTitle, metric, log, reference]);
  return (
    <figure className="panel" aria-label={title}>
      <div style={{ position: 'relative', minWidth: 0 }}>
        <div
          ref={div}
          className="plot"
          data-testid={testId}
          data-points={history.length}
          role="img"
          aria-label={title}
          style={{ visibility: history.length === 0 ? 'hidden' : 'visible' }}
        />
        {history.length === 0 && (
          <div className="plot-placeholder" style={{ position: 'absolute', top: 0, left: 0, right: 0 }}>
            {title}: press ▶ Play; the chart fills as the training is measured.
          </div>
        )}
      </div>
    </figure>
  );
}
