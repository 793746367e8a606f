/** The language-model view's state: the training's status, its measurements and what it trains on. */
import { create } from 'zustand';
import type { LmPoint } from './lm-protocol';

export type LmStatus = 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'error';

export interface LmState {
  status: LmStatus;
  message: string;
  history: LmPoint[];
  tokensPerSecond: number;
  corpus: { characters: number; vocabulary: number; protectedPassages: number; parameters: number } | null;
  /** Where the training runs, and why not on WebGPU when it was wanted. */
  engine: string;
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
