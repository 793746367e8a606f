/**
 * Keeps uploaded data and its tags in this browser (local-store.ts) and brings them back: when a
 * link or a manifest asks for an uploaded CSV by SHA-256 and this browser has it, it is loaded
 * without asking; a page opened without a link offers the latest upload. Whether the page was
 * opened with a link is the hash as opened (app/store/url-sync.ts writes the normalised hash at
 * once, so the live hash is never empty). Status for the UI lives in a small zustand store.
 */
import { create } from 'zustand';
import { loadCsvFile, onCsvParsed } from '../data/data-controller';
import { useAppStore } from '../store/app-store';
import type { Settings } from '../store/settings';
import {
  clearLocalData,
  countUploads,
  getUpload,
  lastUpload,
  saveTags,
  saveUpload,
  storageAvailable,
  type StoredTags,
  type StoredUpload,
} from './local-store';

/** What the local-data controls show. */
export interface PersistState {
  /** Uploads stored in this browser (null until counted). */
  stored: number | null;
  /** The latest upload, offered when the page opened without data of its own. */
  offer: { sha256: string; fileName: string } | null;
  /** Last thing that happened, in words. */
  message: string;
}

/** UI state of local storage. */
export const usePersistStore = create<PersistState>()(() => ({ stored: null, offer: null, message: '' }));

/** SHA-256s being restored right now, so the link watcher and a manifest load do not both load it. */
const restoring = new Set<string>();

const say = (message: string): void => usePersistStore.setState({ message });

async function recount(): Promise<void> {
  try {
    usePersistStore.setState({ stored: await countUploads() });
  } catch {
    usePersistStore.setState({ stored: null });
  }
}

/** Turns a stored entry back into a File the data worker can parse. */
function asFile(entry: StoredUpload): File {
  return new File([entry.file], entry.fileName, { type: 'text/csv' });
}

/**
 * Calls `onLoaded` once the upload with this SHA-256 has become the data; stops watching when it
 * has, or when loading failed (a data error with nothing loading), so nothing lingers after a
 * failed parse. `onEnd` runs either way.
 */
function whenLoaded(sha256: string, onLoaded: () => void, onEnd: () => void = () => undefined): void {
  const off = useAppStore.subscribe((state) => {
    const loaded = state.origin?.kind === 'csv' && state.origin.sha256 === sha256;
    const failed = state.dataError !== null && !state.loading.busy;
    if (!loaded && !failed) return;
    off();
    if (loaded) onLoaded();
    onEnd();
  });
}

/**
 * Loads the stored upload with this SHA-256 as the data the page is waiting for. Returns false
 * when this browser does not have it (the caller then asks for the file).
 */
export async function restoreUpload(sha256: string): Promise<boolean> {
  if (!storageAvailable()) return false;
  let entry: StoredUpload | undefined;
  try {
    entry = await getUpload(sha256);
  } catch {
    return false;
  }
  if (!entry) return false;
  if (restoring.has(sha256)) return true;
  restoring.add(sha256);
  useAppStore.getState().setAwaitingCsv(sha256);
  loadCsvFile(asFile(entry));
  // Watched from here, where the load has cleared any earlier data error and is busy.
  whenLoaded(
    sha256,
    () => undefined,
    () => restoring.delete(sha256),
  );
  say(`Loaded ${entry.fileName} from this browser's storage.`);
  return true;
}

/**
 * Loads the offered latest upload with the tags it was last used with. It is loaded as the
 * user's own choice, not as a file a link waits for: `awaitingCsv` stays unset, so the upload is
 * parsed once (the link watcher below would load it a second time) and the data panel does not
 * claim that it "matches the link" when there is no link.
 */
export async function acceptOffer(): Promise<void> {
  const offer = usePersistStore.getState().offer;
  if (!offer) return;
  usePersistStore.setState({ offer: null });
  let entry: StoredUpload | undefined;
  try {
    entry = await getUpload(offer.sha256);
  } catch {
    entry = undefined;
  }
  if (!entry) {
    say('That data is no longer stored in this browser.');
    return;
  }
  const sha256 = entry.sha256;
  // Tags are applied once the file has become the data, so they are decoded against its rows.
  const tags = entry.tags;
  loadCsvFile(asFile(entry));
  whenLoaded(sha256, () => {
    if (tags) {
      useAppStore.getState().updateSettings((s) => {
        s.tagRule = tags.tagRule;
        s.manualBits = tags.manualBits;
        s.reg = tags.reg;
      });
    }
  });
  say(`Loaded ${entry.fileName} from this browser's storage${tags ? ', with its tags' : ''}.`);
}

