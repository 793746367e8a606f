/** The playground layout: settings on the left, run, charts and rows on the right. */
import { ClaimsPanel } from './claims/ClaimsPanel';
import { ExportPanel } from './export/ExportPanel';
import { EmbedView } from './modes/EmbedView';
import { PresentView } from './modes/PresentView';
import { DataPanel } from './panels/DataPanel';
import { Header } from './panels/Header';
import { LinkNotices } from './panels/LinkNotices';
import { ObjectivePanel } from './panels/ObjectivePanel';
import { RowsPanel } from './panels/RowsPanel';
import { RunPanel } from './panels/RunPanel';
import { SolverPanel } from './panels/SolverPanel';
import { TagPanel } from './panels/TagPanel';
import { PlotsPanel } from './plots/PlotsPanel';
import { PresetPicker } from './presets/PresetPicker';
import { useAppStore } from './store/app-store';

/** The whole page. */
export function App() {
  const present = useAppStore((s) => s.settings.present);
  const embed = useAppStore((s) => s.settings.embed);
  // Classroom modes (app/modes) replace the whole layout.
  if (embed) return <EmbedView />;
  if (present) return <PresentView />;
  return (
    <>
      <Header />
      <LinkNotices />
      <main className="layout">
        <div className="sidebar">
          <PresetPicker />
          <DataPanel />
          <TagPanel />
          <ObjectivePanel />
          <SolverPanel />
        </div>
        <div className="main">
          <RunPanel />
          <ClaimsPanel />
          <ExportPanel />
          <PlotsPanel />
          <RowsPanel />
        </div>
      </main>
    </>
  );
}
