/**
 * The one zustand store of the playground, in slices:
 * - settings: the shareable face (mirrored into the URL hash by url-sync.ts);
 * - data: the current Dataset and where it came from (generated, or an uploaded CSV);
 * - tags: the copyright mask derived from the tag rule or the manual bitset;
 * - run: the coarse state of the current run (status, message, final result);
 * - backend: which engine is in use and why.
 * Per-iteration progress does not live here: it goes through the progress channel
 * (app/run/progress.ts) so that fast solver updates never re-render React.
 */
import { create } from 'zustand';
import type { Dataset, LossParts } from '../../src/math/types';
import { encodeMaskBitset } from '../../src/data/tagging';
import { maskFromSettings } from '../data/settings-mask';
import {
  DEFAULT_SETTINGS,
  cloneSettings,
  type GeneratorSettings,
  type Settings,
  type TagRule,
} from './settings';

/** Where the current data came from. */
export type DataOrigin =
  | { kind: 'generated'; spec: GeneratorSettings }
  | { kind: 'csv'; fileName: string; sha256: string; notices: string[] };

/** The data slice. `dataset.w` already includes the reg multiplier. */
export interface DataSlice {
  /** The data the solver runs on; null until the first data is ready. */
  dataset: Dataset | null;
  /** The w before scaling by settings.reg (generator's U[0.5, 1.5] draws, or the CSV's column). */
  baseW: Float64Array | null;
  featureNames: string[];
  /** Cluster label of each row (clusters generator only). */
  clusters: Int32Array | null;
  /** Copyright tags that came in a CSV's column, used when the rule is manual after an upload. */
  origin: DataOrigin | null;
  /** Data-loading state shown in the data panel. */
  loading: { busy: boolean; label: string; progress: number };
  /** The last data error (with line and column for CSVs); the previous data is kept. */
  dataError: string | null;
  /** A link named an uploaded CSV: the hash it expects, until the matching file is given. */
  awaitingCsv: string | null;
}

/** Final outcome of a run (from SolveResult), kept for the readout and the e2e tests. */
export interface RunOutcome {
  status: 'converged' | 'max-iter' | 'diverged' | 'stalled';
  reason: string;
  iterations: number;
  parts: LossParts;
  gradNorm: number;
  /** The twin's parts, when the twin ran. */
  twinParts: LossParts | null;
  /**
   * A converged earlier run on the same problem (data, tags, γc, reading) with another solver or
   * start that reached a different stationary point: the objective is not convex here.
   */
  otherMinimum?: { method: string; L: number; tau: number; distance: number } | null;
}

/** Coarse run state (changes a few times per run, so React may render it). */
export interface RunSlice {
  runStatus: 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'error';
  /** Friendly message: why a run paused or stopped, or what went wrong. */
  runMessage: string;
  outcome: RunOutcome | null;
}

/** Which engine is in use. */
export interface BackendSlice {
  /** The engine actually used for the next/current run. */
  activeBackend: 'cpu' | 'gpu' | null;
  /** Adapter description when the GPU is in use, "CPU float64 (Web Worker)" otherwise. */
  backendLabel: string;
  /** Why WebGPU is not in use, when it was wanted (auto or forced). */
  fallbackReason: string | null;
  /**
   * How the CPU worker runs its passes over the data, as its engine reports it once a run has
   * evaluated (e.g. "WebAssembly SIMD × 2 row shards"); null before that or on the GPU.
   */
  cpuKernels: string | null;
}

/** Notices about the link (what was clamped or reset), shown until dismissed. */
export interface NoticeSlice {
  linkNotices: string[];
}

export interface AppActions {
  /** Replaces the settings wholesale (used by the URL parser). */
  replaceSettings(s: Settings, notices?: string[]): void;
  /** Applies a change to a copy of the settings. */
  updateSettings(change: (draft: Settings) => void): void;
  /** Installs new data (keeps tags consistent with the rule). */
  setData(data: {
    dataset: Dataset;
    baseW: Float64Array;
    featureNames: string[];
    clusters: Int32Array | null;
    origin: DataOrigin;
    csvMask?: Uint8Array | null;
  }): void;
  /** Forgets the data (the settings name a file that is not loaded yet), as on a fresh page. */
  clearData(): void;
  setLoading(loading: DataSlice['loading']): void;
  setDataError(message: string | null): void;
  setAwaitingCsv(hash: string | null): void;
  /** Sets the copyright tag of rows [from, to] (inclusive) to `value`, switching to manual tags. */
  setRowTags(rows: Iterable<number>, value: boolean): void;
  /** Toggles one row (switching to manual tags). */
  toggleRow(row: number): void;
  /**
   * Decodes the settings' manual bitset over the current rows (a pasted link): no rows tagged, a
   * notice, and the bitset dropped when it does not fit — exactly as when the link is opened fresh.
   */
  applyManualBits(): void;
  /** Sets the mask directly (from a rule computed elsewhere). */
  setMask(mask: Uint8Array): void;
  setRun(run: Partial<RunSlice>): void;
  setBackend(b: Partial<BackendSlice>): void;
  dismissNotices(): void;
}

