/**
 * The views a default visit does not show, loaded on demand (React.lazy over a dynamic import), so
 * their code is not part of the page's first download (e2e/page-weight.spec.ts weighs it): the
 * sweep view, the classroom modes, the first-visit introduction and the rows' 2-D projection (the
 * rows panel opens on its table). Each is rendered inside
 * {@link Deferred}, which shows "Loading…" while the code loads and a short notice if it cannot.
 */
import { Component, Suspense, lazy, type ReactNode } from 'react';

/** Loads the sweep view's code (also ahead of a click, when the pointer or focus reaches its tab). */
export const loadSweepView = () => import('./sweep/SweepView');

export const SweepView = lazy(() => loadSweepView().then((m) => ({ default: m.SweepView })));
/** Loads the language-model view's code (also ahead of a click, as the sweep's). */
export const loadLmView = () => import('./lm/LmView');
export const LmView = lazy(() => loadLmView().then((m) => ({ default: m.LmView })));
export const EmbedView = lazy(() => import('./modes/EmbedView').then((m) => ({ default: m.EmbedView })));
export const PresentView = lazy(() =>
  import('./modes/PresentView').then((m) => ({ default: m.PresentView })),
);
export const IntroDialog = lazy(() =>
  import('./learn/IntroDialog').then((m) => ({ default: m.IntroDialog })),
);
export const ProjectionPlot = lazy(() =>
  import('./plots/ProjectionPlot').then((m) => ({ default: m.ProjectionPlot })),
);

/** What a view shows while its code loads. */
export function Loading() {
  return (
    <p className="hint" role="status" data-testid="view-loading">
      Loading…
    </p>
  );
}

/** Says so, instead of a blank page, when a view's code cannot be loaded (e.g. the site was updated). */
class LoadFailure extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <p className="error" role="alert" data-testid="view-load-error">
        This part of the page could not be loaded. Reload the page to try again.
      </p>
    );
  }
}

/** A lazy view with its fallback: `fallback` while its code loads ({@link Loading} by default). */
export function Deferred({
  children,
  fallback = <Loading />,
}: {
  children: ReactNode;
  fallback?: ReactNode;
}) {
  return (
    <LoadFailure>
      <Suspense fallback={fallback}>{children}</Suspense>
    </LoadFailure>
  );
}
