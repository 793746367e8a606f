/** Messages between the page and the language-model worker (lm.worker.ts). */
import type { LmMetrics, LmTrainSpec } from '../../src/lm/training';

export type LmCommand =
  | { type: 'start'; spec: LmTrainSpec; steps: number; every: number; autoplay: boolean }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' };

export interface LmPoint {
  step: number;
  run: LmMetrics;
  twin: LmMetrics;
}

export type LmEvent =
  | { type: 'ready'; characters: number; vocabulary: number; protectedPassages: number; parameters: number }
  | { type: 'metrics'; point: LmPoint; tokensPerSecond: number }
  | { type: 'state'; state: 'running' | 'paused' | 'finished' }
  | { type: 'error'; message: string };
