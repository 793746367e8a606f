/**
 * A run belongs to the settings it started with: when data, tags, objective, solver or backend
 * change, the run is reset (its curves would otherwise mix two problems). Also re-selects the
 * backend when the backend choice changes.
 */
import { useAppStore, type AppState } from '../store/app-store';
import { resetRun, selectBackend } from './run-controller';

function runKey(s: AppState): unknown[] {
  const t = s.settings;
  return [
    s.dataset,
    s.mask,
    t.gammaC,
    t.reading,
    t.solver,
    t.tol,
    t.maxIter,
    t.gdStep,
    t.sketchRows,
    t.x0Seed,
    t.twin,
    s.activeBackend,
  ];
}

/** Starts watching; returns the unsubscribe function. */
export function startRunSync(): () => void {
  void selectBackend(useAppStore.getState().settings.backend);
  return useAppStore.subscribe((state, prev) => {
    if (state.settings.backend !== prev.settings.backend) void selectBackend(state.settings.backend);
    const a = runKey(state);
    const b = runKey(prev);
    if (a.some((v, i) => v !== b[i]) && state.runStatus !== 'idle') {
      resetRun('The settings changed, so the run was reset. Press play to run again.');
    }
  });
}
