/**
 * Embed mode (`?embed=1`): for a slide or an iframe. One chart (τ per iteration, with the γc = 0
 * twin and the paper's claimed bound), play/pause and reset, and the final τ. Everything else,
 * settings included, comes from the link.
 */
import { LivePlot } from '../plots/LivePlot';
import { tauChart } from '../plots/charts';
import { pause, play, resetRun } from '../run/run-controller';
import { useAppStore } from '../store/app-store';
import { dataMismatch } from '../store/data-readiness';
import { LinkNotices } from '../panels/LinkNotices';
import { ModeExit } from './ModeExit';

/** The embed layout. */
export function EmbedView() {
  const status = useAppStore((s) => s.runStatus);
  const outcome = useAppStore((s) => s.outcome);
  const hasData = useAppStore((s) => s.dataset !== null);
  const gammaC = useAppStore((s) => s.settings.gammaC);
  const message = useAppStore((s) => s.runMessage);
  const pending = useAppStore(dataMismatch);
  const running = status === 'running' || status === 'starting';
  return (
    <main className="mode-embed" data-testid="embed-mode">
      <LinkNotices compact />
      <LivePlot
        label={`Protection τ per iteration at γc = ${gammaC}, with the γc = 0 twin and the paper's claimed bound`}
        emptyText="Press play to start the run."
        build={tauChart}
        watch={(s) => s.n1}
        testId="tau-plot"
        minIntervalMs={100}
      />
      <div className="row embed-bar">
        {running ? (
          <button type="button" className="primary" onClick={pause} data-testid="pause">
            ❚❚ Pause
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={play}
            disabled={!hasData && pending === null}
            data-testid="play"
          >
            ▶ Play
          </button>
        )}
        <button type="button" onClick={() => resetRun()} data-testid="reset">
          ↺ Reset
        </button>
        {outcome ? (
          <span data-testid="final-tau" data-tau={String(outcome.parts.tau)} data-status={outcome.status}>
            τ = <strong>{outcome.parts.tau.toPrecision(6)}</strong>
            {outcome.twinParts && <> (γc = 0 twin: {outcome.twinParts.tau.toPrecision(6)})</>}
          </span>
        ) : (
          <span className="hint" role="status">
            {status === 'error' || message ? message : (pending ?? 'γc = ' + gammaC)}
          </span>
        )}
        <span className="spacer" />
        <ModeExit flag="embed" />
      </div>
    </main>
  );
}
