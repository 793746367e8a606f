/**
 * Which rows of a fixed-row-height list are in view (plus an overscan on each side), for the rows
 * table: with every row the same height this is arithmetic on the scroll offset, so a general
 * virtualizer (8 kB gzipped, for rows of varying height) is not needed on the first download.
 */
import { useCallback, useEffect, useState } from 'react';

/** Rows [first, last] (inclusive) to render; last < first when there are none. */
export function visibleRows(
  scrollTop: number,
  viewportHeight: number,
  count: number,
  rowHeight: number,
  overscan: number,
): { first: number; last: number } {
  if (count <= 0) return { first: 0, last: -1 };
  const top = Math.max(0, scrollTop);
  const firstInView = Math.min(count - 1, Math.floor(top / rowHeight));
  const lastInView = Math.min(count - 1, Math.floor((top + Math.max(0, viewportHeight)) / rowHeight));
  return { first: Math.max(0, firstInView - overscan), last: Math.min(count - 1, lastInView + overscan) };
}

/**
 * The scroll container's ref (a callback ref) and the rows to render in it, kept up to date on
 * scroll and on resize.
 */
export function useRowWindow(
  count: number,
  rowHeight: number,
  overscan: number,
): { ref: (el: HTMLDivElement | null) => void; first: number; last: number; totalHeight: number } {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const [view, setView] = useState({ scrollTop: 0, height: 0 });
  useEffect(() => {
    if (!el) return;
    const measure = () => setView({ scrollTop: el.scrollTop, height: el.clientHeight });
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', measure);
      resize.disconnect();
    };
  }, [el]);
  const ref = useCallback((node: HTMLDivElement | null) => setEl(node), []);
  const { first, last } = visibleRows(view.scrollTop, view.height, count, rowHeight, overscan);
  return { ref, first, last, totalHeight: count * rowHeight };
}
