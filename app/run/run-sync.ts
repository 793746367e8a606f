/**
 * A run belongs to the settings it started with: when data, tags, objective, solver or backend
 * change, the run is reset (its curves would otherwise mix two problems). Also re-selects the
 * backend when the backend choice changes.
 */
import { useAppStore, type AppState } from '../store/app-store';
import { resetRun, selectBackend, setPlaybackSpeed } from './run-controller';
import { keysDiffer, solveSettingsKey } from './settings-key';

function runKey(s: AppState): unknown[] {
  const t = s.settings;
  return [s.dataset, s.mask, t.gammaC, ...solveSettingsKey(t), t.twin, s.activeBackend];
}

/** Starts watching; returns the unsubscribe function. */
export function startRunSync(): () => void {
  void selectBackend(useAppStore.getState().settings.backend);
  return useAppStore.subscribe((state, prev) => {
    if (state.settings.backend !== prev.settings.backend) void selectBackend(state.settings.backend);
    // Speed changes how fast a run is shown, not what it computes: the run goes on.
    if (state.settings.speed !== prev.settings.speed) setPlaybackSpeed(state.settings.speed);
    if (keysDiffer(runKey(state), runKey(prev)) && state.runStatus !== 'idle') {
      resetRun('The settings changed, so the run was reset. Press play to run again.');
    }
  });
}
