/**
 * Core types of the copyright-regression problem (math.md §4.1). Float64 throughout; matrices are
 * dense and row-major (entry (i, j) of an r×c matrix sits at index i*c + j).
 */

import type { MethodName } from './methods';

/** Which f1 the copyright term uses (math.md §3). */
export type Reading = 'global' | 'separate';

/** The data of a problem: shared by every configuration of a sweep. */
export interface Dataset {
  /** Number of rows (data points). */
  n: number;
  /** Number of features (length of x). */
  d: number;
  /** n×d row-major. */
  A: Float64Array;
  /** Target, length n; a probability vector (non-negative, sums to 1). */
  b: Float64Array;
  /** Regularisation weights, length n (the diagonal of the paper's W); 0 means none. */
  w: Float64Array;
}

/** What may differ between configurations over the same data. */
export interface ObjectiveConfig {
  /**
   * The protection method's strength s ≥ 0: γc, the weight of the paper's γc/ℓ1 term, for the
   * paper's method (the default); s of F(ℓ1, ℓ2) for the others (methods.ts, math.md §9).
   */
  gammaC: number;
  /** Length n; 1 marks a copyrighted row. Any rows, not only a leading block. */
  mask: Uint8Array;
  /** Default 'global' (reading A). The methods other than the paper's are defined under 'global' only. */
  reading: Reading;
  /** The protection objective (absent: 'paper', the paper's γc/ℓ1). */
  method?: MethodName;
  /** τ-target's target gap t > 0 (absent: DEFAULT_TAU_TARGET); other methods ignore it. */
  tauTarget?: number;
}

/** A single problem: data plus objective. */
export interface Problem extends Dataset, ObjectiveConfig {}

/** Loss and its parts at one x (math.md §4.1, §5.1). */
export interface LossParts {
  /** L = F(ℓ1, ℓ2) + ½‖w∘Ax‖²; the paper's: ½ℓ + γc/ℓ1 + ½‖w∘Ax‖². */
  L: number;
  /** ℓ = ‖f − b‖². */
  l: number;
  /** ℓ1 = ‖m∘(φ − b)‖², the squared error on the copyrighted rows. */
  l1: number;
  /** ℓ2 = ℓ − ℓ1. */
  l2: number;
  /** ½‖w∘Ax‖². */
  reg: number;
  /** τ = ℓ1/n1 − ℓ2/n2 (NaN when n1 = 0 or n2 = 0). */
  tau: number;
  /** Number of copyrighted rows. */
  n1: number;
  /** n − n1. */
  n2: number;
}

/** Loss parts plus optional derivatives. */
export interface Evaluation extends LossParts {
  /** ∇L, length d. */
  grad?: Float64Array;
  /** ∇²L, d×d row-major, symmetric. */
  hessian?: Float64Array;
}
