/** The language-model view's state: the training's status, its measurements and what it trains on. */
import { create } from 'zustand';
import type { LmPoint } from './lm-protocol';

export type LmStatus = 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'error';

export interface LmState {
  status: LmStatus;
  message: string;
  history: LmPoint[];
  /** Tokens per second of both models on `engine` (since it took over). */
  tokensPerSecond: number;
  corpus: { characters: number; vocabulary: number; protectedPassages: number; parameters: number } | null;
  /**
   * Where the training runs now, e.g. "CPU float64 (reference)" or "WebGPU float32 on …": the
   * engine that tokensPerSecond measures (it changes when a lost GPU hands the training to the CPU).
   */
  engine: string;
  /** Why the training is not on WebGPU when it was wanted (not available, or lost mid-run), or null. */
  engineReason: string | null;
  /** γ of the training shown (the settings may have moved on). */
  gamma: number;
}

export const LM_IDLE: LmState = {
  status: 'idle',
  message: '',
  history: [],
  tokensPerSecond: 0,
  corpus: null,
  gamma: 0,
  engine: '',
  engineReason: null,
};

export const useLmStore = create<LmState>(() => ({ ...LM_IDLE }));
