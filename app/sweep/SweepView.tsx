/** The sweep view: the panel and its five charts, each with a table of its numbers below it. */
import type { ReactNode } from 'react';
import type { SweepCell } from '../../src/engine/sweep';
import type { SweepSettings } from '../store/settings';
import { groupCells } from './grid';
import {
  l2VsGammaChart,
  protectionUtilityChart,
  tauHeatmapChart,
  tauVsFractionChart,
  tauVsGammaChart,
  type SweepChart,
} from './sweep-charts';
import { SweepPanel } from './SweepPanel';
import { SweepPlot } from './SweepPlot';
import { useSweepStore } from './sweep-store';
import { CellsTable, GroupsTable, HeatmapTable } from './SweepTables';

interface FigureProps {
  label: string;
  build(cells: readonly SweepCell[], grid: SweepSettings): SweepChart;
  testId: string;
  table: ReactNode;
}

/** A chart with its table view (a disclosure, so the chart keeps its width). */
function SweepFigure({ label, build, testId, table }: FigureProps) {
  return (
    <figure className="panel sweep-figure" aria-label={label}>
      <SweepPlot label={label} build={build} testId={testId} />
      <details data-testid={`${testId}-table`}>
        <summary>Table view</summary>
        <div className="sweep-table-wrap">{table}</div>
      </details>
      <figcaption className="visually-hidden">{label}</figcaption>
    </figure>
  );
}

/** Everything right of the settings column in the sweep view. */
export function SweepView() {
  const cells = useSweepStore((s) => s.cells);
  const grid = useSweepStore((s) => s.grid);
  const groups = groupCells(cells);
  return (
    <>
      <SweepPanel />
      <div className="plots" data-testid="sweep-plots">
        <SweepFigure
          label="τ against γc with min–max bands over seeds and the γc = 0 baseline"
          build={tauVsGammaChart}
          testId="sweep-tau-gamma"
          table={<GroupsTable groups={groups} metric="tau" />}
        />
        <SweepFigure
          label="τ against n1/n with min–max bands over seeds, one series per γc"
          build={tauVsFractionChart}
          testId="sweep-tau-fraction"
          table={<GroupsTable groups={[...groups].sort((a, b) => a.gammaC - b.gammaC)} metric="tau" />}
        />
        <SweepFigure
          label="Loss on the free rows ℓ2/n2 against γc"
          build={l2VsGammaChart}
          testId="sweep-l2-gamma"
          table={<GroupsTable groups={groups} metric="l2PerN2" />}
        />
        <SweepFigure
          label="Heatmap of mean τ over γc and n1/n; click a cell to load it"
          build={tauHeatmapChart}
          testId="sweep-heatmap"
          table={grid ? <HeatmapTable groups={groups} grid={grid} /> : <p className="hint">No sweep yet.</p>}
        />
        <SweepFigure
          label="Protection against utility: ℓ1/n1 against ℓ2/n2 for every cell"
          build={protectionUtilityChart}
          testId="sweep-scatter"
          table={<CellsTable cells={cells} />}
        />
      </div>
    </>
  );
}
