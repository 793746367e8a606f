import { describe, expect, it } from 'vitest';
import type * as PlotlyTypes from 'plotly.js';
import { MAX_TABLE_ROWS, chartTables, chartTablesCsv } from './chart-table';

const layout: Partial<PlotlyTypes.Layout> = {
  xaxis: { title: { text: 'iteration' } },
  yaxis: { title: { text: 'τ' } },
};

describe('chartTables', () => {
  it('gives one table per trace with the axis and trace names', () => {
    const data = [
      { type: 'scatter', name: 'τ (run)', x: [0, 1, 2], y: [0.1, 0.2, 0.30000000004] },
      { type: 'histogram', name: 'free rows', x: [1, 2] },
    ] as PlotlyTypes.Data[];
    const [run, hist] = chartTables(data, layout);
    expect(run.columns).toEqual(['iteration', 'τ (run)']);
    expect(run.rows).toEqual([
      ['0', '0.1'],
      ['1', '0.2'],
      ['2', '0.3'],
    ]);
    expect(hist.columns).toEqual(['free rows']);
    expect(hist.rows).toHaveLength(2);
    expect(chartTablesCsv([run]).split('\n')[0]).toBe('series,iteration,τ (run)');
  });

  it('thins long traces evenly and keeps the last point', () => {
    const n = 1001;
    const xs = Array.from({ length: n }, (_, i) => i);
    const [t] = chartTables([{ type: 'scatter', name: 's', x: xs, y: xs }] as PlotlyTypes.Data[], layout);
    expect(t.total).toBe(n);
    expect(t.rows.length).toBeLessThanOrEqual(MAX_TABLE_ROWS + 1);
    expect(t.rows[t.rows.length - 1][0]).toBe('1000');
  });
});
