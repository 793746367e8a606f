/**
 * The language-model view's sweep (γ × n1/n × seeds), in the layout of the paper's Figure 1: the
 * grid (in the link), run / cancel with progress, τ_CE and validation perplexity against γ (one line
 * per n1/n, mean and min–max band over seeds, the γ = 0 baseline first), a summary table and the
 * cells as CSV. Every cell trains the model the view's settings describe, on the float64 reference
 * in a pool of workers (lm-sweep-controller.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type * as PlotlyTypes from 'plotly.js';
import { summariseLmSweep, type LmSweepRow } from '../../src/lm/sweep';
import { fileStamp, saveText } from '../export/download';
import { NumberField, useRefusedFieldGuard } from '../panels/fields';
import { PLOT_CONFIG, baseLayout, loadPlotly, type PlotlyModule } from '../plots/plotly-loader';
import { useAppStore } from '../store/app-store';
import type { LmSweepSettings } from '../store/settings';
import { RANGES } from '../store/settings-table';
import { ListField } from '../sweep/ListField';
import { lmSweepChart, type LmSweepMetric } from './lm-sweep-charts';
import { cancelLmSweep, installLmSweepSync, startLmSweep } from './lm-sweep-controller';
import { formatDuration, lmSweepCellCount, lmSweepCsv, poolSize, remainingMs } from './lm-sweep-data';
import { useLmSweepStore, type LmSweepState } from './lm-sweep-store';

const fmt = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : '—');

/** The second title line of a sweep that stopped early, or null. */
function partialText(s: Pick<LmSweepState, 'status' | 'cells' | 'total'>): string | null {
  if ((s.status !== 'cancelled' && s.status !== 'error') || s.cells.length >= s.total) return null;
  const why = s.status === 'cancelled' ? 'cancelled' : 'stopped by an error';
  return `partial: ${why} after ${s.cells.length} of ${s.total} cells`;
}

/** The summary rows of the cells finished so far. */
function useRows(): LmSweepRow[] {
  const spec = useLmSweepStore((s) => s.spec);
  const cells = useLmSweepStore((s) => s.cells);
  return useMemo(() => (spec ? summariseLmSweep(spec, cells) : []), [spec, cells]);
}

function Grid({ running }: { running: boolean }) {
  const grid = useAppStore((s) => s.settings.lmSweep);
  const seed = useAppStore((s) => s.settings.lm.seed);
  const update = useAppStore((s) => s.updateSettings);
  const set = (change: (g: LmSweepSettings) => void): void => update((s) => change(s.lmSweep));
  const cells = lmSweepCellCount(grid);
  const workers = poolSize(navigator.hardwareConcurrency, cells);
  return (
    <>
      {/* A disabled fieldset disables every field in it: the grid cannot change under a running sweep. */}
      <fieldset
        className="sweep-fields"
        style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}
        disabled={running}
        data-testid="lm-sweep-grid"
      >
        <legend className="visually-hidden">Sweep grid</legend>
        <ListField
          label="γ values"
          values={grid.gammas}
          range={RANGES.lmGamma}
          hint="Comma-separated; the γ = 0 baseline is always trained too."
          testId="lm-sweep-gammas"
          onCommit={(v) => set((g) => (g.gammas = v))}
        />
        <ListField
          label="n1/n values (copyrighted passages)"
          values={grid.fractions}
          range={RANGES.lmFraction}
          hint={`Shares of the passages tagged, from ${RANGES.lmFraction.min} to ${RANGES.lmFraction.max}.`}
          testId="lm-sweep-fractions"
          onCommit={(v) => set((g) => (g.fractions = v))}
        />
        <NumberField
          label="Seeds"
          value={grid.seeds}
          {...RANGES.sweepSeeds}
          hint="Corpus, weights and batches; the bands show min–max over them."
          testId="lm-sweep-seeds"
          onCommit={(v) => set((g) => (g.seeds = v))}
        />
        <NumberField
          label="Training steps per cell"
          value={grid.steps}
          {...RANGES.lmSteps}
          testId="lm-sweep-steps"
          onCommit={(v) => set((g) => (g.steps = v))}
        />
      </fieldset>
      <p className="hint" data-testid="lm-sweep-size">
        {grid.gammas.filter((g) => g > 0).length + 1} γ (with the baseline) × {grid.fractions.length} n1/n ×{' '}
        {grid.seeds} seed{grid.seeds === 1 ? '' : 's'} (seeds {seed}
        {grid.seeds > 1 ? `–${seed + grid.seeds - 1}` : ''}) = {cells} trainings of {grid.steps} steps, each
        of the model set on the left (its γ and steps are replaced by the grid’s), on the CPU (float64) in{' '}
        {workers} worker{workers === 1 ? '' : 's'}.
      </p>
    </>
  );
}

