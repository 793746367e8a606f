/**
 * The rows projected on their two leading principal axes, coloured and shaped by tag. Box or
 * lasso selection tags (or untags) the selected rows.
 */
import { useId, useMemo, useRef, useState } from 'react';
import type * as PlotlyTypes from 'plotly.js';
import { useAppStore } from '../store/app-store';
import { rowsWithTag, tagMarker } from './charts';
import { LivePlot, type PlotSpec } from './LivePlot';
import { pca2 } from './pca';
import { baseLayout, plotTheme } from './plotly-loader';

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

  const build = (): PlotSpec => {
    const { mask } = useAppStore.getState();
    if (!projection || !dataset || mask.length !== dataset.n) return null;
    const t = plotTheme();
    const trace = (tagged: boolean): PlotlyTypes.Data => {
      const idx = rowsWithTag(mask, dataset.n, tagged);
      return {
        type: dataset.n > 2000 ? 'scattergl' : 'scatter',
        mode: 'markers',
        name: tagged ? 'copyrighted' : 'free',
        x: idx.map((i) => projection.x[i]),
        y: idx.map((i) => projection.y[i]),
        customdata: idx,
        marker: tagMarker(t, tagged, 7),
        hovertemplate: 'row %{customdata}<extra></extra>',
      } as PlotlyTypes.Data;
    };
    const [e1, e2] = projection.explained;
    const layout = baseLayout(
      'Rows on their two principal axes (select with box or lasso)',
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
            if (!event || !event.points || event.points.length === 0) return;
            const rows = event.points.map((p) => Number(p.customdata));
            useAppStore.getState().setRowTags(rows, modeRef.current === 'tag');
          });
        }}
      />
    </div>
  );
}
