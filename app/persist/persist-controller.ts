/**
 * Keeps uploaded data and its tags in this browser (local-store.ts) and brings them back: when a
 * link or a manifest asks for an uploaded CSV by SHA-256 and this browser has it, it is loaded
 * without asking; a page opened without a link offers the latest upload. Status for the UI lives
 * in a small zustand store.
 */
import { create } from 'zustand';
import { loadCsvFile, onCsvParsed } from '../data/data-controller';
import { useAppStore } from '../store/app-store';
import {
  clearLocalData,
  countUploads,
  getUpload,
  lastUpload,
  saveTags,
  saveUpload,
  storageAvailable,
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
  say(`Loaded ${entry.fileName} from this browser's storage.`);
  return true;
}

/** Loads the offered latest upload with the tags it was last used with. */
export async function acceptOffer(): Promise<void> {
  const offer = usePersistStore.getState().offer;
  if (!offer) return;
  usePersistStore.setState({ offer: null });
  const entry = await getUpload(offer.sha256);
  if (!entry) {
    say('That data is no longer stored in this browser.');
    return;
  }
  // Tags are applied once the file has become the data, so they are decoded against its rows.
  const off = useAppStore.subscribe((state) => {
    if (state.origin?.kind !== 'csv' || state.origin.sha256 !== entry.sha256) return;
    off();
    const tags = entry.tags;
    if (tags) {
      useAppStore.getState().updateSettings((s) => {
        s.tagRule = tags.tagRule;
        s.manualBits = tags.manualBits;
        s.reg = tags.reg;
      });
    }
  });
  useAppStore.getState().setAwaitingCsv(entry.sha256);
  loadCsvFile(asFile(entry));
  say(`Loaded ${entry.fileName} from this browser's storage${entry.tags ? ', with its tags' : ''}.`);
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
 * Starts storing uploads and their tags, and restores what links ask for. Call once after the
 * data sync has started (it reacts to the `awaitingCsv` the link set).
 */
export function startPersistence(): () => void {
  if (!storageAvailable()) {
    say('This browser offers no local storage (IndexedDB); uploads will not survive a reload.');
    return () => undefined;
  }
  const offParsed = onCsvParsed((file, sha256) => {
    restoring.clear();
    saveUpload(sha256, file.name, file).then(recount, () =>
      say('This upload could not be stored in this browser (storage full or blocked).'),
    );
  });

  let tagTimer: ReturnType<typeof setTimeout> | undefined;
  const offStore = useAppStore.subscribe((state, prev) => {
    if (state.awaitingCsv && state.awaitingCsv !== prev.awaitingCsv) void restoreUpload(state.awaitingCsv);
    const origin = state.origin;
    if (origin?.kind !== 'csv') return;
    const s = state.settings;
    const p = prev.settings;
    if (
      s.tagRule === p.tagRule &&
      s.manualBits === p.manualBits &&
      s.reg === p.reg &&
      state.origin === prev.origin
    )
      return;
    clearTimeout(tagTimer);
    tagTimer = setTimeout(() => {
      const now = useAppStore.getState().settings;
      void saveTags(origin.sha256, {
        tagRule: now.tagRule,
        manualBits: now.manualBits,
        reg: now.reg,
      }).catch(() => undefined);
    }, 300);
  });

  const initial = useAppStore.getState();
  if (initial.awaitingCsv) void restoreUpload(initial.awaitingCsv);
  else if (window.location.hash.replace(/^#/, '') === '') {
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
  };
}
