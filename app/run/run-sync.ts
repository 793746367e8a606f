/**
 * A run belongs to the settings it started with: when anything in the settings table's `run`
 * scope changes (data, tags, objective, solver, twin; app/store/settings-table.ts), or the data,
 * mask or engine in use does, the run and everything shown from it (iteration, τ, curves, claims,
 * exports) is cleared at once — not when the new data arrives, and whatever the run's status.
 * Also re-selects the backend when the backend choice changes.
 */
import { useAppStore, type AppState } from '../store/app-store';
import { scopeKey } from '../store/settings-table';
import { resetRun, runShown, selectBackend, setPlaybackSpeed } from './run-controller';
import { keysDiffer } from './settings-key';

function runKey(s: AppState): unknown[] {
  return [s.dataset, s.mask, s.activeBackend, ...scopeKey(s.settings, 'run')];
}

/** Whether anything of a run is on screen in state s (a status, an outcome or curves). */
function hasRunState(s: AppState): boolean {
  return s.runStatus !== 'idle' || s.outcome !== null || runShown();
}

/** Starts watching; returns the unsubscribe function. */
export function startRunSync(): () => void {
  void selectBackend(useAppStore.getState().settings.backend);
  return useAppStore.subscribe((state, prev) => {
    if (state.settings.backend !== prev.settings.backend) void selectBackend(state.settings.backend);
    // Speed changes how fast a run is shown, not what it computes: the run goes on.
    if (state.settings.speed !== prev.settings.speed) setPlaybackSpeed(state.settings.speed);
    if (!keysDiffer(runKey(state), runKey(prev))) return;
    // A result of the previous data or settings is cleared with a word; a Play waiting for the
    // data keeps waiting (for the new data).
    if (hasRunState(prev) || hasRunState(state))
      resetRun('The settings changed, so the run was reset. Press play to run again.', { keepWaiting: true });
  });
}
