/**
 * The paper's protection metrics and claims (math.md §5), computed so they can be shown next to
 * what is measured. Nothing here is a guarantee: Theorem 16's bound is a heuristic whose premise
 * usually fails, and Lemma 13's requirement is extremely conservative.
 */
import type { LossParts } from './types';

/**
 * The paper's claimed lower bound on τ (Theorem 16): τ_c = √(2γc)/n1 − ε2/n2. ε2 is meant as an
 * upper bound on ℓ2(x*); by default the measured ℓ2 is used. (§7.2 of the paper prints √2·γc
 * instead; √(2γc) is the value that follows from minimising t/2 + γc/t.)
 */
export function tauBound(gammaC: number, n1: number, n2: number, eps2: number): number {
  if (n1 <= 0 || n2 <= 0) return NaN;
  return Math.sqrt(2 * gammaC) / n1 - eps2 / n2;
}

/** Lemma 13's constant k = 8 + 200·γc·γ⁻³, with γ the assumed lower bound on ℓ1. */
export function lemma13Kernel(gammaC: number, gamma: number): number {
  return 8 + 200 * gammaC * Math.pow(gamma, -3);
}

/** Inputs for {@link paperClaims}. */
export interface ClaimInputs {
  parts: LossParts;
  gammaC: number;
  /** min_i w_i² over the rows. */
  minW2: number;
  /** σ_min(A) of the tall data matrix; needed only when l > 0. */
  sigmaMinA?: number;
  /** λ_min(∇²L) at the point, when known. */
  lambdaMin?: number;
  /** ε2 for τ_c; defaults to the measured ℓ2. */
  eps2?: number;
  /** l in Lemma 13 (the curvature asked for); default 0. */
  l?: number;
}

/** Each claim with the measured value beside it. */
export interface ClaimsReport {
  /** Measured τ. */
  tau: number;
  /** The paper's claimed bound τ_c. */
  tauC: number;
  /** τ ≥ τ_c? */
  tauAtLeastBound: boolean;
  /** Theorem 16 premise ℓ1 ≥ √(2γc). */
  premise: { l1: number; required: number; holds: boolean };
  /** Lemma 13: w_i² ≥ 8 + 200γcγ⁻³ + l/σ_min(A)² with γ := ℓ1. */
  lemma13: { required: number; minW2: number; holds: boolean; gamma: number };
  /** λ_min(∇²L) and whether the objective is locally convex here (λ_min > 0). */
  convexity?: { lambdaMin: number; locallyConvex: boolean };
}

/** Evaluates the paper's claims at a point. */
export function paperClaims(inp: ClaimInputs): ClaimsReport {
  const { parts, gammaC, minW2, sigmaMinA } = inp;
  const eps2 = inp.eps2 ?? parts.l2;
  const tauC = tauBound(gammaC, parts.n1, parts.n2, eps2);
  const required = Math.sqrt(2 * gammaC);
  const gamma = parts.l1;
  const l = inp.l ?? 0;
  if (l > 0 && sigmaMinA === undefined) throw new RangeError('Lemma 13 with l > 0 needs σ_min(A)');
  const lemmaRequired = lemma13Kernel(gammaC, gamma) + (l > 0 ? l / (sigmaMinA! * sigmaMinA!) : 0);
  const report: ClaimsReport = {
    tau: parts.tau,
    tauC,
    tauAtLeastBound: parts.tau >= tauC,
    premise: { l1: parts.l1, required, holds: parts.l1 >= required },
    lemma13: { required: lemmaRequired, minW2, holds: minW2 >= lemmaRequired, gamma },
  };
  if (inp.lambdaMin !== undefined) {
    report.convexity = { lambdaMin: inp.lambdaMin, locallyConvex: inp.lambdaMin > 0 };
  }
  return report;
}

/** min_i w_i². */
export function minSquared(w: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < w.length; i++) m = Math.min(m, w[i] * w[i]);
  return m;
}
