/**
 * Presenter mode (`?present=1`): for a projector. Large type, and only what a class watches: the
 * preset picker, the run controls and readout, the paper's claims, and the τ and loss-parts
 * charts (their text enlarged too). The settings column is hidden; the preset picker is the one way to change the problem.
 */
import { ClaimsPanel } from '../claims/ClaimsPanel';
import { RunPanel } from '../panels/RunPanel';
import { LivePlot } from '../plots/LivePlot';
import { PRESENT_CHARTS } from '../plots/live-charts';
import { PresetPicker } from '../presets/PresetPicker';
import { LinkNotices } from '../panels/LinkNotices';
import { ModeExit } from './ModeExit';

const EMPTY = 'Press play to start a run.';

/** The presenter layout. */
export function PresentView() {
  return (
    <div className="mode-present" data-testid="present-mode">
      <header className="app-header">
        <h1>Copyright regression</h1>
        <span className="spacer" />
        <ModeExit flag="present" />
      </header>
      <LinkNotices />
      <main className="present-grid">
        <div className="present-side">
          <PresetPicker />
          <RunPanel />
        </div>
        <div className="present-main">
          <div className="plots present-plots">
            {PRESENT_CHARTS.map((chart) => (
              <LivePlot key={chart.testId} {...chart} emptyText={EMPTY} height={380} />
            ))}
          </div>
          <ClaimsPanel compact />
        </div>
      </main>
    </div>
  );
}
