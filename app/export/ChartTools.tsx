/**
 * The small toolbar under every live chart: "PNG" saves the chart as an image (Plotly.toImage, in
 * this browser), "Table" shows the same numbers as tables (one per series), with a CSV of them.
 */
import type * as PlotlyTypes from 'plotly.js';
import type { PlotlyModule } from '../plots/plotly-loader';
import { chartTables, chartTablesCsv } from './chart-table';
import { dataUrlToBlob, saveBlob, saveText } from './download';

/** What a chart draws (the same shape as LivePlot's PlotSpec). */
type Spec = { data: PlotlyTypes.Data[]; layout: Partial<PlotlyTypes.Layout> } | null;

/** Saves the chart in `div` as a PNG named after the chart. */
/** Smallest width of an exported PNG (px): sharp on a slide or a projector. */
export const PNG_MIN_WIDTH = 1600;

/**
 * Scale of the PNG export: the chart is laid out at its on-screen size (so text and lines keep
 * their proportions) and rendered `scale` times larger, at least {@link PNG_MIN_WIDTH} wide.
 */
export function pngScale(width: number): number {
  return Math.max(2, Math.ceil(PNG_MIN_WIDTH / Math.max(1, width)));
}

export async function saveChartPng(plotly: PlotlyModule, div: HTMLElement, name: string): Promise<void> {
  const rect = div.getBoundingClientRect();
  const width = Math.max(300, Math.round(rect.width));
  const url = await plotly.toImage(div as PlotlyTypes.PlotlyHTMLElement, {
    format: 'png',
    width,
    height: Math.max(200, Math.round(rect.height)),
    scale: pngScale(width),
  });
  saveBlob(`${name}.png`, dataUrlToBlob(url));
}

interface ChartToolsProps {
  /** Chart name for files and labels. */
  name: string;
  label: string;
  /** Null until Plotly has loaded and drawn. */
  onPng: (() => void) | null;
  tableOpen: boolean;
  onToggleTable(): void;
  spec: Spec;
}

/** PNG and table toggle, plus the table itself when open. */
export function ChartTools({ name, label, onPng, tableOpen, onToggleTable, spec }: ChartToolsProps) {
  const tables = tableOpen && spec ? chartTables(spec.data, spec.layout) : [];
  return (
    <>
      <div className="chart-tools">
        <button
          type="button"
          onClick={onToggleTable}
          aria-pressed={tableOpen}
          data-testid={`${name}-table-toggle`}
          aria-label={`${tableOpen ? 'Hide' : 'Show'} the numbers of “${label}” as a table`}
        >
          Table
        </button>
        <button
          type="button"
          onClick={() => onPng?.()}
          disabled={!onPng}
          data-testid={`${name}-png`}
          aria-label={`Save “${label}” as a PNG image`}
        >
          PNG
        </button>
      </div>
      {tableOpen && (
        <div className="chart-table" data-testid={`${name}-table`}>
          {tables.length === 0 ? (
            <p className="hint">No numbers yet.</p>
          ) : (
            <>
              <button
                type="button"
                onClick={() => saveText(`${name}.csv`, chartTablesCsv(tables), 'text/csv')}
                data-testid={`${name}-table-csv`}
              >
                Table as CSV
              </button>
              {tables.map((t, i) => (
                <table key={i} className="rows-table plain">
                  <caption>
                    {t.caption}
                    {t.stride > 1 ? ` (every ${t.stride}th of ${t.total} points)` : ''}
                  </caption>
                  <thead>
                    <tr>
                      {t.columns.map((c) => (
                        <th key={c} scope="col">
                          {c}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {t.rows.map((r, j) => (
                      <tr key={j}>
                        {r.map((v, k) => (
                          <td key={k}>{v}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              ))}
            </>
          )}
        </div>
      )}
    </>
  );
}
