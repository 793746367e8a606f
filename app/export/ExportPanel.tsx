/**
 * Export and reproduce: the run manifest (JSON) and the curves (CSV) of the current run, and a
 * file picker that loads a manifest back, reruns it and says whether τ matches. Files are read
 * and written in this browser only. The code behind the buttons (reproduce.ts: the manifest, the
 * CSV of the curves, the rerun) loads on first use, and so does the PyTorch export (torch-export.ts).
 */
import { useRef } from 'react';
import { useProgressValue } from '../run/use-progress';
import { useAppStore } from '../store/app-store';
import { dismissReproduce, setPhase, useReproduceStore } from './reproduce-store';

/** The export and reproduce code, loaded on first use. */
const actions = () => import('./reproduce');

/** Says so when that code cannot be loaded (e.g. the site was updated since the page loaded). */
function notLoaded(): void {
  setPhase({
    phase: 'error',
    message: 'The export code could not be loaded. Reload the page to try again.',
    matches: null,
    dataMatches: null,
  });
}

/** The export panel. */
export function ExportPanel() {
  const inputRef = useRef<HTMLInputElement>(null);
  const outcome = useAppStore((s) => s.outcome);
  const hasData = useAppStore((s) => s.dataset !== null);
  const hasCurves = useProgressValue(
    (c) => (c.histories[0]?.length ?? 0) > 0,
    (a, b) => a === b,
  );
  const { phase, message, matches } = useReproduceStore();
  return (
    <section className="panel" aria-labelledby="export-heading" data-testid="export-panel">
      <h2 id="export-heading">Export and reproduce</h2>
      <div className="row">
        <button
          type="button"
          onClick={() => void actions().then((m) => m.exportManifest(), notLoaded)}
          disabled={!outcome}
          data-testid="export-manifest"
        >
          Run manifest (JSON)
        </button>
        <button
          type="button"
          onClick={() => void actions().then((m) => m.exportCurves(), notLoaded)}
          disabled={!hasCurves}
          data-testid="export-curves"
        >
          Curves (CSV)
        </button>
        <button
          type="button"
          onClick={() => void import('./torch-export').then((m) => m.exportTorch(), notLoaded)}
          disabled={!hasData}
          data-testid="export-torch"
          title="A zip with copyright_loss.py (the objectives and the LM copyright loss for PyTorch, exact under torch.distributed), run.json and data.csv"
        >
          Export to PyTorch
        </button>
        <button type="button" onClick={() => inputRef.current?.click()} data-testid="load-manifest">
          Load a run manifest…
        </button>
        <input
          ref={inputRef}
          type="file"
          aria-label="Run manifest file"
          // Not rendered: the button above opens it, so keyboard users reach one control, not two.
          hidden
          accept=".json,application/json"
          data-testid="manifest-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void actions().then((m) => m.loadManifestFile(file), notLoaded);
            e.target.value = '';
          }}
        />
      </div>
      <p className="hint">
        A manifest holds the settings, the app version, the backend and adapter, the data's SHA-256, the
        metrics and the full history. Loading one applies its settings, checks the data and reruns it. The
        PyTorch export is a zip: the loss module, run.json and data.csv;{' '}
        <code>python copyright_loss.py run.json</code> evaluates the finished run&apos;s objective again in
        PyTorch.
      </p>
      {phase !== 'idle' && (
        <p
          role="status"
          className={phase === 'error' || matches === false ? 'error' : matches ? 'ok' : 'notice'}
          data-testid="reproduce-status"
          data-phase={phase}
          data-match={matches === null ? '' : String(matches)}
        >
          {message}
          {(phase === 'done' || phase === 'error') && (
            <>
              {' '}
              <button
                type="button"
                className="small"
                onClick={dismissReproduce}
                data-testid="reproduce-dismiss"
                aria-label="Dismiss the manifest's outcome"
              >
                Dismiss
              </button>
            </>
          )}
        </p>
      )}
    </section>
  );
}
