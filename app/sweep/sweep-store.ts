/**
 * State of the sweep (not shareable, so not in Settings): its status, progress and the cells
 * finished so far. A store of its own keeps the sweep's many small updates away from the
 * single-run components, which subscribe to the app store.
 */
import { create } from 'zustand';
import type { SweepCell, SweepProgress } from '../../src/engine/sweep';
import type { SweepSettings } from '../store/settings';

/** Where the sweep stands. */
export type SweepStatus = 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'error';

/** The sweep's state and its setters. */
export interface SweepState {
  status: SweepStatus;
  /** What happened, for people (why it stopped, what failed, how long it took). */
  message: string;
  progress: SweepProgress;
  /** Finished cells, in the order they finished. */
  cells: SweepCell[];
  /** The grid the cells belong to (null before the first sweep). */
  grid: SweepSettings | null;
  /** Which engine ran it, in words. */
  backendLabel: string;
  /** Starts a fresh sweep over `grid`. */
  begin(grid: SweepSettings, total: number, backendLabel: string): void;
  /** Adds finished cells and the latest progress. */
  report(progress: SweepProgress, cells: SweepCell[]): void;
  finish(status: Exclude<SweepStatus, 'idle' | 'starting' | 'running'>, message: string): void;
  /** Forgets the results (the settings they were computed for changed). */
  clear(message: string): void;
}

/** Creates the store; a factory so unit tests get a fresh one. */
export function createSweepStore() {
  return create<SweepState>()((set, get) => ({
    status: 'idle',
    message: '',
    progress: { done: 0, total: 0, iteration: 0 },
    cells: [],
    grid: null,
    backendLabel: '',
    begin(grid, total, backendLabel) {
      set({
        status: 'starting',
        message: '',
        progress: { done: 0, total, iteration: 0 },
        cells: [],
        grid,
        backendLabel,
      });
    },
    report(progress, cells) {
      const status = get().status === 'starting' ? 'running' : get().status;
      set({ progress, status, ...(cells.length ? { cells: [...get().cells, ...cells] } : {}) });
    },
    finish(status, message) {
      set({ status, message });
    },
    clear(message) {
      set({ status: 'idle', message, cells: [], grid: null, progress: { done: 0, total: 0, iteration: 0 } });
    },
  }));
}

/** The page's sweep store. */
export const useSweepStore = createSweepStore();
