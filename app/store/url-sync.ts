/**
 * Keeps the URL hash and the settings in step: the hash is read once at start-up (and again when
 * the user pastes another link into the address bar), and written back with a debounced
 * history.replaceState so dragging a slider does not flood the history or the address bar.
 */
import { useAppStore } from './app-store';
import { parseHash, serializeSettings } from './url-codec';

/** Delay before a settings change is written to the URL (ms). */
const WRITE_DELAY_MS = 250;

/** Reads the current location into the store and starts mirroring settings into the hash. */
export function startUrlSync(): () => void {
  const apply = (): void => {
    const { settings, notices } = parseHash(window.location.hash, window.location.search);
    useAppStore.getState().replaceSettings(settings, notices);
  };
  apply();

  let timer: ReturnType<typeof setTimeout> | undefined;
  // Write the normalised link right away, so the address bar shows every setting from the start.
  let lastWritten = serializeSettings(useAppStore.getState().settings);
  window.history.replaceState(
    window.history.state,
    '',
    `${window.location.pathname}${window.location.search}#${lastWritten}`,
  );
  const unsubscribe = useAppStore.subscribe((state, prev) => {
    if (state.settings === prev.settings) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const next = serializeSettings(useAppStore.getState().settings);
      if (next === lastWritten) return;
      lastWritten = next;
      window.history.replaceState(
        window.history.state,
        '',
        `${window.location.pathname}${window.location.search}#${next}`,
      );
    }, WRITE_DELAY_MS);
  });

  // A link pasted into the address bar of an open page: treat it like opening the link.
  const onHashChange = (): void => {
    const now = window.location.hash.replace(/^#/, '');
    if (now === lastWritten) return;
    lastWritten = now;
    apply();
  };
  window.addEventListener('hashchange', onHashChange);
  return () => {
    clearTimeout(timer);
    unsubscribe();
    window.removeEventListener('hashchange', onHashChange);
  };
}

/** The link to the current settings, written immediately (for "Copy link"). */
export function currentLink(): string {
  const url = new URL(window.location.href);
  url.hash = serializeSettings(useAppStore.getState().settings);
  return url.toString();
}
