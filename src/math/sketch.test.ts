/**
 * The row-sampling sketch (src/math/sketch.ts): per-row coins from (seed, row) that the GPU draws
 * identically, an unbiased estimate of Aᵀdiag(δ)A with the expected number of rows, and the exact
 * Hessian when every row is kept.
 */
import { describe, expect, it } from 'vitest';
import { randomProblem, randomVector, relErr } from '../testing/random-problem';
import { forward, hessian, hessianKernel } from './objective';
import { leverageScores, sketchCoin, sketchedHessian, sketchKey, sketchWeights } from './sketch';

describe('sketch coins', () => {
  it('keys differ across seeds, including seeds 2^32 apart', () => {
    const keys = new Set<number>();
    for (let s = 0; s < 5000; s++) {
      keys.add(sketchKey(s));
      keys.add(sketchKey(2 ** 32 + s));
    }
    expect(keys.size).toBe(10_000);
    expect(() => sketchKey(-1)).toThrow(/seed/);
    expect(() => sketchKey(0.5)).toThrow(/seed/);
    expect(() => sketchKey(2 ** 53)).toThrow(/seed/);
  });

  it('are uniform on the 2^-24 grid of [0, 1)', () => {
    const key = sketchKey(12345);
    const n = 100_000;
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < n; i++) {
      const c = sketchCoin(key, i);
      expect(c * 2 ** 24).toBe(Math.floor(c * 2 ** 24));
      expect(c >= 0 && c < 1).toBe(true);
      bins[Math.floor(c * 10)]++;
    }
    // Each bin ~ Binomial(n, 0.1): sd = 95; 5 sd.
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(5 * Math.sqrt(n * 0.1 * 0.9));
  });
});

describe('sketchWeights', () => {
  const p = randomProblem({ n: 600, d: 5, n1: 60, gammaC: 0.2, seed: 41 });
  const x = randomVector(5, 42, 0.5);
  const K = hessianKernel(p, forward(p, x));
  const lev = leverageScores(p.A, p.n, p.d);
  const rows = 80;

  it('is unbiased: E[weight·z] = δ·z, with the expected number of rows (5 standard errors)', () => {
    const { delta } = K;
    const z = randomVector(p.n, 43);
    let qSum = 0;
    for (let i = 0; i < p.n; i++) if (delta[i] > 0) qSum += delta[i] * lev[i];
    // Σ weight_i z_i has mean Σ δ_i z_i and variance Σ_{δ>0} (δ_i z_i)²(1 − p_i)/p_i.
    let mean = 0;
    let variance = 0;
    let rowsMean = 0;
    let rowsVar = 0;
    for (let i = 0; i < p.n; i++) {
      mean += delta[i] * z[i];
      if (delta[i] < 0) rowsMean += 1;
      if (!(delta[i] > 0)) continue;
      const pi = Math.min(1, (rows * delta[i] * lev[i]) / qSum);
      variance += (delta[i] * z[i]) ** 2 * ((1 - pi) / pi);
      rowsMean += pi;
      rowsVar += pi * (1 - pi);
    }
    const S = 2000;
    let tSum = 0;
    let used = 0;
    for (let s = 0; s < S; s++) {
      const w = sketchWeights(delta, lev, rows, s);
      let t = 0;
      for (let i = 0; i < p.n; i++) t += w.weight[i] * z[i];
      tSum += t;
      used += w.rowsUsed;
    }
    expect(variance).toBeGreaterThan(0); // rows are really sampled here
    expect(Math.abs(tSum / S - mean)).toBeLessThan(5 * Math.sqrt(variance / S));
    expect(Math.abs(used / S - rowsMean)).toBeLessThan(5 * Math.sqrt(rowsVar / S));
  });

  it('refuses rows ≤ 0 or not finite, and bad seeds', () => {
    for (const r of [0, -1, NaN, Infinity]) expect(() => sketchWeights(K.delta, lev, r, 1)).toThrow(/rows/);
    expect(() => sketchWeights(K.delta, lev, 10, -3)).toThrow(/seed/);
  });

  it('the same seed gives the same rows; another seed, others', () => {
    const a = sketchWeights(K.delta, lev, rows, 7).weight;
    expect(Array.from(sketchWeights(K.delta, lev, rows, 7).weight)).toEqual(Array.from(a));
    expect(Array.from(sketchWeights(K.delta, lev, rows, 8).weight)).not.toEqual(Array.from(a));
  });

  it('keeping every row (rows ≥ n / min p) gives the exact Hessian', () => {
    const H = sketchedHessian(p.A, p.n, p.d, K, lev, 1e12, 3).hessian;
    expect(relErr(H, hessian(p, x))).toBeLessThan(1e-12);
  });
});
