/** Messages between the page and the sweep worker (the CPU engine's sweeps). */
import type { SweepCell, SweepProgress, SweepSpec } from '../../src/engine/sweep';
import type { Dataset } from '../../src/math/types';

/** What the page sends: one sweep per worker; cancelling terminates the worker. */
export interface SweepStart {
  type: 'start';
  dataset: Dataset;
  spec: SweepSpec;
}

/** What the worker sends back. */
export type SweepEvent =
  /** After each batched iteration: progress and the cells that finished since the last message. */
  | { type: 'progress'; progress: SweepProgress; cells: SweepCell[] }
  | { type: 'done'; elapsedMs: number; batchSize: number }
  | { type: 'error'; message: string };
