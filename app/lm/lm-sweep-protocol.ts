/** Messages between the page and a language-model sweep worker (lm-sweep.worker.ts). */
import type { LmSweepCell, LmSweepJob, LmSweepSpec } from '../../src/lm/sweep';

/** Train one cell of the sweep (`index` is its place in sweepCells(spec)). */
export type LmSweepCommand = { type: 'train'; spec: LmSweepSpec; job: LmSweepJob; index: number };

export type LmSweepEvent =
  /** Steps done in the cell in training (sent a few times a second, for progress). */
  | { type: 'step'; index: number; step: number }
  | { type: 'cell'; index: number; cell: LmSweepCell }
  /** The cell could not be trained; the message is one line, for people. */
  | { type: 'error'; index: number; message: string };
