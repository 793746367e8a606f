import { describe, expect, it } from 'vitest';
import { lemma13Kernel, minSquared, paperClaims, tauBound } from './metrics';
import type { LossParts } from './types';

const parts = (l1: number, l2: number, n1: number, n2: number): LossParts => ({
  L: 0,
  l: l1 + l2,
  l1,
  l2,
  reg: 0,
  tau: l1 / n1 - l2 / n2,
  n1,
  n2,
});

describe('paper metrics', () => {
  it('τ_c = √(2γc)/n1 − ε2/n2', () => {
    // γc = 0.5 ⇒ √(2γc) = 1; n1 = 4, n2 = 8, ε2 = 0.4 ⇒ 0.25 − 0.05.
    expect(tauBound(0.5, 4, 8, 0.4)).toBeCloseTo(0.2, 15);
    expect(tauBound(0.5, 0, 8, 0.4)).toBeNaN();
  });

  it("Lemma 13's constant is 8 + 200γc/γ³", () => {
    expect(lemma13Kernel(0.1, 0.5)).toBeCloseTo(8 + 200 * 0.1 * 8, 12);
    expect(lemma13Kernel(0, 0.5)).toBe(8);
  });

  it('reports each claim with the measured value and an honest verdict', () => {
    // ℓ1 = 0.5 < √(2·0.2) ≈ 0.632: the premise fails.
    const r = paperClaims({
      parts: parts(0.5, 0.1, 5, 20),
      gammaC: 0.2,
      minW2: 0.01,
      sigmaMinA: 2,
      lambdaMin: -0.3,
    });
    expect(r.premise.holds).toBe(false);
    expect(r.premise.required).toBeCloseTo(Math.sqrt(0.4), 15);
    expect(r.tauC).toBeCloseTo(Math.sqrt(0.4) / 5 - 0.1 / 20, 15);
    expect(r.tau).toBeCloseTo(0.1 - 0.005, 15);
    expect(r.tauAtLeastBound).toBe(r.tau >= r.tauC);
    expect(r.lemma13.required).toBeCloseTo(8 + (200 * 0.2) / 0.125, 12);
    expect(r.lemma13.holds).toBe(false);
    expect(r.convexity).toEqual({ lambdaMin: -0.3, locallyConvex: false });
    // A premise that holds, and a lemma satisfied by huge weights, with l > 0 adding l/σ_min².
    const ok = paperClaims({ parts: parts(1.2, 0.05, 5, 20), gammaC: 0.5, minW2: 1e6, sigmaMinA: 2, l: 4 });
    expect(ok.premise.holds).toBe(true);
    expect(ok.lemma13.required).toBeCloseTo(8 + 100 / 1.2 ** 3 + 1, 10);
    expect(ok.lemma13.holds).toBe(true);
    expect(ok.convexity).toBeUndefined();
  });

  it('min w² over rows', () => {
    expect(minSquared([0.5, -0.2, 3])).toBeCloseTo(0.04, 15);
  });
});
