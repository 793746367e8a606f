/**
 * The sweep's controls: the grid (one-click paper grids and the methods' frontier grid, the
 * protection methods with their strengths, editable γc and n1/n lists, seeds),
 * run / cancel, a progress bar (cells done / total), what happened, and CSV downloads. The sweep
 * uses the data, reading and solver settings of the single-run view.
 */
import { fileStamp, saveText } from '../export/download';
import { METHOD_NAMES, METHODS, type MethodName } from '../../src/math/methods';
import { CheckboxField, NumberField, useRefusedFieldGuard } from '../panels/fields';
import { useAppStore } from '../store/app-store';
import type { OtherMethod, SweepSettings } from '../store/settings';
import { RANGES, strengthRange } from '../store/settings-table';
import {
  GRID_PRESETS,
  batchTooLarge,
  cellCount,
  cellsCsv,
  groupCells,
  gridSlots,
  groupsToCsv,
  partialSweep,
  sweepGammas,
} from './grid';
import { ListField } from './ListField';
import { cancelSweep, startSweep } from './sweep-controller';
import { useSweepStore } from './sweep-store';

/** Above this many configurations a CPU sweep takes a while; say so before it starts. */
const BIG_BATCH = 200;

function sameGrid(
  a: Pick<SweepSettings, 'gammas' | 'fractions'>,
  b: Pick<SweepSettings, 'gammas' | 'fractions'>,
): boolean {
  return a.gammas.join() === b.gammas.join() && a.fractions.join() === b.fractions.join();
}