/** Removes everything stored and says so. */
export async function clearAll(): Promise<void> {
  try {
    const n = await clearLocalData();
    usePersistStore.setState({ offer: null, stored: 0 });
    say(
      n === 0
        ? 'Nothing was stored in this browser.'
        : `Removed ${n} uploaded data set${n === 1 ? '' : 's'} and ${n === 1 ? 'its' : 'their'} tags from this browser.`,
    );
  } catch {
    say('This browser refused to clear its storage for this page.');
  }
}

/**
 * Tag edits are saved at most once per this interval (ms): the first edit after a quiet spell at
 * once (so a click right before a reload or close is kept: a save started while the page unloads
 * is aborted with it), the rest of a burst (the w slider, a lasso drag) once at its end.
 */
const TAG_SAVE_INTERVAL_MS = 300;

/** The tag-related settings to keep with an upload. */
function tagsOf(s: Settings): StoredTags {
  return { tagRule: s.tagRule, manualBits: s.manualBits, reg: s.reg };
}

/**
 * Starts storing uploads and their tags, and restores what links ask for. Call once after the
 * data sync has started (it reacts to the `awaitingCsv` the link set). `openedHash` is the hash
 * the page was opened with (startUrlSync's `opened.hash`): '' means no link, and only then is
 * the latest upload offered.
 */
export function startPersistence(openedHash: string): () => void {
  if (!storageAvailable()) {
    say('This browser offers no local storage (IndexedDB); uploads will not survive a reload.');
    return () => undefined;
  }
  const offParsed = onCsvParsed((file, sha256) => {
    restoring.clear();
    // With the tags in use now (the file's own, a link's, or the stored ones just restored), in
    // the same write: a separate tag save could reach the database before the upload does.
    saveUpload(sha256, file.name, file, () => tagsOf(useAppStore.getState().settings)).then(recount, () =>
      say('This upload could not be stored in this browser (storage full or blocked).'),
    );
  });

  let tagTimer: ReturnType<typeof setTimeout> | undefined;
  /** A leading-edge save is queued for the end of the current task. */
  let queued = false;
  /** When tags were last saved (performance.now(), ms). */
  let lastSaveAt = -Infinity;
  /** The latest tags not saved yet, and the upload they belong to. */
  let pending: { sha256: string; tags: StoredTags } | null = null;
  const flushTags = (): void => {
    clearTimeout(tagTimer);
    tagTimer = undefined;
    queued = false;
    const save = pending;
    pending = null;
    if (!save) return;
    lastSaveAt = performance.now();
    void saveTags(save.sha256, save.tags).catch(() => undefined);
  };
  const offStore = useAppStore.subscribe((state, prev) => {
    if (state.awaitingCsv && state.awaitingCsv !== prev.awaitingCsv) void restoreUpload(state.awaitingCsv);
    const origin = state.origin;
    if (origin?.kind !== 'csv') return;
    const s = state.settings;
    // Only the settings of the upload that is the data: while a new upload installs (its settings
    // first, then its data), the settings are the new file's and the origin still the old one.
    if (s.source !== 'csv' || s.csvHash !== origin.sha256) return;
    const p = prev.settings;
    if (
      s.tagRule === p.tagRule &&
      s.manualBits === p.manualBits &&
      s.reg === p.reg &&
      state.origin === prev.origin
    )
      return;
    // Another upload became the data: the previous one's last tags are saved first.
    if (pending && pending.sha256 !== origin.sha256) flushTags();
    pending = { sha256: origin.sha256, tags: tagsOf(s) };
    if (tagTimer !== undefined || queued) return;
    const wait = lastSaveAt + TAG_SAVE_INTERVAL_MS - performance.now();
    if (wait <= 0) {
      queued = true;
      queueMicrotask(flushTags);
    } else tagTimer = setTimeout(flushTags, wait);
  });
  // The end of a burst still waiting when the page goes: start its save (best effort: the
  // browser may abort a write the page starts while it unloads).
  window.addEventListener('pagehide', flushTags);
  window.addEventListener('beforeunload', flushTags);

  const initial = useAppStore.getState();
  if (initial.awaitingCsv) void restoreUpload(initial.awaitingCsv);
  else if (openedHash === '') {
    // A page opened without a link: offer the latest upload rather than loading it unasked.
    void lastUpload().then(
      (entry) => {
        if (entry && useAppStore.getState().origin?.kind !== 'csv')
          usePersistStore.setState({ offer: { sha256: entry.sha256, fileName: entry.fileName } });
      },
      () => undefined,
    );
  }
  void recount();
  return () => {
    offParsed();
    offStore();
    clearTimeout(tagTimer);
    window.removeEventListener('pagehide', flushTags);
    window.removeEventListener('beforeunload', flushTags);
  };
}
