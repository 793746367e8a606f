/** Rows: the table or the 2-D projection, both able to tag rows. */
import { ProjectionPlot } from '../plots/ProjectionPlot';
import { useAppStore } from '../store/app-store';
import type { RowsView } from '../store/settings';
import { RowsTable } from './RowsTable';

const VIEWS: readonly { value: RowsView; label: string }[] = [
  { value: 'table', label: 'Table' },
  { value: 'projection', label: '2-D projection (PCA)' },
];

/** The rows panel with its two views. */
export function RowsPanel() {
  const view = useAppStore((s) => s.settings.rowsView);
  const update = useAppStore((s) => s.updateSettings);
  return (
    <section className="panel" aria-labelledby="rows-heading">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="rows-heading">Rows</h2>
        <div className="tabs" role="tablist" aria-label="Rows view">
          {VIEWS.map((v) => (
            <button
              key={v.value}
              type="button"
              role="tab"
              aria-selected={view === v.value}
              data-testid={`view-${v.value}`}
              onClick={() => update((s) => (s.rowsView = v.value))}
            >
              {v.label}
            </button>
          ))}
        </div>
      </div>
      <div role="tabpanel">{view === 'table' ? <RowsTable /> : <ProjectionPlot />}</div>
    </section>
  );
}