function Progress() {
  const { status, total, cells, stepsDone, stepsTotal, elapsedMs, workers } = useLmSweepStore();
  const running = status === 'running';
  const left = running ? remainingMs(elapsedMs, stepsDone, stepsTotal) : null;
  return (
    <div className="sweep-progress">
      <progress
        value={stepsDone}
        max={Math.max(1, stepsTotal)}
        aria-label="Sweep progress (training steps done)"
        data-testid="lm-sweep-progress"
        data-done={cells.length}
        data-total={total}
        data-status={status}
      />
      <span className="hint" aria-live="off" data-testid="lm-sweep-progress-text">
        {cells.length} / {total} cells
        {status !== 'idle' ? ` · ${formatDuration(elapsedMs)} elapsed` : ''}
        {running
          ? left === null
            ? ' · estimating the time left…'
            : ` · about ${formatDuration(left)} left`
          : ''}
        {running ? ` · ${workers} worker${workers === 1 ? '' : 's'}` : ''}
      </span>
    </div>
  );
}

/** One chart of the sweep, redrawn when cells finish. */
function SweepChart({ metric, label, testId }: { metric: LmSweepMetric; label: string; testId: string }) {
  const div = useRef<HTMLDivElement>(null);
  const [plotly, setPlotly] = useState<PlotlyModule | null>(null);
  const spec = useLmSweepStore((s) => s.spec);
  const status = useLmSweepStore((s) => s.status);
  const total = useLmSweepStore((s) => s.total);
  const cells = useLmSweepStore((s) => s.cells);
  const rows = useRows();
  const partial = partialText({ status, cells, total });
  const chart = useMemo(
    () => (spec ? lmSweepChart(spec, rows, metric, partial) : null),
    [spec, rows, metric, partial],
  );
  useEffect(() => {
    let gone = false;
    loadPlotly().then(
      (p) => !gone && setPlotly(p),
      () => undefined, // the table still has the numbers
    );
    return () => {
      gone = true;
    };
  }, []);
  useEffect(() => {
    const el = div.current;
    if (!plotly || !el) return;
    if (!chart || chart.points === 0) {
      plotly.purge(el);
      return;
    }
    const base = baseLayout(chart.title, chart.xTitle, chart.yTitle);
    const layout: Partial<PlotlyTypes.Layout> = {
      ...base,
      // Room for the title's second line (what the band is, a partial sweep).
      margin: { ...base.margin, t: 52 },
      xaxis: { ...base.xaxis, zeroline: false, tickvals: rows.map((r) => r.gamma) },
    };
    void plotly.react(el, chart.data, layout, PLOT_CONFIG);
  }, [plotly, chart, rows]);
  const points = chart?.points ?? 0;
  return (
    <figure className="panel sweep-figure" aria-label={label}>
      <div style={{ position: 'relative', minWidth: 0 }} data-testid={testId} data-points={points}>
        <div
          ref={div}
          className="plot"
          role="img"
          aria-label={label}
          style={{ visibility: points === 0 ? 'hidden' : 'visible' }}
        />
        {points === 0 && (
          <div className="plot-placeholder" style={{ position: 'absolute', top: 0, left: 0, right: 0 }}>
            {!plotly
              ? 'Loading the chart library…'
              : status === 'running'
                ? 'A point appears when all its seeds have finished.'
                : 'Run the sweep to fill this chart.'}
          </div>
        )}
      </div>
    </figure>
  );
}

