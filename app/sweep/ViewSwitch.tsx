/**
 * "Single run | Sweep | Language model": which view the page shows, kept in the link (`page=`). A tab list with
 * arrow-key navigation; both tabs stay in the Tab order (as the rows panel's tabs do), so Tab
 * alone reaches either. The sweep view's code loads on demand (app/lazy.tsx): as soon as the
 * pointer or the focus reaches its tab, so it is usually there by the click.
 */
import { useRef, type KeyboardEvent } from 'react';
import { loadLmView, loadSweepView } from '../lazy';
import { useAppStore } from '../store/app-store';
import type { PageView } from '../store/settings';

const VIEWS: readonly { value: PageView; label: string }[] = [
  { value: 'run', label: 'Single run' },
  { value: 'sweep', label: 'Sweep' },
  { value: 'lm', label: 'Language model' },
];

/** Id of the panel the tabs control (App gives it to the main column). */
export const VIEW_PANEL_ID = 'page-view-panel';

/** The view tabs. */
export function ViewSwitch() {
  const page = useAppStore((s) => s.settings.page);
  const update = useAppStore((s) => s.updateSettings);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const choose = (view: PageView): void => update((s) => (s.page = view));
  const preload = (view: PageView): void => {
    // Opening the view says if its code fails to load.
    if (view === 'sweep') void loadSweepView().catch(() => undefined);
    if (view === 'lm') void loadLmView().catch(() => undefined);
  };
  const onKey = (e: KeyboardEvent, k: number): void => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = (k + step + VIEWS.length) % VIEWS.length;
    choose(VIEWS[next].value);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs view-switch" role="tablist" aria-label="View">
      {VIEWS.map((v, k) => (
        <button
          key={v.value}
          ref={(el) => {
            refs.current[k] = el;
          }}
          type="button"
          role="tab"
          id={`view-tab-${v.value}`}
          aria-selected={page === v.value}
          aria-controls={VIEW_PANEL_ID}
          data-testid={`page-${v.value}`}
          onClick={() => choose(v.value)}
          onKeyDown={(e) => onKey(e, k)}
          onPointerEnter={() => preload(v.value)}
          onFocus={() => preload(v.value)}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}
