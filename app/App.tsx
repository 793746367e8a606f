/** The playground layout: settings on the left, run, charts and rows on the right. */
import { ClaimsPanel } from './claims/ClaimsPanel';
import { DataPanel } from './panels/DataPanel';
import { Header } from './panels/Header';
import { LinkNotices } from './panels/LinkNotices';
import { ObjectivePanel } from './panels/ObjectivePanel';
import { RowsPanel } from './panels/RowsPanel';
import { RunPanel } from './panels/RunPanel';
import { SolverPanel } from './panels/SolverPanel';
import { TagPanel } from './panels/TagPanel';
import { PlotsPanel } from './plots/PlotsPanel';

/** The whole page. */
export function App() {
  return (
    <>
      <Header />
      <LinkNotices />
      <main className="layout">
        <div className="sidebar">
          <DataPanel />
          <TagPanel />
          <ObjectivePanel />
          <SolverPanel />
        </div>
        <div className="main">
          <RunPanel />
          <ClaimsPanel />
          <PlotsPanel />
          <RowsPanel />
        </div>
      </main>
    </>
  );
}
