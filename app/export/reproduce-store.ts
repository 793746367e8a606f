/**
 * The state of "Export and reproduce" that the panel shows: where loading a manifest stands, and the
 * notices the latest manifest put in the notices banner. Small on purpose: the export and reproduce
 * code (reproduce.ts, with the manifest and CSV writers) loads only when one of its buttons is used.
 */
import { create } from 'zustand';
import { useAppStore } from '../store/app-store';

/** Where loading a manifest stands. */
export interface ReproduceState {
  phase: 'idle' | 'error' | 'waiting-data' | 'running' | 'done';
  /** What happened, in words (errors included). */
  message: string;
  /** Whether τ matched, once done; null also when the manifest has no τ to compare. */
  matches: boolean | null;
  /** Whether the data's SHA-256 matched, once the data was ready. */
  dataMatches: boolean | null;
}

/** UI state of the manifest loader. */
export const useReproduceStore = create<ReproduceState>()(() => ({
  phase: 'idle',
  message: '',
  matches: null,
  dataMatches: null,
}));

/** Updates the manifest loader's state. */
export const setPhase = (s: Partial<ReproduceState>): void => useReproduceStore.setState(s);

/** Nothing loaded, nothing to say. */
export const IDLE: ReproduceState = { phase: 'idle', message: '', matches: null, dataMatches: null };

/** The notices the latest manifest put in the notices banner (null: none of ours is shown). */
let shownNotices: string[] | null = null;

/** Remembers the notices a manifest has just put in the notices banner. */
export function noticesShown(notices: readonly string[]): void {
  shownNotices = [...notices];
}

/** Takes the latest manifest's notices off the banner, unless something else has replaced them. */
export function withdrawNotices(): void {
  const mine = shownNotices;
  shownNotices = null;
  if (!mine || mine.length === 0) return;
  const { linkNotices, dismissNotices } = useAppStore.getState();
  if (linkNotices.length === mine.length && linkNotices.every((n, k) => n === mine[k])) dismissNotices();
}

/**
 * Hides the outcome of the latest manifest load (its status line and its notices). Only once it
 * is over (done or error): a load in progress would put its status back when it moves on.
 */
export function dismissReproduce(): void {
  const { phase } = useReproduceStore.getState();
  if (phase !== 'done' && phase !== 'error') return;
  withdrawNotices();
  setPhase(IDLE);
}
