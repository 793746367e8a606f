/**
 * Keeps the URL hash and the settings in step: the hash is read once at start-up (and again when
 * the user pastes another link into the address bar), and written back with history.replaceState.
 *
 * Each change is written at once (at the end of the current task, so the several store updates
 * one event makes become one write) while fewer than {@link WRITE_BUDGET} writes were made in the
 * last {@link WRITE_WINDOW_MS}; beyond that (dragging a slider) at most once per
 * {@link WRITE_DELAY_MS}, because browsers refuse too many replaceState calls (Safari: 100 per 30 s).
 * Written at once matters: a reload reloads the URL as it is when the reload starts, before any
 * unload event, so a tag clicked just before F5 is only kept if it is already in the link. A
 * delayed write still pending when the page goes away is flushed on `beforeunload` / `pagehide`
 * (closing the tab, navigating, the back–forward cache).
 */
import { useAppStore } from './app-store';
import { parseHash, serializeSettings } from './url-codec';

/** Spacing of URL writes once the budget is spent (ms). */
export const WRITE_DELAY_MS = 1000;
/**
 * Writes made at once within {@link WRITE_WINDOW_MS}. Safari refuses more than 100 replaceState
 * calls per 30 s (Chrome 200 per 10 s): 40 at once plus one per second stays under both.
 */
export const WRITE_BUDGET = 40;
/** The window over which writes are counted (ms). */
export const WRITE_WINDOW_MS = 30_000;

/** What the page was opened with, before the sync rewrote the hash into its normalised form. */
export interface OpenedLink {
  /** The hash as opened, without '#' ('' when the page was opened without a link). */
  hash: string;
}

/** The running sync's flush, so {@link flushUrlWrite} can reach it; null before the sync starts. */
let flushPending: (() => void) | null = null;

/** Writes a pending settings change to the URL now (the page is going away, or a test asks). */
export function flushUrlWrite(): void {
  flushPending?.();
}

/**
 * Reads the current location into the store and starts mirroring settings into the hash.
 * Returns the link as it was opened (read before the normalised hash replaces it: app/persist
 * must know whether the page was opened with a link) and the function that stops the sync.
 */
export function startUrlSync(): { opened: OpenedLink; stop: () => void } {
  const opened: OpenedLink = { hash: window.location.hash.replace(/^#/, '') };
  const apply = (): void => {
    const { settings, notices } = parseHash(window.location.hash, window.location.search);
    useAppStore.getState().replaceSettings(settings, notices);
  };
  apply();

  /** Writes the hash; false when the browser refused (too many calls): the caller retries later. */
  const write = (hash: string): boolean => {
    try {
      window.history.replaceState(
        window.history.state,
        '',
        `${window.location.pathname}${window.location.search}#${hash}`,
      );
      return true;
    } catch {
      return false;
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** A leading-edge write is queued for the end of the current task. */
  let queued = false;
  // Write the normalised link right away, so the address bar shows every setting from the start.
  let lastWritten = serializeSettings(useAppStore.getState().settings);
  write(lastWritten);
  /** When the URL was written, within the last WRITE_WINDOW_MS (performance.now(), ms). */
  let writesAt: number[] = [performance.now()];
  const writeNow = (): void => {
    clearTimeout(timer);
    timer = undefined;
    queued = false;
    const next = serializeSettings(useAppStore.getState().settings);
    if (next === lastWritten) return;
    writesAt.push(performance.now());
    if (write(next)) lastWritten = next;
    else timer = setTimeout(writeNow, WRITE_DELAY_MS); // refused: the link stays pending
  };
  const unsubscribe = useAppStore.subscribe((state, prev) => {
    if (state.settings === prev.settings) return;
    // A write is scheduled already: it reads the settings as they are then.
    if (timer !== undefined || queued) return;
    const now = performance.now();
    writesAt = writesAt.filter((t) => t > now - WRITE_WINDOW_MS);
    const wait = writesAt.length < WRITE_BUDGET ? 0 : writesAt[writesAt.length - 1] + WRITE_DELAY_MS - now;
    if (wait <= 0) {
      queued = true;
      queueMicrotask(writeNow);
    } else timer = setTimeout(writeNow, wait);
  });
  const flush = (): void => {
    if (timer !== undefined || queued) writeNow();
  };
  flushPending = flush;

  // A link pasted into the address bar of an open page: treat it like opening the link.
  const onHashChange = (): void => {
    const now = window.location.hash.replace(/^#/, '');
    if (now === lastWritten) return;
    lastWritten = now;
    apply();
  };
  window.addEventListener('hashchange', onHashChange);
  // beforeunload comes first on a reload (before the browser reads the URL to load again);
  // pagehide also covers pages that never get beforeunload (mobile tab switches, bfcache).
  window.addEventListener('beforeunload', flush);
  window.addEventListener('pagehide', flush);
  const stop = (): void => {
    clearTimeout(timer);
    unsubscribe();
    window.removeEventListener('hashchange', onHashChange);
    window.removeEventListener('beforeunload', flush);
    window.removeEventListener('pagehide', flush);
    if (flushPending === flush) flushPending = null;
  };
  return { opened, stop };
}

/** The link to the current settings, written immediately (for "Copy link"). */
export function currentLink(): string {
  const url = new URL(window.location.href);
  url.hash = serializeSettings(useAppStore.getState().settings);
  return url.toString();
}