export interface AppState extends DataSlice, RunSlice, BackendSlice, NoticeSlice, AppActions {
  settings: Settings;
  /** The copyright mask (length n), derived from the rule or the manual bitset. */
  mask: Uint8Array;
  /** Number of copyrighted rows. */
  n1: number;
}

function countOnes(mask: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < mask.length; i++) k += mask[i];
  return k;
}

/**
 * The mask the settings give over n rows and what else that changes in the store: a manual bitset
 * that does not fit tags no rows, adds a notice and leaves the settings (so the rewritten link does
 * not carry it on); a rule that cannot apply tags no rows and sets the data error.
 */
function settingsMask(
  s: Settings,
  n: number,
  clusters: Int32Array | null,
  linkNotices: string[],
): Pick<AppState, 'mask'> & Partial<Pick<AppState, 'settings' | 'linkNotices' | 'dataError'>> {
  const { mask, notice } = maskFromSettings(s, n, clusters);
  if (!notice) return { mask };
  if (s.tagRule.kind !== 'manual') return { mask, dataError: notice };
  return { mask, linkNotices: [...linkNotices, notice], settings: { ...cloneSettings(s), manualBits: '' } };
}

/** Creates the store; exported as a factory so unit tests get a fresh one. */
export function createAppStore(initial: Settings = DEFAULT_SETTINGS) {
  return create<AppState>()((set, get) => ({
    settings: cloneSettings(initial),
    linkNotices: [],
    dataset: null,
    baseW: null,
    featureNames: [],
    clusters: null,
    origin: null,
    loading: { busy: false, label: '', progress: 0 },
    dataError: null,
    awaitingCsv: null,
    mask: new Uint8Array(0),
    n1: 0,
    runStatus: 'idle',
    runMessage: '',
    outcome: null,
    activeBackend: null,
    backendLabel: '',
    cpuKernels: null,
    fallbackReason: null,

    replaceSettings(s, notices = []) {
      set({ settings: cloneSettings(s), linkNotices: notices });
    },
    updateSettings(change) {
      const draft = cloneSettings(get().settings);
      change(draft);
      set({ settings: draft });
    },
    setData({ dataset, baseW, featureNames, clusters, origin, csvMask }) {
      const s = get().settings;
      // A CSV's own copyright column becomes the manual tags; otherwise the settings' tags, in the
      // same update as the data: a run waiting for the data (run-controller.ts) must never see new
      // rows with the old or an empty mask.
      const { mask, ...extra } =
        s.tagRule.kind === 'manual' && csvMask
          ? { mask: csvMask, settings: { ...cloneSettings(s), manualBits: encodeMaskBitset(csvMask) } }
          : settingsMask(s, dataset.n, clusters, get().linkNotices);
      set({
        dataset,
        baseW,
        featureNames,
        clusters,
        origin,
        dataError: null,
        ...extra,
        mask,
        n1: countOnes(mask),
      });
      // The run is not touched here: run-sync.ts clears a run whose data changed, with a word.
    },
    clearData() {
      set({
        dataset: null,
        baseW: null,
        featureNames: [],
        clusters: null,
        origin: null,
        mask: new Uint8Array(0),
        n1: 0,
        loading: { busy: false, label: '', progress: 0 },
      });
    },
    setLoading(loading) {
      set({ loading });
    },
    setDataError(message) {
      set({ dataError: message, loading: { busy: false, label: '', progress: 0 } });
    },
    setAwaitingCsv(hash) {
      set({ awaitingCsv: hash });
    },
    setRowTags(rows, value) {
      const mask = new Uint8Array(get().mask);
      for (const r of rows) if (r >= 0 && r < mask.length) mask[r] = value ? 1 : 0;
      const settings = cloneSettings(get().settings);
      settings.tagRule = { kind: 'manual' };
      settings.manualBits = encodeMaskBitset(mask);
      set({ mask, n1: countOnes(mask), settings });
    },
    toggleRow(row) {
      get().setRowTags([row], get().mask[row] !== 1);
    },
    applyManualBits() {
      const { settings, dataset, mask } = get();
      if (!dataset || settings.tagRule.kind !== 'manual') return;
      if (encodeMaskBitset(mask) === settings.manualBits && mask.length === dataset.n) return;
      const next = settingsMask(settings, dataset.n, null, get().linkNotices);
      set({ ...next, n1: countOnes(next.mask) });
    },
    setMask(mask) {
      set({ mask, n1: countOnes(mask) });
    },
    setRun(run) {
      set(run);
    },
    setBackend(b) {
      set(b);
    },
    dismissNotices() {
      set({ linkNotices: [] });
    },
  }));
}

/** The app's store instance. */
export const useAppStore = createAppStore();

/** Convenience type for the tag rule of the current settings. */
export type { TagRule };
