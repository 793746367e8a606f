/**
 * Run controls (play/pause, step, reset; keyboard Space, →, R), the live readout (iteration,
 * iterations/s, ms/iteration, backend) and the run's final numbers. The final τ is exposed at full
 * precision in `data-tau` so tests compare numbers, not rounding.
 */
import { Term } from '../learn/Term';
import { pause, play, resetRun, step } from '../run/run-controller';
import { useProgressValue } from '../run/use-progress';
import { useAppStore } from '../store/app-store';
import { dataMismatch } from '../store/data-readiness';
import { SpeedControl } from './SpeedControl';

interface LiveReadout {
  iteration: number;
  tau: number;
  twinTau: number;
  gradNorm: number;
  msPerIteration: number;
  lambdaMin: number;
}

const same = (a: LiveReadout, b: LiveReadout): boolean =>
  a.iteration === b.iteration &&
  a.msPerIteration === b.msPerIteration &&
  a.tau === b.tau &&
  a.twinTau === b.twinTau;

function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '—';
  return Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)
    ? v.toExponential(digits - 1)
    : v.toFixed(digits);
}

/** The run panel. */
export function RunPanel() {
  const status = useAppStore((s) => s.runStatus);
  const message = useAppStore((s) => s.runMessage);
  const outcome = useAppStore((s) => s.outcome);
  const backendLabel = useAppStore((s) => s.backendLabel);
  const activeBackend = useAppStore((s) => s.activeBackend);
  const cpuKernels = useAppStore((s) => s.cpuKernels);
  const hasData = useAppStore((s) => s.dataset !== null);
  const n = useAppStore((s) => s.dataset?.n ?? 0);
  const n1 = useAppStore((s) => s.n1);
  // Non-null while the data is not yet the data the settings describe: Play then waits for it.
  const pending = useAppStore(dataMismatch);
  const live = useProgressValue<LiveReadout>((c) => {
    const run = c.histories[0] ?? [];
    const twin = c.histories[1] ?? [];
    const last = run[run.length - 1];
    return {
      iteration: last ? last.iter : NaN,
      tau: last ? last.tau : NaN,
      twinTau: twin.length ? twin[twin.length - 1].tau : NaN,
      gradNorm: last ? last.gradNorm : NaN,
      msPerIteration: c.msPerIteration,
      lambdaMin: last?.lambdaMin ?? NaN,
    };
  }, same);
  const running = status === 'running' || status === 'starting';
  return (
    <section className="panel" aria-labelledby="run-heading">
      <div className="run-bar">
        <h2 id="run-heading" style={{ margin: 0 }}>
          Run
        </h2>
        {running ? (
          <button
            type="button"
            className="primary"
            onClick={pause}
            data-testid="pause"
            aria-keyshortcuts="Space"
          >
            ❚❚ Pause
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={play}
            disabled={!hasData && pending === null}
            data-testid="play"
            aria-keyshortcuts="Space"
          >
            ▶ Play
          </button>
        )}
        <button
          type="button"
          onClick={step}
          disabled={!hasData || running}
          data-testid="step"
          aria-keyshortcuts="ArrowRight"
        >
          Step →
        </button>
        <button type="button" onClick={() => resetRun()} data-testid="reset" aria-keyshortcuts="R">
          ↺ Reset
        </button>
        <SpeedControl />
        <span className="hint">
          Keys: <kbd>Space</kbd> play/pause, <kbd>→</kbd> step, <kbd>R</kbd> reset
        </span>
      </div>
      <dl className="readout" aria-live="off">
        <div>
          <dt>Status</dt>
          <dd data-testid="run-status">{status}</dd>
        </div>
        <div>
          <dt>
            <Term id="n1" /> / <Term id="n" />
          </dt>
          <dd data-testid="run-n1" data-pending={pending === null ? undefined : 'true'}>
            {pending === null ? `${n1} / ${n} (${n > 0 ? (n1 / n).toFixed(3) : '—'})` : '—'}
          </dd>
        </div>
        <div>
          <dt>Iteration</dt>
          <dd data-testid="iteration">{Number.isFinite(live.iteration) ? live.iteration : '—'}</dd>
        </div>
        <div>
          <dt>
            <Term id="tau" /> (run)
          </dt>
          <dd>{fmt(live.tau)}</dd>
        </div>
        <div>
          <dt>
            <Term id="tau" /> (<Term id="gammaC" /> = 0 <Term id="twin" />)
          </dt>
          <dd>{fmt(live.twinTau)}</dd>
        </div>
        <div className="readout-gap">
          <dt>
            <Term id="tau" /> − <Term id="tau" /> <Term id="twin" />
          </dt>
          <dd data-testid="tau-gap" data-gap={String(live.tau - live.twinTau)}>
            <strong>{fmt(live.tau - live.twinTau)}</strong>
          </dd>
        </div>
        <div>
          <dt>
            <Term id="gradNorm" />
          </dt>
          <dd>{fmt(live.gradNorm, 3)}</dd>
        </div>
        <div>
          <dt>iterations/s</dt>
          <dd data-testid="its-per-s">
            {Number.isFinite(live.msPerIteration) ? (1000 / live.msPerIteration).toFixed(1) : '—'}
          </dd>
        </div>
        <div>
          <dt>ms/iteration</dt>
          <dd>{Number.isFinite(live.msPerIteration) ? live.msPerIteration.toFixed(2) : '—'}</dd>
        </div>
        <div>
          <dt>Backend</dt>
          <dd data-testid="readout-backend">{backendLabel || '—'}</dd>
        </div>
        {activeBackend === 'cpu' && cpuKernels && (
          <div>
            <dt>
              <Term id="cpuKernels">CPU kernels</Term>
            </dt>
            <dd data-testid="readout-cpu-kernels">{cpuKernels}</dd>
          </div>
        )}
      </dl>
      {pending !== null && status === 'idle' && !message && (
        <p className="status-message" role="status" data-testid="data-pending">
          {pending}
        </p>
      )}
      {message && (
        <p
          className={
            status === 'error' || outcome?.status === 'diverged' ? 'error status-message' : 'status-message'
          }
          role="status"
          data-testid="run-message"
        >
          {message}
        </p>
      )}
      {outcome && (
        <p
          data-testid="final-tau"
          data-tau={String(outcome.parts.tau)}
          data-status={outcome.status}
          data-iterations={outcome.iterations}
        >
          Final τ = <strong>{outcome.parts.tau.toPrecision(10)}</strong> (ℓ1/n1 ={' '}
          {fmt(outcome.parts.l1 / outcome.parts.n1)}, ℓ2/n2 = {fmt(outcome.parts.l2 / outcome.parts.n2)}, L ={' '}
          {fmt(outcome.parts.L, 6)})
          {outcome.twinParts && <> · twin τ = {outcome.twinParts.tau.toPrecision(10)}</>}
        </p>
      )}
      {outcome?.otherMinimum && (
        <p className="warning" role="status" data-testid="other-minimum">
          Not convex here: the previous run ({outcome.otherMinimum.method}) also converged, but to another
          stationary point {fmt(outcome.otherMinimum.distance, 3)} away, with L ={' '}
          {fmt(outcome.otherMinimum.L, 6)} and τ = {fmt(outcome.otherMinimum.tau)} (this run: L ={' '}
          {fmt(outcome.parts.L, 6)}, τ = {fmt(outcome.parts.tau)}). The γc/ℓ1 term makes the objective
          non-convex, so the solver and the start decide which one you get.
        </p>
      )}
    </section>
  );
}
