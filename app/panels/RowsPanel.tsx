/** Rows: the table or the 2-D projection (loaded when first shown), both able to tag rows. */
import { Deferred, ProjectionPlot } from '../lazy';
import { useAppStore } from '../store/app-store';
import type { RowsView } from '../store/settings';
import { RowsTable } from './RowsTable';

const VIEWS: readonly { value: RowsView; label: string }[] = [
  { value: 'table', label: 'Table' },
  { value: 'projection', label: '2-D projection (PCA)' },
];

/** Where the projection's chart will be (its height), while its code loads. */
const PROJECTION_LOADING = (
  <div className="plot-placeholder" style={{ height: 400 }} role="status">
    Loading…
  </div>
);

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
      <div role="tabpanel">
        {view === 'table' ? (
          <RowsTable />
        ) : (
          <Deferred fallback={PROJECTION_LOADING}>
            <ProjectionPlot />
          </Deferred>
        )}
      </div>
    </section>
  );
}
