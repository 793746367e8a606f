/**
 * The rows projected on their two leading principal axes, coloured and shaped by tag. Box or
 * lasso selection tags (or untags) the selected rows.
 *
 * The chart is SVG (Plotly's cartesian bundle has no WebGL), so above PROJECTION_POINTS_MAX rows it
 * draws a fixed sample (projection-sample.ts) and says so; a selection then tags every row whose
 * projected point lies inside the selected shape, drawn or not, found from the shape Plotly
 * reports rather than from the drawn points it selected.
 */
import { useId, useMemo, useRef, useState } from 'react';
import type * as PlotlyTypes from 'plotly.js';
import { useAppStore } from '../store/app-store';
import { tagMarker } from './charts';
import { LivePlot, type PlotSpec } from './LivePlot';
import { pca2, type Projection } from './pca';
import { baseLayout, plotTheme } from './plotly-loader';
import { PROJECTION_POINTS_MAX, projectionRows, rowsInside, selectionShape } from './projection-sample';

/** A number per mask object, so each new set of tags gets a new selection revision. */
const maskIds = new WeakMap<Uint8Array, number>();
let nextMaskId = 1;
function maskId(mask: Uint8Array): number {
  let id = maskIds.get(mask);
  if (id === undefined) {
    id = nextMaskId++;
    maskIds.set(mask, id);
  }
  return id;
}

/** The projection with selection-to-tag. */
export function ProjectionPlot() {
  const dataset = useAppStore((s) => s.dataset);
  const projection = useMemo(() => (dataset ? pca2(dataset.A, dataset.n, dataset.d) : null), [dataset]);
  const [mode, setMode] = useState<'tag' | 'untag'>('tag');
  const modeRef = useRef(mode);
  modeRef.current = mode;
  const groupId = useId();
  const projectionRef = useRef<Projection | null>(projection);
  projectionRef.current = projection;
  const sampled = dataset !== null && dataset.n > PROJECTION_POINTS_MAX;

  const build = (): PlotSpec => {
    const { mask } = useAppStore.getState();
    if (!projection || !dataset || mask.length !== dataset.n) return null;
    const t = plotTheme();
    const rows = projectionRows(mask, dataset.n);
    // Smaller markers once thousands of them share the plot area.
    const size = dataset.n > 2000 ? 5 : 7;
    const trace = (tagged: boolean): PlotlyTypes.Data => {
      const idx = tagged ? rows.copyrighted : rows.free;
      return {
        type: 'scatter',
        mode: 'markers',
        name: tagged ? 'copyrighted' : 'free',
        x: idx.map((i) => projection.x[i]),
        y: idx.map((i) => projection.y[i]),
        customdata: idx,
        marker: tagMarker(t, tagged, size),
        hovertemplate: 'row %{customdata}<extra></extra>',
      } as PlotlyTypes.Data;
    };
    const [e1, e2] = projection.explained;
    const drawn = rows.free.length + rows.copyrighted.length;
    const layout = baseLayout(
      rows.sampled
        ? `Rows on their two principal axes: ${drawn.toLocaleString('en')} of ${dataset.n.toLocaleString('en')} drawn (a fixed sample)`
        : 'Rows on their two principal axes (select with box or lasso)',
      `PC1 (${(100 * e1).toFixed(0)}% of variance)`,
      `PC2 (${(100 * e2).toFixed(0)}%)`,
    );
    layout.dragmode = 'lasso';
    layout.uirevision = 'projection'; // keep zoom and drag mode across redraws
    // ...but not the selection: once it has tagged rows, new tags clear it.
    (layout as { selectionrevision?: number }).selectionrevision = maskId(mask);
    return { data: [trace(false), trace(true)], layout };
  };

  return (
    <div>
      <fieldset className="row" style={{ border: 'none', padding: 0, margin: '0 0 0.3rem' }}>
        <legend className="visually-hidden">What a selection does</legend>
        <span className="hint">A selection</span>
        <label>
          <input type="radio" name={groupId} checked={mode === 'tag'} onChange={() => setMode('tag')} /> tags
          rows
        </label>
        <label>
          <input type="radio" name={groupId} checked={mode === 'untag'} onChange={() => setMode('untag')} />{' '}
          untags rows
        </label>
      </fieldset>
      {sampled && dataset && (
        <p className="hint" data-testid="projection-sample-note" style={{ margin: '0 0 0.3rem' }}>
          Showing {PROJECTION_POINTS_MAX.toLocaleString('en')} of {dataset.n.toLocaleString('en')} rows, a
          fixed sample; a selection {mode === 'tag' ? 'tags' : 'untags'} every row inside it, drawn or not.
        </p>
      )}
      <LivePlot
        key={dataset ? `${dataset.n}x${dataset.d}-${projection?.x[0]}` : 'none'}
        label="Rows projected on two principal axes, coloured by copyright tag; select points to tag them"
        emptyText="No data yet."
        testId="projection-plot"
        height={400}
        build={build}
        watch={(s) => s.mask}
        onReady={(_plotly, el) => {
          el.on('plotly_selected', (event) => {
            if (!event) return;
            // The drawn points Plotly selected (with Shift, those of earlier shapes too)...
            const rows = new Set((event.points ?? []).map((p) => Number(p.customdata)));
            // ...and, for a sample, every row inside the latest shape, drawn or not.
            const p = projectionRef.current;
            const shape = selectionShape(event);
            if (p && shape && p.x.length > PROJECTION_POINTS_MAX) {
              for (const row of rowsInside(shape, p.x, p.y)) rows.add(row);
            }
            if (rows.size === 0) return;
            useAppStore.getState().setRowTags(rows, modeRef.current === 'tag');
          });
        }}
      />
    </div>
  );
}
