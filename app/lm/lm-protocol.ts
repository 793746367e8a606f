/** Messages between the page and the language-model worker (lm.worker.ts). */
import type { LmMetrics, LmTrainSpec } from '../../src/lm/training';

export type LmCommand =
  | {
      type: 'start';
      spec: LmTrainSpec;
      steps: number;
      every: number;
      autoplay: boolean;
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
  | { type: 'metrics'; point: LmPoint; tokensPerSecond: number }
  | { type: 'state'; state: 'running' | 'paused' | 'finished' }
  | { type: 'error'; message: string };
