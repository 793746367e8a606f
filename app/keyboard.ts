/**
 * Keyboard driving: Space = play/pause, → = step, R = reset. Ignored while typing in a field or
 * when a control that uses these keys itself (buttons, checkboxes, sliders) has focus, and in the
 * sweep view (the single run is not shown there).
 */
import { resetRun, step, togglePlay } from './run/run-controller';
import { useAppStore } from './store/app-store';

function isInteractive(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return (
    ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON'].includes(target.tagName) ||
    target.getAttribute('role') === 'tab'
  );
}

/** Installs the shortcuts; returns the uninstaller. */
export function installKeyboardShortcuts(): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey || isInteractive(e.target)) return;
    // The shortcuts drive the single run: not in the sweep or language-model views.
    if (useAppStore.getState().settings.page !== 'run') return;
    if (e.key === ' ') {
      e.preventDefault();
      togglePlay();
    } else if (e.key === 'ArrowRight') {
      e.preventDefault();
      step();
    } else if (e.key === 'r' || e.key === 'R') {
      e.preventDefault();
      resetRun();
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
