/** Messages between the page and the language-model worker (lm.worker.ts, lm-session.ts). */
import type { LmMetrics, LmTrainSpec } from '../../src/lm/training';

export type LmCommand =
  | {
      type: 'start';
      spec: LmTrainSpec;
      steps: number;
      every: number;
      autoplay: boolean;
      /** Without autoplay: train one step after measuring step 0 (the Step button on a new training). */
      firstStep?: boolean;
      /** The page's backend: WebGPU is tried in the worker when it is 'gpu'. */
      backend: 'cpu' | 'gpu';
    }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' };

export interface LmPoint {
  step: number;
  run: LmMetrics;
  twin: LmMetrics;
}

export type LmEvent =
  | {
      type: 'ready';
      characters: number;
      vocabulary: number;
      protectedPassages: number;
      parameters: number;
      /** Where the training runs, e.g. "CPU float64 (reference)" or "WebGPU float32 on …". */
      engine: string;
      /** Why WebGPU was wanted but is not used, or null. */
      reason: string | null;
    }
  | {
      /**
       * The training moved to another engine mid-run: the WebGPU device was lost after step
       * `lostAfter`, and the training went on from `resumedFrom` (its last measurement, the last
       * point sent) on the float64 reference.
       */
      type: 'engine';
      engine: string;
      /** What happened, for the page's notice (a sentence without a stack). */
      reason: string;
      lostAfter: number;
      resumedFrom: number;
    }
  | {
      type: 'metrics';
      point: LmPoint;
      /** Tokens per second of both models on the current engine (since it took over). */
      tokensPerSecond: number;
    }
  | { type: 'state'; state: 'running' | 'paused' | 'finished' }
  | { type: 'error'; message: string };
