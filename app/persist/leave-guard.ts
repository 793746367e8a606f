/**
 * Asks before the page goes away (reload, close, another address) while a run, or the language
 * model's training or sweep, has work that a reload would lose. The rule, kept simple on purpose: the run is running or paused with at least
 * one iteration done. Idle, finished and failed runs never ask (a finished run's results are in
 * its manifest and its link reruns it), and neither does a run that has not iterated yet.
 */
import { progress } from '../run/progress';
import { useLmStore, type LmStatus } from '../lm/lm-store';
import { useLmSweepStore, type LmSweepStatus } from '../lm/lm-sweep-store';
import { useAppStore, type RunSlice } from '../store/app-store';

/** Whether leaving now would lose iterations (the rule above). */
export function wouldLoseRun(runStatus: RunSlice['runStatus'], iterations: number): boolean {
  return (runStatus === 'running' || runStatus === 'paused') && iterations >= 1;
}

/**
 * The same rule for the language-model view: its training running or paused after a step, or its
 * sweep running (cells a reload would lose).
 */
export function wouldLoseLm(status: LmStatus, step: number, sweep: LmSweepStatus): boolean {
  return ((status === 'running' || status === 'paused') && step >= 1) || sweep === 'running';
}

/** Iterations of the method done by the current run (iteration 0 only evaluates the start point). */
function iterationsDone(): number {
  const history = progress.histories[0];
  return history && history.length > 0 ? history[history.length - 1].iter : 0;
}

/**
 * Installs the `beforeunload` prompt. Browsers show their own wording (a page cannot choose it)
 * and only after the user has interacted with the page. Returns the uninstall function.
 */
export function installLeaveGuard(): () => void {
  const onBeforeUnload = (event: BeforeUnloadEvent): void => {
    const lm = useLmStore.getState();
    const lmStep = lm.history.length ? lm.history[lm.history.length - 1].step : 0;
    if (
      !wouldLoseRun(useAppStore.getState().runStatus, iterationsDone()) &&
      !wouldLoseLm(lm.status, lmStep, useLmSweepStore.getState().status)
    )
      return;
    event.preventDefault();
    // Older browsers ask only when returnValue is set (any non-empty string).
    event.returnValue = 'This run has not finished; leaving loses its iterations.';
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  return () => window.removeEventListener('beforeunload', onBeforeUnload);
}
