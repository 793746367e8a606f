/**
 * This browser's own storage of uploaded data (IndexedDB through idb-keyval), so an uploaded CSV
 * and its tags survive a reload. Nothing here is sent anywhere: IndexedDB belongs to this origin
 * in this browser. Entries are keyed by the file's SHA-256, the name links use for it.
 */
import { clear, createStore, del, get, keys, promisifyRequest, set, type UseStore } from 'idb-keyval';
import type { Settings } from '../store/settings';

/** The tag-related settings kept with a data set. */
export type StoredTags = Pick<Settings, 'tagRule' | 'manualBits' | 'reg'>;

/** One stored upload. */
export interface StoredUpload {
  sha256: string;
  fileName: string;
  /** The file's bytes, exactly as uploaded (so its SHA-256 is unchanged when it is read back). */
  file: Blob;
  /** The tags last used with it, when any were saved. */
  tags?: StoredTags;
  savedAt: string;
}

/** Key of the record that names the most recent upload. */
const LAST_KEY = 'last-upload';
const uploadKey = (sha256: string): string => `upload:${sha256}`;

let db: UseStore | null = null;
/** Our own database and object store, so clearing never touches anything else of the origin. */
function store(): UseStore {
  db ??= createStore('copyright-regression-playground', 'local-data');
  return db;
}

/** Whether this browser offers IndexedDB at all (private modes of some browsers do not). */
export function storageAvailable(): boolean {
  return typeof indexedDB !== 'undefined';
}

/**
 * One read-write transaction on the entry at `key`: read it, then `write` puts what it wants in
 * the same transaction. IndexedDB runs read-write transactions on a store in the order they were
 * made, and a transaction started as the page goes away (pagehide) still completes, where a read
 * followed by a separate write could land after a newer write and undo it, or be lost. A put that
 * throws at once (a value it cannot clone) rejects.
 */
function readThenWrite(
  key: string,
  write: (old: StoredUpload | undefined, s: IDBObjectStore) => void,
): Promise<void> {
  return store()(
    'readwrite',
    (s) =>
      new Promise<void>((resolve, reject) => {
        const req = s.get(key) as IDBRequest<StoredUpload | undefined>;
        req.onsuccess = () => {
          try {
            write(req.result, s);
            resolve(promisifyRequest(s.transaction));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        };
        req.onerror = () => reject(req.error ?? new Error('IndexedDB read failed'));
      }),
  );
}

/**
 * Stores an upload (replacing an older copy) with the tags in use, or the older copy's tags when
 * `tags` gives none, and marks it as the latest. `tags` is read when the transaction runs, so a
 * tag save made after this one lands after it, and this one never writes tags older than those in
 * use when it writes.
 */
export async function saveUpload(
  sha256: string,
  fileName: string,
  file: Blob,
  tags: () => StoredTags | undefined = () => undefined,
): Promise<void> {
  const key = uploadKey(sha256);
  await readThenWrite(key, (old, s) => {
    const entry: StoredUpload = { sha256, fileName, file, savedAt: new Date().toISOString() };
    const kept = tags() ?? old?.tags;
    if (kept) entry.tags = kept;
    s.put(entry, key);
    s.put(sha256, LAST_KEY);
  });
}

/** Saves the tags used with a stored upload (ignored when the upload is not stored). */
export async function saveTags(sha256: string, tags: StoredTags): Promise<void> {
  const key = uploadKey(sha256);
  await readThenWrite(key, (old, s) => {
    if (old) s.put({ ...old, tags }, key);
  });
}

/**
 * Tags saved before link version 2 named the w multiplier `wScale`; for an upload its meaning is
 * unchanged (a multiplier of the file's w column), so it is read back as `reg`.
 */
export function migrateTags(entry: StoredUpload | undefined): StoredUpload | undefined {
  const tags = entry?.tags as (StoredTags & { wScale?: number }) | undefined;
  if (!entry || !tags || typeof tags.reg === 'number') return entry;
  const { wScale, ...rest } = tags;
  return { ...entry, tags: { ...rest, reg: typeof wScale === 'number' ? wScale : 1 } };
}

/** The stored upload with this SHA-256, if any. */
export async function getUpload(sha256: string): Promise<StoredUpload | undefined> {
  return migrateTags(await get<StoredUpload>(uploadKey(sha256), store()));
}

/** The most recent stored upload, if any. */
export async function lastUpload(): Promise<StoredUpload | undefined> {
  const sha = await get<string>(LAST_KEY, store());
  return sha ? getUpload(sha) : undefined;
}

/** How many uploads are stored (data files and the language model's texts). */
export async function countUploads(): Promise<number> {
  return (await keys(store())).filter((k) => /^(upload|lm-text):/.test(String(k))).length;
}

/** An uploaded text of the language-model view, kept as uploaded (its SHA-256 names it in links). */
export interface StoredLmText {
  sha256: string;
  fileName: string;
  file: Blob;
  savedAt: string;
}

const lmTextKey = (sha256: string): string => `lm-text:${sha256}`;

/** Stores a language-model text (replacing an older copy of the same bytes). */
export async function saveLmText(sha256: string, fileName: string, file: Blob): Promise<void> {
  const entry: StoredLmText = { sha256, fileName, file, savedAt: new Date().toISOString() };
  await set(lmTextKey(sha256), entry, store());
}

/** The stored language-model text with this SHA-256, if any. */
export async function getLmText(sha256: string): Promise<StoredLmText | undefined> {
  return get<StoredLmText>(lmTextKey(sha256), store());
}

/** Removes everything this page stored; returns how many uploads were removed. */
export async function clearLocalData(): Promise<number> {
  const n = await countUploads();
  await clear(store());
  return n;
}

/** Removes one upload. */
export async function removeUpload(sha256: string): Promise<void> {
  await del(uploadKey(sha256), store());
}
