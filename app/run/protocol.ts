/**
 * Messages between the page and a solver loop (in the CPU solver worker, or in the GPU worker,
 * where gpu-protocol.ts wraps them with the run's id). Every message has a `type` field.
 */
import type {
  EnginePrecision,
  IterationRecord,
  SolveStatus,
  SolverOptions,
  StopCause,
} from '../../src/solve/solvers';
import type { Dataset, LossParts, ObjectiveConfig } from '../../src/math/types';

/** What the page sends. */
export type LoopCommand =
  | {
      type: 'start';
      dataset: Dataset;
      configs: ObjectiveConfig[];
      x0: Float64Array;
      options: SolverOptions;
      /** Start playing right away (otherwise wait for play or step). */
      autoplay: boolean;
      /** Playback speed while playing, iterations per second; 0 = as fast as possible. */
      speed: number;
    }
  | { type: 'speed'; speed: number }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' };

/** Where one configuration of the batch stands, without its history (that streamed already). */
export interface RunSummary {
  x: Float64Array;
  parts: LossParts;
  iterations: number;
  status: SolveStatus;
  reason: string;
  /** Why it stopped, for code ('precision': converged to the engine's precision; 'invalid-start'). */
  cause?: StopCause;
  /** Precision of the engine the run ended on (float64 after a lost GPU device mid-run). */
  precision?: EnginePrecision;
  gradNorm: number;
}

/** What the loop sends back. */
export type LoopEvent =
  /** Iterations since the last progress message: one array per step, one entry per config. */
  | {
      type: 'progress';
      steps: (IterationRecord | null)[][];
      current: RunSummary[];
      /** Milliseconds spent inside the solver for these steps (excludes messaging and pauses). */
      computeMs: number;
    }
  | { type: 'state'; state: 'running' | 'paused' }
  /** A configuration stopped while others go on (e.g. diverged): the loop paused. */
  | { type: 'halted'; index: number; summary: RunSummary }
  | { type: 'done'; results: RunSummary[] }
  /** How the CPU worker's engine runs its passes over A (its kernels, and row shards if any). */
  | { type: 'engine'; kernels: string }
  | { type: 'error'; message: string };