function SummaryTable() {
  const rows = useRows();
  const seeds = useLmSweepStore((s) => s.spec?.seeds ?? 0);
  if (rows.length === 0) return null;
  return (
    <div className="sweep-table-wrap">
      <table className="sweep-table" data-testid="lm-sweep-table">
        <caption>Min / mean / max over seeds, measured without the penalty</caption>
        <thead>
          <tr>
            <th scope="col">γ</th>
            <th scope="col">n1/n</th>
            <th scope="col">τ_CE min</th>
            <th scope="col">τ_CE mean</th>
            <th scope="col">τ_CE max</th>
            <th scope="col">perplexity min</th>
            <th scope="col">perplexity mean</th>
            <th scope="col">perplexity max</th>
            <th scope="col">seeds</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.fraction}/${r.gamma}`} data-gamma={r.gamma} data-fraction={r.fraction}>
              <th scope="row">{r.gamma === 0 ? '0 (baseline)' : r.gamma}</th>
              <td>{r.fraction}</td>
              <td>{fmt(r.tauCe.min)}</td>
              <td data-testid="lm-sweep-tau-mean">{fmt(r.tauCe.mean)}</td>
              <td>{fmt(r.tauCe.max)}</td>
              <td>{fmt(r.validationPerplexity.min)}</td>
              <td>{fmt(r.validationPerplexity.mean)}</td>
              <td>{fmt(r.validationPerplexity.max)}</td>
              <td>{r.seeds === seeds ? r.seeds : `${r.seeds} of ${seeds}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The language-model sweep panel (mounted at the bottom of the language-model view). */
export function LmSweepPanel() {
  useEffect(installLmSweepSync, []);
  const status = useLmSweepStore((s) => s.status);
  const message = useLmSweepStore((s) => s.message);
  const spec = useLmSweepStore((s) => s.spec);
  const cells = useLmSweepStore((s) => s.cells);
  const total = useLmSweepStore((s) => s.total);
  const running = status === 'running';
  const partial = partialText({ status, cells, total }) !== null;
  const grid = useAppStore((s) => s.settings.lmSweep);
  const { ref: section, refused, guarded } = useRefusedFieldGuard('sweep', grid);
  return (
    <section ref={section} className="panel" aria-labelledby="lm-sweep-heading" data-testid="lm-sweep">
      <h2 id="lm-sweep-heading">Sweep: the paper’s Figure 1</h2>
      <p className="hint">
        Trains the model for every γ × n1/n × seed, each beside a γ = 0 baseline with the same corpus, weights
        and batches, and draws τ_CE and validation perplexity against γ. Does τ_CE grow with γ while
        perplexity stays flat?
      </p>
      <Grid running={running} />
      <div className="run-bar">
        {running ? (
          <button type="button" onClick={cancelLmSweep} data-testid="lm-sweep-cancel">
            ■ Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => guarded(startLmSweep)}
            data-testid="lm-sweep-run"
          >
            ▶ Run sweep
          </button>
        )}
        <Progress />
        <button
          type="button"
          disabled={cells.length === 0 || !spec}
          data-testid="lm-sweep-csv"
          onClick={() => {
            if (spec)
              saveText(
                `lm-sweep-cells${partial ? '-partial' : ''}-${fileStamp()}.csv`,
                lmSweepCsv(spec, cells, partial),
                'text/csv',
              );
          }}
        >
          ⤓ Download CSV
        </button>
      </div>
      {refused && (
        <p className="error" role="alert" data-testid="lm-sweep-refused">
          {refused}
        </p>
      )}
      <p
        className={status === 'error' ? 'error' : 'status-message'}
        role={status === 'error' ? 'alert' : 'status'}
        data-testid="lm-sweep-status"
        data-status={status}
      >
        {message || (running ? 'Running…' : '')}
      </p>
      <div className="plots">
        <SweepChart metric="tauCe" label="τ_CE against γ, one line per n1/n" testId="lm-sweep-tau-plot" />
        <SweepChart
          metric="validationPerplexity"
          label="Validation perplexity against γ, one line per n1/n"
          testId="lm-sweep-ppl-plot"
        />
      </div>
      <SummaryTable />
    </section>
  );
}
