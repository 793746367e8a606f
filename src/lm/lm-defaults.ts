/**
 * The LM view's default experiment (issue 13), tuned on the float64 reference so that the γ = 0
 * twin memorises (it reproduces a protected passage and ranks the canary first) while γ = 0.2
 * keeps the copyrighted text's CE well above the twin's at a small cost in perplexity
 * (training-claims.test.ts counts how often over seeds). One definition for the tests and the CLI.
 */
import type { LmTrainSpec } from './training';

/** Random secrets of the canary's format a canary's exposure is measured against. */
export const EXPOSURE_CANDIDATES = 200;

/** Steps of the default experiment (the claim is checked there). */
export const DEFAULT_LM_STEPS = 400;

/** The default spec for a seed. */
export function defaultLmSpec(seed: number, gamma = 0.2): LmTrainSpec {
  return {
    corpus: { seed, passages: 40, sentences: 2, fraction: 0.1, canaries: 1, repeats: 30, validation: 0.2 },
    model: { width: 24, heads: 2, layers: 1, context: 32, tiedHead: true },
    gamma,
    batch: 8,
    lr: 0.01,
    weightDecay: 0,
    seed,
    promptChars: 20,
    candidates: EXPOSURE_CANDIDATES,
  };
}
