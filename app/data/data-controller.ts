/**
 * Keeps the data and the copyright mask in step with the settings: regenerates data in the data
 * worker when the generator settings change, rescales w when the regularisation changes, reapplies
 * the tag rule, and loads uploaded CSVs (reporting progress, keeping the previous data on errors,
 * and checking the file against the SHA-256 a link asked for). A file over the size limit is refused
 * here, before anything reads it; everything else about a file is done in the data worker, which
 * hands back transferred arrays, so no O(n·d) work happens on the main thread.
 */
import { clipEcho } from '../../src/data/echo';
import { fileSizeProblem } from '../../src/data/limits';
import { useAppStore } from '../store/app-store';
import type { Settings } from '../store/settings';
import type { DataCommand, DataEvent, ParsePhase } from '../worker/data-protocol';
import { generatorSpec, scaledDataset } from './generator-spec';
import { maskFromSettings } from './settings-mask';

let worker: Worker | null = null;
let nextId = 1;
/** Id of the newest request: older answers are ignored. */
let latestGenerate = 0;
let latestParse = 0;
/** True while a parsed upload installs its settings and data (they change in two steps). */
let installingUpload = false;
/** The file behind each parse request, handed to {@link onCsvParsed} listeners once it parsed. */
const filesById = new Map<number, File>();
const parsedListeners = new Set<(file: File, sha256: string) => void>();

/**
 * Calls `fn` with each uploaded file that parsed and became the data (app/persist stores it so
 * it survives a reload). Returns the unsubscribe function.
 */
export function onCsvParsed(fn: (file: File, sha256: string) => void): () => void {
  parsedListeners.add(fn);
  return () => parsedListeners.delete(fn);
}

function dataWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../worker/data.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (m: MessageEvent<DataEvent>) => onEvent(m.data);
    worker.onerror = (e) => {
      e.preventDefault();
      useAppStore
        .getState()
        .setDataError('The data worker stopped unexpectedly; reload the page to try again.');
    };
  }
  return worker;
}

function send(command: DataCommand): void {
  dataWorker().postMessage(command);
}

/**
 * Where each parse phase sits on the one progress bar: reading a local file is quick next to
 * parsing its text (parsing 90 MB took about 6 s on a test machine), so reading fills the first fifth.
 */
const PHASE_SPAN: Record<ParsePhase, { from: number; to: number; label: string }> = {
  reading: { from: 0, to: 0.2, label: 'Reading the file…' },
  parsing: { from: 0.2, to: 1, label: 'Parsing the CSV…' },
};

/** The loading bar's label and position (0 to 1) for a phase that has got `fraction` of the way. */
export function parseProgress(phase: ParsePhase, fraction: number): { label: string; progress: number } {
  const span = PHASE_SPAN[phase];
  const clamped = Math.min(Math.max(fraction, 0), 1);
  return { label: span.label, progress: span.from + (span.to - span.from) * clamped };
}

function onEvent(event: DataEvent): void {
  const store = useAppStore.getState();
  switch (event.type) {
    case 'generated': {
      if (event.id !== latestGenerate) return;
      const baseW = event.dataset.w;
      store.setLoading({ busy: false, label: '', progress: 0 });
      store.setData({
        dataset: scaledDataset(event.dataset, baseW, store.settings.reg),
        baseW,
        featureNames: event.featureNames,
        clusters: event.clusters,
        origin: { kind: 'generated', spec: { ...store.settings.gen } },
      });
      // setData applies the tag rule to the new rows itself (app-store.ts).
      break;
    }
    case 'progress': {
      if (event.id !== latestParse) return;
      store.setLoading({ busy: true, ...parseProgress(event.phase, event.fraction) });
      break;
    }
    case 'parsed': {
      if (event.id !== latestParse) return;
      const file = filesById.get(event.id);
      filesById.clear();
      const awaiting = store.awaitingCsv;
      const notices = [...event.notices];
      if (awaiting && awaiting !== event.sha256) {
        notices.unshift(
          `This file does not match the link: the link expects SHA-256 ${awaiting.slice(0, 12)}…, the file has ${event.sha256.slice(0, 12)}…. Results may differ from the link.`,
        );
      } else if (awaiting) {
        notices.unshift('The file matches the link (same SHA-256).');
      }
      // A file chosen for a link keeps the link's tags and w; a fresh upload uses the file's own.
      const fromLink = awaiting !== null;
      installingUpload = true;
      try {
        store.updateSettings((s) => {
          s.source = 'csv';
          s.csvHash = event.sha256;
          if (!fromLink) {
            s.reg = 1;
            if (event.hasCopyrightColumn) s.tagRule = { kind: 'manual' };
          }
        });
        const settings = useAppStore.getState().settings;
        const baseW = event.dataset.w;
        store.setLoading({ busy: false, label: '', progress: 0 });
        store.setAwaitingCsv(null);
        store.setData({
          dataset: scaledDataset(event.dataset, baseW, settings.reg),
          baseW,
          featureNames: event.featureNames,
          clusters: null,
          origin: { kind: 'csv', fileName: event.fileName, sha256: event.sha256, notices },
          csvMask: !fromLink && event.hasCopyrightColumn ? event.mask : null,
        });
      } finally {
        installingUpload = false;
      }
      if (file) for (const fn of parsedListeners) fn(file, event.sha256);
      break;
    }
    case 'failed':
      if (event.id !== latestParse && event.id !== latestGenerate) return;
      store.setDataError(event.message);
      break;
  }
}

