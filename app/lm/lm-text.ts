/**
 * The language-model view's uploaded text: read from a .txt in this browser (never sent anywhere),
 * kept in IndexedDB under its SHA-256 so a reload or a link finds it again, and named in the link
 * by that hash (`ltxt`) with its tagged selections (`lsel`). A link naming a text this browser does
 * not have says so and trains nothing until the file is chosen.
 */
import { create } from 'zustand';
import { mergeSelections, type UploadedText } from '../../src/lm/corpus';
import { LM_TEXT_LIMITS, lmTextSizeProblem, readLmText } from '../../src/lm/text-file';
import type { LmTrainSpec } from '../../src/lm/training';
import { getLmText, saveLmText, storageAvailable } from '../persist/local-store';
import { useAppStore } from '../store/app-store';
import type { LmSettings } from '../store/settings';
import { sha256Hex } from '../worker/sha256';
import { lmSpecFrom } from './lm-config';

export interface LmTextState {
  /** The text in memory and the SHA-256 of the file it came from, or null. */
  loaded: { sha256: string; fileName: string; text: string } | null;
  /** A problem with the last file chosen, or with finding the link's text. */
  message: string;
  /** True while a file is read or the stored copy looked up. */
  busy: boolean;
}

export const useLmText = create<LmTextState>(() => ({ loaded: null, message: '', busy: false }));

const short = (sha: string): string => `${sha.slice(0, 12)}…`;

/** The uploaded text the settings train on: none (the grammar's), the text, or why it is missing. */
export function currentUpload(): { ok: true; upload?: UploadedText } | { ok: false; reason: string } {
  const { sha256, selections } = useAppStore.getState().settings.lmText;
  if (sha256 === '') return { ok: true };
  const { loaded } = useLmText.getState();
  if (!loaded || loaded.sha256 !== sha256)
    return {
      ok: false,
      reason: `These settings train on an uploaded text (SHA-256 ${short(sha256)}) that this browser does not have: choose that .txt file, or switch to the generated text.`,
    };
  return { ok: true, upload: { content: loaded.text, selections } };
}

/** The trainer's spec for these language-model settings and the current text, or why not. */
export function lmSpecNow(
  lm: LmSettings = useAppStore.getState().settings.lm,
): { ok: true; spec: LmTrainSpec } | { ok: false; reason: string } {
  const got = currentUpload();
  return got.ok ? lmSpecFrom(lm, got.upload) : got;
}

/**
 * Reads a chosen .txt: refused from its size before reading, then decoded and checked (the
 * message names the line and column); a refused file changes nothing. A file with the SHA-256 the
 * link names keeps the link's selections; another starts with none.
 */
export async function chooseLmTextFile(file: File): Promise<void> {
  const tooBig = lmTextSizeProblem(file.size);
  if (tooBig) {
    useLmText.setState({ message: `${file.name}: ${tooBig}` });
    return;
  }
  useLmText.setState({ busy: true, message: '' });
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const read = readLmText(bytes);
    if (!read.ok) {
      useLmText.setState({ busy: false, message: `${file.name}: ${read.message}` });
      return;
    }
    const sha256 = await sha256Hex(bytes);
    const wanted = useAppStore.getState().settings.lmText.sha256;
    useLmText.setState({
      busy: false,
      loaded: { sha256, fileName: file.name, text: read.text },
      message: read.notices.length ? `${file.name}: ${read.notices.join('; ')}.` : '',
    });
    useAppStore.getState().updateSettings((s) => {
      if (s.lmText.sha256 !== sha256) s.lmText = { sha256, selections: [] };
    });
    if (wanted !== '' && wanted !== sha256)
      useLmText.setState({
        message: `${file.name} is not the text the link named (SHA-256 ${short(wanted)}); it has ${short(sha256)}, and its selections start empty.`,
      });
    if (storageAvailable()) await saveLmText(sha256, file.name, new Blob([bytes])).catch(() => undefined);
  } catch (e) {
    useLmText.setState({
      busy: false,
      message: `${file.name} could not be read: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
}

/** Looks up the text the settings name in this browser's storage (after a reload or from a link). */
export async function findStoredLmText(): Promise<void> {
  const { sha256 } = useAppStore.getState().settings.lmText;
  const { loaded } = useLmText.getState();
  if (sha256 === '' || loaded?.sha256 === sha256 || !storageAvailable()) return;
  useLmText.setState({ busy: true });
  try {
    const stored = await getLmText(sha256);
    if (!stored) return;
    const bytes = new Uint8Array(await stored.file.arrayBuffer());
    const read = readLmText(bytes);
    // The settings may have moved on while this was read.
    if (read.ok && useAppStore.getState().settings.lmText.sha256 === sha256)
      useLmText.setState({ loaded: { sha256, fileName: stored.fileName, text: read.text }, message: '' });
  } catch {
    // Storage unavailable or the entry unreadable: the view asks for the file.
  } finally {
    useLmText.setState({ busy: false });
  }
}

/** Switches back to the grammar's generated text (the uploaded one stays in memory for later). */
export function switchToGeneratedText(): void {
  useAppStore.getState().updateSettings((s) => (s.lmText = { sha256: '', selections: [] }));
}

/** Switches to the uploaded text in memory, with no selections. */
export function switchToUploadedText(): void {
  const { loaded } = useLmText.getState();
  if (loaded)
    useAppStore.getState().updateSettings((s) => (s.lmText = { sha256: loaded.sha256, selections: [] }));
}

/**
 * Tags [start, end) of the uploaded text, merged with the other selections; refused (with the
 * reason returned) when it is empty or would make more than LM_TEXT_LIMITS.selectionsMax spans.
 */
export function tagSelection(start: number, end: number): string | null {
  const { loaded } = useLmText.getState();
  if (!loaded) return 'Upload a text first.';
  const from = Math.max(0, Math.min(start, end));
  const to = Math.min(loaded.text.length, Math.max(start, end));
  if (loaded.text.slice(from, to).trim() === '') return 'Select some text in the box first.';
  const now = useAppStore.getState().settings.lmText.selections;
  const merged = mergeSelections([...now, [from, to]], loaded.text.length);
  if (merged.length > LM_TEXT_LIMITS.selectionsMax)
    return `At most ${LM_TEXT_LIMITS.selectionsMax} separate spans can be tagged; untag one, or select a span that joins two.`;
  useAppStore.getState().updateSettings((s) => (s.lmText.selections = merged));
  return null;
}

/** Untags the span [start, end) as shown (every stored selection inside it). */
export function untagSelection(start: number, end: number): void {
  useAppStore.getState().updateSettings((s) => {
    s.lmText.selections = s.lmText.selections.filter(([a, b]) => b <= start || a >= end);
  });
}