/** The sweep panel. */
export function SweepPanel() {
  const grid = useAppStore((s) => s.settings.sweep);
  const update = useAppStore((s) => s.updateSettings);
  const dataset = useAppStore((s) => s.dataset);
  const reading = useAppStore((s) => s.settings.reading);
  const solver = useAppStore((s) => s.settings.solver);
  const tol = useAppStore((s) => s.settings.tol);
  const maxIter = useAppStore((s) => s.settings.maxIter);
  const active = useAppStore((s) => s.activeBackend);
  const backendLabel = useAppStore((s) => s.backendLabel);
  const status = useSweepStore((s) => s.status);
  const message = useSweepStore((s) => s.message);
  const progress = useSweepStore((s) => s.progress);
  const cells = useSweepStore((s) => s.cells);
  const ranGrid = useSweepStore((s) => s.grid);
  // A cancelled or failed sweep's files say they are partial (see cellsCsv and groupsToCsv).
  const partial = partialSweep(status, cells, ranGrid);
  const partialName = partial ? '-partial' : '';
  const running = status === 'running' || status === 'starting';
  const total = cellCount(grid);
  const tooLarge = dataset ? batchTooLarge(grid, dataset.n, dataset.d) : null;
  const setGrid = (change: (g: SweepSettings) => void): void => update((s) => change(s.sweep));
  const frontier = grid.methods.length > 1;
  const { ref: section, refused, guarded } = useRefusedFieldGuard('sweep', grid);
  const toggleMethod = (m: MethodName, on: boolean): void =>
    setGrid((g) => {
      const next = METHOD_NAMES.filter((k) => (k === m ? on : g.methods.includes(k)));
      if (next.length > 0) g.methods = next; // at least one method
    });

  return (
    <section ref={section} className="panel" aria-labelledby="sweep-heading">
      <h2 id="sweep-heading">Sweep</h2>
      <p className="hint">
        Solves every γc (or method strength) × n1/n × tag seed, plus the plain fit (γc = 0) for each n1/n and
        seed, as one batch, on the data, reading and solver of the single run. Tags are random with seeds 1…k.
      </p>
      <div className="row" role="group" aria-label="The paper's grids">
        {GRID_PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            data-testid={`sweep-grid-${p.id}`}
            aria-pressed={sameGrid(grid, p.grid)}
            disabled={running}
            onClick={() =>
              setGrid((g) => {
                g.gammas = [...p.grid.gammas];
                g.fractions = [...p.grid.fractions];
              })
            }
          >
            {p.label}
          </button>
        ))}
        <button
          type="button"
          data-testid="sweep-grid-frontier"
          aria-pressed={grid.methods.length === METHOD_NAMES.length}
          disabled={running || reading !== 'global'}
          title={reading !== 'global' ? 'The other methods need the global reading.' : undefined}
          onClick={() =>
            setGrid((g) => {
              g.methods = [...METHOD_NAMES];
              g.gammas = [...METHODS.paper.strength.sweep];
              for (const m of METHOD_NAMES)
                if (m !== 'paper') g.strengths[m as OtherMethod] = [...METHODS[m].strength.sweep];
              g.fractions = [0.1];
            })
          }
        >
          Frontier: every method at n1/n = 0.1
        </button>
      </div>
      <fieldset className="sweep-methods" data-testid="sweep-methods">
        <legend className="label">Methods (the frontier chart compares them)</legend>
        {METHOD_NAMES.map((m) => (
          <CheckboxField
            key={m}
            label={`${METHODS[m].label}: ${METHODS[m].formula}`}
            checked={grid.methods.includes(m)}
            disabled={running || (reading !== 'global' && !METHODS[m].bothReadings)}
            onChange={(on) => toggleMethod(m, on)}
            testId={`sweep-method-${m}`}
          />
        ))}
        {reading !== 'global' && (
          <p className="hint">Only the paper&apos;s method is defined under the separate reading.</p>
        )}
      </fieldset>
      <div className="sweep-fields">
        {METHOD_NAMES.filter((m): m is OtherMethod => m !== 'paper' && grid.methods.includes(m)).map((m) => (
          <ListField
            key={m}
            label={`${METHODS[m].label}: strengths s`}
            values={grid.strengths[m]}
            range={strengthRange(m)}
            hint={`From ${strengthRange(m).min} to ${strengthRange(m).max}.`}
            testId={`sweep-strengths-${m}`}
            onCommit={(v) => setGrid((g) => (g.strengths[m] = v))}
          />
        ))}
        <ListField
          label={frontier ? 'paper: γc values' : 'γc values'}
          values={grid.gammas}
          range={strengthRange('paper')}
          hint="Comma-separated; the γc = 0 baseline is always added."
          testId="sweep-gammas"
          onCommit={(v) => setGrid((g) => (g.gammas = v))}
        />
        <ListField
          label="n1/n values"
          values={grid.fractions}
          range={RANGES.fraction}
          hint={`Copyrighted fractions from ${RANGES.fraction.min} to ${RANGES.fraction.max}, so each side keeps a row.`}
          testId="sweep-fractions"
          onCommit={(v) => setGrid((g) => (g.fractions = v))}
        />
        <NumberField
          label="Seeds"
          value={grid.seeds}
          {...RANGES.sweepSeeds}
          testId="sweep-seeds"
          hint="Tag seeds per (γc, n1/n); the bands show min–max over them."
          onCommit={(v) => setGrid((g) => (g.seeds = v))}
        />
      </div>
      <p className="hint" data-testid="sweep-size">
        {frontier
          ? `${gridSlots(grid).length} (method, strength) points with the plain fit`
          : `${sweepGammas(grid).length} γc`}{' '}
        × {grid.fractions.length} n1/n × {grid.seeds} seeds = {total} cells
        {dataset ? `, n = ${dataset.n}, d = ${dataset.d}` : ''}; {reading} reading, {solver} (tol {tol}, ≤{' '}
        {maxIter} iterations) on {active === 'gpu' ? backendLabel : 'the CPU (Web Worker)'}.
        {total > BIG_BATCH && active !== 'gpu' ? ' A batch this large takes a while on the CPU.' : ''}
      </p>
      {tooLarge && (
        <p className="notice" role="status" data-testid="sweep-too-large">
          {tooLarge}
        </p>
      )}
      <div className="run-bar">
        {running ? (
          <button type="button" onClick={cancelSweep} data-testid="sweep-cancel">
            ■ Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => guarded(() => void startSweep())}
            disabled={!dataset || tooLarge !== null}
            data-testid="sweep-run"
          >
            ▶ Run sweep
          </button>
        )}
        <div className="sweep-progress">
          <progress
            value={progress.done}
            max={Math.max(1, progress.total)}
            aria-label="Sweep progress (cells done)"
            data-testid="sweep-progress"
            data-done={progress.done}
            data-total={progress.total}
          />
          <span className="hint" aria-live="off">
            {progress.done} / {progress.total} cells
            {running && progress.iteration > 0 ? ` · iteration ${progress.iteration}` : ''}
          </span>
        </div>
        <button
          type="button"
          disabled={cells.length === 0 || !ranGrid}
          data-testid="sweep-csv"
          onClick={() => {
            if (ranGrid)
              saveText(
                `sweep-cells${partialName}-${fileStamp()}.csv`,
                cellsCsv(cells, ranGrid, partial),
                'text/csv',
              );
          }}
        >
          ⤓ Cells CSV
        </button>
        <button
          type="button"
          disabled={cells.length === 0 || !ranGrid}
          data-testid="sweep-summary-csv"
          onClick={() => {
            if (ranGrid)
              saveText(
                `sweep-summary${partialName}-${fileStamp()}.csv`,
                groupsToCsv(groupCells(cells, ranGrid)),
                'text/csv',
              );
          }}
        >
          ⤓ Summary CSV
        </button>
      </div>
      {refused && (
        <p className="error" role="alert" data-testid="sweep-refused">
          {refused}
        </p>
      )}
      <p
        className={status === 'error' ? 'error' : 'status-message'}
        role={status === 'error' ? 'alert' : 'status'}
        data-testid="sweep-status"
        data-status={status}
      >
        {message || (running ? 'Running…' : '')}
      </p>
    </section>
  );
}
