/**
 * The language-model sweep's state (not shareable, so not in Settings): status, progress and the
 * cells finished so far. Its own store keeps the sweep's updates away from the view's training.
 */
import { create } from 'zustand';
import type { LmSweepCell, LmSweepSpec } from '../../src/lm/sweep';

export type LmSweepStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface LmSweepState {
  status: LmSweepStatus;
  /** What happened, for people (how long it took, why it stopped, what failed). */
  message: string;
  /** The sweep the cells belong to (null before the first). */
  spec: LmSweepSpec | null;
  /** Finished cells, in the order they finished. */
  cells: LmSweepCell[];
  /** Cells in the sweep. */
  total: number;
  /** Training steps done over all cells (finished and in training), of `stepsTotal`. */
  stepsDone: number;
  stepsTotal: number;
  /** Time since the start (ms), updated with the progress. */
  elapsedMs: number;
  /** Workers in the pool. */
  workers: number;
}

export const LM_SWEEP_IDLE: LmSweepState = {
  status: 'idle',
  message: '',
  spec: null,
  cells: [],
  total: 0,
  stepsDone: 0,
  stepsTotal: 0,
  elapsedMs: 0,
  workers: 0,
};

export const useLmSweepStore = create<LmSweepState>(() => ({ ...LM_SWEEP_IDLE }));
