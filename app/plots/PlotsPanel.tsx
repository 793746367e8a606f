/** The live charts of the run. */
import { LIVE_CHARTS } from './live-charts';
import { LivePlot } from './LivePlot';

const EMPTY = 'Press play or step to start a run.';

/** All live charts, in a responsive grid. */
export function PlotsPanel() {
  return (
    <div className="plots">
      {LIVE_CHARTS.map((chart) => (
        <LivePlot key={chart.testId} {...chart} emptyText={EMPTY} />
      ))}
    </div>
  );
}
