/**
 * Presenter mode (`?present=1`): for a projector. Large type, and only what a class watches: the
 * lesson and preset picker, γc, the run controls and readout, the paper's claims, and the τ and
 * loss-parts charts (their text enlarged too). The settings column is hidden.
 */
import { ClaimsPanel } from '../claims/ClaimsPanel';
import { LessonPanel } from '../learn/LessonPanel';
import { GammaControl } from '../panels/GammaControl';
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
          <LessonPanel />
          <PresetPicker />
          <section className="panel" aria-label="Protection weight γc" data-testid="present-gamma">
            <GammaControl />
          </section>
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
