/**
 * The numbers of a chart as tables, for people who cannot read the chart (screen readers,
 * keyboard users) and for copying: one table per trace, built from the same Plotly traces the
 * chart draws, so the two can never disagree. Pure.
 */
import type * as PlotlyTypes from 'plotly.js';

/** One trace's numbers. */
export interface TraceTable {
  caption: string;
  columns: string[];
  rows: string[][];
  /** Points in the trace (rows may be fewer: see `stride`). */
  total: number;
  /** Every stride-th point is shown when the trace is long. */
  stride: number;
}

/** Most rows shown per trace; longer traces are thinned evenly (the last point is kept). */
export const MAX_TABLE_ROWS = 400;

type Cell = PlotlyTypes.Datum | PlotlyTypes.Datum[] | undefined;

function text(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(8))) : String(v);
  return String(v);
}

function axisTitle(axis: Partial<PlotlyTypes.LayoutAxis> | undefined, fallback: string): string {
  const t = axis?.title;
  const s = typeof t === 'string' ? t : t?.text;
  return s ? s.replace(/<[^>]+>/g, '') : fallback;
}

function values(v: unknown): Cell[] | null {
  if (Array.isArray(v)) return v as Cell[];
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return null;
}

/** Tables for every trace of a chart with data arrays (x, y; or x alone for histograms). */
export function chartTables(
  data: readonly PlotlyTypes.Data[],
  layout: Partial<PlotlyTypes.Layout>,
): TraceTable[] {
  const xName = axisTitle(layout.xaxis, 'x');
  const out: TraceTable[] = [];
  data.forEach((trace, k) => {
    const t = trace as Partial<PlotlyTypes.PlotData>;
    const xs = values(t.x);
    const ys = values(t.y);
    if (!xs && !ys) return;
    const yaxis = t.yaxis === 'y2' ? layout.yaxis2 : layout.yaxis;
    const yName = axisTitle(yaxis, 'y');
    const columns = xs && ys ? [xName, t.name ?? yName] : [t.name ?? (xs ? xName : yName)];
    const total = Math.max(xs?.length ?? 0, ys?.length ?? 0);
    const stride = Math.max(1, Math.ceil(total / MAX_TABLE_ROWS));
    const rows: string[][] = [];
    for (let i = 0; i < total; i += stride)
      rows.push(xs && ys ? [text(xs[i]), text(ys[i])] : [text((xs ?? ys)![i])]);
    if (total > 0 && (total - 1) % stride !== 0)
      rows.push(xs && ys ? [text(xs[total - 1]), text(ys[total - 1])] : [text((xs ?? ys)![total - 1])]);
    out.push({ caption: t.name ?? `Series ${k + 1}`, columns, rows, total, stride });
  });
  return out;
}

/** The same tables as one CSV (a `series` column first). */
export function chartTablesCsv(tables: readonly TraceTable[]): string {
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines: string[] = [];
  for (const t of tables) {
    lines.push(['series', ...t.columns].map(quote).join(','));
    for (const r of t.rows) lines.push([t.caption, ...r].map(quote).join(','));
  }
  return lines.join('\n') + '\n';
}
