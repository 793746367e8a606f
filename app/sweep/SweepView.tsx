/**
 * The sweep view: the panel and its charts, each with a table of its numbers below it; with more
 * than one method, the protection–utility frontier first, with the cheapest method for a target τ.
 */
import type { ReactNode } from 'react';
import { groupCells, partialSweep, partialText } from './grid';
import { FrontierTable } from './FrontierTable';
import {
  frontierChart,
  l2VsGammaChart,
  protectionUtilityChart,
  tauHeatmapChart,
  tauVsFractionChart,
  tauVsGammaChart,
  type SweepChartBuilder,
} from './sweep-charts';
import { SweepPanel } from './SweepPanel';
import { SweepPlot } from './SweepPlot';
import { useSweepStore } from './sweep-store';
import { CellsTable, GroupsTable, HeatmapTable } from './SweepTables';

interface FigureProps {
  label: string;
  build: SweepChartBuilder;
  testId: string;
  table: ReactNode;
  /** Said above the table of a partial sweep: how many cells finished. */
  note: string | null;
}

/** A chart with its table view (a disclosure, so the chart keeps its width). */
function SweepFigure({ label, build, testId, table, note }: FigureProps) {
  return (
    <figure className="panel sweep-figure" aria-label={label}>
      <SweepPlot label={label} build={build} testId={testId} />
      <details data-testid={`${testId}-table`}>
        <summary>Table view</summary>
        {note && <p className="hint">{note}</p>}
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
  const status = useSweepStore((s) => s.status);
  const running = status === 'running' || status === 'starting';
  const groups = grid ? groupCells(cells, grid) : [];
  const partial = partialSweep(status, cells, grid);
  const note = partial ? partialText(partial) : null;
  const noSweep = <p className="hint">No sweep yet.</p>;
  return (
    <>
      <SweepPanel />
      {note && (
        <p className="notice" role="status" data-testid="sweep-partial">
          {note}
        </p>
      )}
      <div className="plots" data-testid="sweep-plots">
        {grid && grid.methods.length > 1 && (
          <figure
            className="panel sweep-figure frontier-figure"
            aria-label="Protection–utility frontier, one curve per method; click a point to load it"
          >
            <SweepPlot
              label="Protection–utility frontier: τ against ℓ2/n2, one curve per method; click a point to load it"
              build={frontierChart}
              testId="sweep-frontier"
            />
            <FrontierTable cells={cells} grid={grid} />
          </figure>
        )}
        <SweepFigure
          label="τ against γc with min–max bands over seeds and the γc = 0 baseline"
          build={tauVsGammaChart}
          testId="sweep-tau-gamma"
          note={note}
          table={<GroupsTable groups={groups} metric="tau" running={running} />}
        />
        <SweepFigure
          label="τ against n1/n with min–max bands over seeds, one series per γc"
          build={tauVsFractionChart}
          testId="sweep-tau-fraction"
          note={note}
          table={
            <GroupsTable
              groups={[...groups].sort((a, b) => a.gammaC - b.gammaC)}
              metric="tau"
              running={running}
            />
          }
        />
        <SweepFigure
          label="Loss on the free rows ℓ2/n2 against γc"
          build={l2VsGammaChart}
          testId="sweep-l2-gamma"
          note={note}
          table={<GroupsTable groups={groups} metric="l2PerN2" running={running} />}
        />
        <SweepFigure
          label="Heatmap of mean τ over γc and n1/n; click a cell to load it"
          build={tauHeatmapChart}
          testId="sweep-heatmap"
          note={note}
          table={grid ? <HeatmapTable groups={groups} grid={grid} running={running} /> : noSweep}
        />
        <SweepFigure
          label="Protection against utility: ℓ1/n1 against ℓ2/n2 for every cell"
          build={protectionUtilityChart}
          testId="sweep-scatter"
          note={note}
          table={<CellsTable cells={cells} grid={grid} partial={partial} />}
        />
      </div>
    </>
  );
}