/**
 * Parses an uploaded file off the main thread. A file over DATA_LIMITS.fileBytesMax is refused at
 * once from its size (nothing is read, the current data stays, and a pending upload goes on).
 */
export function loadCsvFile(file: File): void {
  const tooLarge = fileSizeProblem(file.size);
  if (tooLarge) {
    useAppStore.getState().setDataError(`${clipEcho(file.name)}: ${tooLarge}`);
    return;
  }
  const id = nextId++;
  latestParse = id;
  useAppStore.getState().setDataError(null);
  useAppStore.getState().setLoading({ busy: true, ...parseProgress('reading', 0) });
  filesById.set(id, file);
  send({ type: 'parse', id, file });
}

function regenerate(s: Settings): void {
  const id = nextId++;
  latestGenerate = id;
  latestParse = 0; // a pending upload no longer applies
  useAppStore.getState().setLoading({ busy: true, label: 'Generating data…', progress: 0.5 });
  send({ type: 'generate', id, spec: generatorSpec(s) });
}

/** Recomputes the mask from the tag rule (manual tags are kept as they are). */
export function applyRule(): void {
  const { settings, dataset, clusters, setMask, setDataError } = useAppStore.getState();
  if (!dataset || settings.tagRule.kind === 'manual') return;
  const { mask, notice } = maskFromSettings(settings, dataset.n, clusters);
  setMask(mask);
  if (notice) setDataError(notice);
}

function sameGen(a: Settings, b: Settings): boolean {
  return JSON.stringify(a.gen) === JSON.stringify(b.gen) && a.source === b.source;
}

/** Starts following the settings; call once after the URL has been read. */
export function startDataSync(): () => void {
  const initial = useAppStore.getState().settings;
  if (initial.source === 'csv') useAppStore.getState().setAwaitingCsv(initial.csvHash);
  else regenerate(initial);

  return useAppStore.subscribe((state, prev) => {
    const s = state.settings;
    const p = prev.settings;
    if (s === p) return;
    if (s.source === 'generate' && !sameGen(s, p)) {
      useAppStore.getState().setAwaitingCsv(null);
      regenerate(s);
      return;
    }
    // Settings that name another uploaded file (a pasted link): as when the link is opened fresh,
    // the page holds no data and asks for the file, instead of keeping data the link does not name.
    const namesOtherFile =
      s.source === 'csv' &&
      (p.source !== 'csv' || s.csvHash !== p.csvHash) &&
      !(state.origin?.kind === 'csv' && state.origin.sha256 === s.csvHash);
    if (namesOtherFile && !installingUpload) {
      // A generation or an upload still under way no longer applies, as on a page opened fresh.
      latestGenerate = 0;
      latestParse = 0;
      filesById.clear();
      useAppStore.getState().clearData();
      useAppStore.getState().setAwaitingCsv(s.csvHash);
      return;
    }
    if (s.reg !== p.reg && state.dataset && state.baseW) {
      useAppStore.setState({ dataset: scaledDataset(state.dataset, state.baseW, s.reg) });
    }
    if (JSON.stringify(s.tagRule) !== JSON.stringify(p.tagRule)) applyRule();
    // A pasted link with other manual tags: decoded as when the link is opened fresh (a bitset
    // that does not fit tags no rows, with a notice); our own edits already match the mask.
    if (s.tagRule.kind === 'manual' && s.manualBits !== p.manualBits)
      useAppStore.getState().applyManualBits();
  });
}
