/**
 * The playground layout: settings on the left; on the right the single run (run, claims, charts,
 * rows) or the sweep, switched by the view tabs. The sweep view, the classroom modes and the introduction load on demand (app/lazy.tsx).
 */
import { useState } from 'react';
import { ClaimsPanel } from './claims/ClaimsPanel';
import { ExportPanel } from './export/ExportPanel';
import { LessonPanel } from './learn/LessonPanel';
import { startLesson } from './learn/lesson-store';
import { isIntroDismissed, rememberIntroDismissed } from './learn/intro-state';
import { Deferred, EmbedView, IntroDialog, LmView, PresentView, SweepView } from './lazy';
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
import { VIEW_PANEL_ID, ViewSwitch } from './sweep/ViewSwitch';

/** The whole page. */
export function App() {
  const page = useAppStore((s) => s.settings.page);
  const present = useAppStore((s) => s.settings.present);
  const embed = useAppStore((s) => s.settings.embed);
  // The first-visit introduction (app/learn), until dismissed once; "About" reopens it.
  const [introOpen, setIntroOpen] = useState(() => !isIntroDismissed());
  // Classroom modes (app/modes) replace the whole layout, without the introduction.
  if (embed || present) return <Deferred>{embed ? <EmbedView /> : <PresentView />}</Deferred>;
  return (
    <>
      <Header onAbout={() => setIntroOpen(true)} />
      {introOpen && (
        // A modal over the page: nothing to hold its place while its code loads.
        <Deferred fallback={null}>
          <IntroDialog
            onClose={() => {
              rememberIntroDismissed();
              setIntroOpen(false);
            }}
            onStartLesson={startLesson}
          />
        </Deferred>
      )}
      <LinkNotices />
      <div className="lesson-bar">
        <LessonPanel />
      </div>
      {page === 'lm' ? (
        // The language-model view has its own settings column (app/lm).
        <Deferred>
          <LmView />
        </Deferred>
      ) : (
        <main className="layout">
          <div className="sidebar">
            <PresetPicker />
            <DataPanel />
            <TagPanel />
            <ObjectivePanel />
            <SolverPanel />
          </div>
          <div className="main">
            <ViewSwitch />
            {/* Only the shown view is mounted, so hidden charts never redraw. */}
            <div className="main" id={VIEW_PANEL_ID} role="tabpanel" aria-labelledby={`view-tab-${page}`}>
              {page === 'sweep' ? (
                <Deferred>
                  <SweepView />
                </Deferred>
              ) : (
                <>
                  {/* The charts right after the run, so a tablet shows controls, readout and τ first. */}
                  <RunPanel />
                  <PlotsPanel />
                  <ClaimsPanel />
                  <ExportPanel />
                  <RowsPanel />
                </>
              )}
            </div>
          </div>
        </main>
      )}
    </>
  );
}
