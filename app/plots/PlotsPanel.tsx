/** The live charts of the run. */
import { fitChart, lossChart, partsChart, rowLossChart, tauChart } from './charts';
import { LivePlot } from './LivePlot';

const EMPTY = 'Press play or step to start a run.';

/** All live charts, in a responsive grid. */
export function PlotsPanel() {
  return (
    <div className="plots">
      <LivePlot
        label="Protection τ per iteration, with the γc = 0 twin and the paper's claimed bound"
        emptyText={EMPTY}
        build={tauChart}
        watch={(s) => s.n1}
        testId="tau-plot"
        minIntervalMs={100}
      />
      <LivePlot
        label="Loss L and gradient norm per iteration, log scale"
        emptyText={EMPTY}
        build={lossChart}
        testId="loss-plot"
        minIntervalMs={100}
      />
      <LivePlot
        label="Mean loss on copyrighted and free rows per iteration"
        emptyText={EMPTY}
        build={partsChart}
        watch={(s) => s.n1}
        testId="parts-plot"
        minIntervalMs={100}
      />
      <LivePlot
        label="Per-row fit f(x) against b, coloured by tag"
        emptyText={EMPTY}
        build={fitChart}
        watch={(s) => s.mask}
        testId="fit-plot"
        minIntervalMs={400}
      />
      <LivePlot
        label="Distribution of per-row squared errors, copyrighted vs free"
        emptyText={EMPTY}
        build={rowLossChart}
        watch={(s) => s.mask}
        testId="row-loss-plot"
        minIntervalMs={400}
      />
    </div>
  );
}
