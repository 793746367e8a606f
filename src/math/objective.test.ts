import { describe, expect, it } from 'vitest';
import { randomProblem, randomVector, relErr } from '../testing/random-problem';
import { createRng } from '../data/prng';
import {
  addLowRankProduct,
  assembleHessian,
  evaluateAt,
  forward,
  gradient,
  hessian,
  hessianVectorProduct,
  lossParts,
} from './objective';
import type { Problem, Reading } from './types';

const READINGS: Reading[] = ['global', 'separate'];
const GAMMAS = [0, 0.05, 0.3, 1, 2];

/** Central finite-difference gradient of L. */
function fdGradient(p: Problem, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(p.d);
  for (let j = 0; j < p.d; j++) {
    const xp = new Float64Array(x);
    const xm = new Float64Array(x);
    xp[j] += h;
    xm[j] -= h;
    g[j] = (lossParts(p, xp).L - lossParts(p, xm).L) / (2 * h);
  }
  return g;
}

/** Central finite-difference Hessian from the analytic gradient. */
function fdHessian(p: Problem, x: Float64Array, h = 1e-6): Float64Array {
  const d = p.d;
  const H = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const xp = new Float64Array(x);
    const xm = new Float64Array(x);
    xp[j] += h;
    xm[j] -= h;
    const gp = gradient(p, xp);
    const gm = gradient(p, xm);
    for (let i = 0; i < d; i++) H[i * d + j] = (gp[i] - gm[i]) / (2 * h);
  }
  return H;
}

/**
 * ∇²L built independently of the block lemma: the explicit n×n u-space Hessian from the softmax
 * Jacobian and second derivatives (chain rule term by term), then Aᵀ·H_u·A. O(n³): small n only.
 */
function denseHessian(p: Problem, x: Float64Array): Float64Array {
  const { n, d, A, b, w, mask, gammaC, reading } = p;
  const s = forward(p, x);
  // Hessian (u-space) of ½Σ_{i∈rows} (ψ_i − b_i)² where ψ is a softmax over the index set S.
  const halfSq = (psi: Float64Array, S: (i: number) => boolean, rows: (i: number) => boolean) => {
    const H = new Float64Array(n * n);
    const grad = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (!rows(i)) continue;
      // ∇ψ_i = ψ_i (e_i − ψ) on S.
      const gi = new Float64Array(n);
      for (let j = 0; j < n; j++) if (S(j)) gi[j] = psi[i] * ((i === j ? 1 : 0) - psi[j]);
      const ei = psi[i] - b[i];
      for (let j = 0; j < n; j++) grad[j] += ei * gi[j];
      for (let j = 0; j < n; j++) {
        if (!S(j)) continue;
        for (let k = 0; k < n; k++) {
          if (!S(k)) continue;
          // ∇²ψ_i = ψ_i[(e_i − ψ)(e_i − ψ)ᵀ − (diag ψ − ψψᵀ)] on S×S.
          const vij = (i === j ? 1 : 0) - psi[j];
          const vik = (i === k ? 1 : 0) - psi[k];
          const second = psi[i] * (vij * vik - ((j === k ? psi[j] : 0) - psi[j] * psi[k]));
          H[j * n + k] += gi[j] * gi[k] + ei * second;
        }
      }
    }
    return { H, grad };
  };
  const all = () => true;
  const inMask = (i: number) => mask[i] === 1;
  const main = halfSq(s.f, all, all);
  const copy = reading === 'global' ? halfSq(s.f, all, inMask) : halfSq(s.phi, inMask, inMask);
  const l1 = s.parts.l1;
  const Hu = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < n; k++) {
      let v = main.H[j * n + k];
      if (gammaC > 0) {
        // γc/ℓ1 with ℓ1 = 2·(½ℓ1): ∇ℓ1 = 2·grad, ∇²ℓ1 = 2·H.
        const gj = 2 * copy.grad[j];
        const gk = 2 * copy.grad[k];
        v += gammaC * ((2 / l1 ** 3) * gj * gk - (1 / l1 ** 2) * 2 * copy.H[j * n + k]);
      }
      if (j === k) v += w[j] * w[j];
      Hu[j * n + k] = v;
    }
  }
  const out = new Float64Array(d * d);
  for (let a = 0; a < d; a++)
    for (let c = 0; c < d; c++) {
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const Aja = A[j * d + a];
        if (Aja === 0) continue;
        for (let k = 0; k < n; k++) sum += Aja * Hu[j * n + k] * A[k * d + c];
      }
      out[a * d + c] = sum;
    }
  return out;
}

describe('loss parts on a case worked by hand', () => {
  // A = [[1],[0]], x = 0 ⇒ u = 0, f = (½, ½). b = (0.7, 0.3), row 0 copyrighted, w = 0.
  const base = {
    n: 2,
    d: 1,
    A: Float64Array.of(1, 0),
    b: Float64Array.of(0.7, 0.3),
    w: Float64Array.of(0, 0),
    mask: Uint8Array.of(1, 0),
    gammaC: 0.1,
  };
  it('global reading: ℓ = 0.08, ℓ1 = 0.04, ℓ2 = 0.04, L = 0.04 + 0.1/0.04, τ = 0', () => {
    const p = lossParts({ ...base, reading: 'global' }, Float64Array.of(0));
    expect(p.l).toBeCloseTo(0.08, 15);
    expect(p.l1).toBeCloseTo(0.04, 15);
    expect(p.l2).toBeCloseTo(0.04, 15);
    expect(p.L).toBeCloseTo(0.04 + 2.5, 13);
    expect(p.tau).toBeCloseTo(0, 15);
    expect([p.n1, p.n2]).toEqual([1, 1]);
  });
  it('separate reading: φ = (1, 0) so ℓ1 = 0.09 and ℓ2 = ℓ − ℓ1 = −0.01', () => {
    const p = lossParts({ ...base, reading: 'separate' }, Float64Array.of(0));
    expect(p.l1).toBeCloseTo(0.09, 15);
    expect(p.l2).toBeCloseTo(-0.01, 15);
    expect(p.tau).toBeCloseTo(0.09 + 0.01, 15);
  });
  it('regularisation is ½‖w∘Ax‖²', () => {
    const p = lossParts({ ...base, w: Float64Array.of(2, 5), reading: 'global' }, Float64Array.of(0.5));
    // u = (0.5, 0): ½·(2·0.5)² = 0.5.
    expect(p.reg).toBeCloseTo(0.5, 15);
  });
  it('γc = 0 with no copyrighted rows gives a finite L and NaN τ', () => {
    const p = lossParts(
      { ...base, gammaC: 0, mask: Uint8Array.of(0, 0), reading: 'global' },
      Float64Array.of(0),
    );
    expect(p.L).toBeCloseTo(0.04, 15);
    expect(p.tau).toBeNaN();
  });
  it('softmax stays finite for huge |u|', () => {
    const p = lossParts({ ...base, reading: 'global' }, Float64Array.of(800));
    expect(Number.isFinite(p.L)).toBe(true);
    expect(p.l).toBeCloseTo(0.3 ** 2 + 0.3 ** 2, 12);
  });
});

describe.each(READINGS)('derivatives, reading %s', (reading) => {
  for (const gammaC of GAMMAS) {
    it(`γc = ${gammaC}: gradient and Hessian match finite differences; efficient = dense Hessian`, () => {
      for (let trial = 0; trial < 3; trial++) {
        const seed = 1000 + trial * 17 + Math.round(gammaC * 100);
        const p = randomProblem({ n: 12, d: 5, n1: 4, gammaC, reading, seed });
        const x = randomVector(5, seed + 1, 0.5);
        const ev = evaluateAt(p, x, { gradient: true, hessian: true });
        expect(relErr(ev.grad!, fdGradient(p, x))).toBeLessThan(1e-6);
        expect(relErr(ev.hessian!, fdHessian(p, x))).toBeLessThan(1e-6);
        expect(relErr(ev.hessian!, denseHessian(p, x))).toBeLessThan(1e-12);
        // Symmetric to rounding.
        for (let i = 0; i < 5; i++)
          for (let j = 0; j < 5; j++) expect(ev.hessian![i * 5 + j]).toBe(ev.hessian![j * 5 + i]);
      }
    });
  }

  it('Hessian-vector products equal ∇²L·v', () => {
    const p = randomProblem({ n: 40, d: 7, n1: 9, gammaC: 0.3, reading, seed: 99 });
    const x = randomVector(7, 5, 0.3);
    const v = randomVector(7, 6);
    const H = hessian(p, x);
    const Hv = new Float64Array(7);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) Hv[i] += H[i * 7 + j] * v[j];
    expect(relErr(hessianVectorProduct(p, x, v), Hv)).toBeLessThan(1e-12);
  });

  it('derivatives hold with a single copyrighted row and with all but one', () => {
    for (const n1 of [1, 11]) {
      const p = randomProblem({ n: 12, d: 3, n1, gammaC: 0.2, reading, seed: 300 + n1 });
      const x = randomVector(3, 301, 0.4);
      const ev = evaluateAt(p, x, { hessian: true });
      expect(relErr(ev.grad!, fdGradient(p, x))).toBeLessThan(1e-6);
      expect(relErr(ev.hessian!, denseHessian(p, x))).toBeLessThan(1e-12);
    }
  });
});

describe('the readings agree where they must', () => {
  it('γc = 0: both readings give the same L, gradient and Hessian (the copyright term is absent)', () => {
    const pA = randomProblem({ n: 20, d: 4, n1: 5, gammaC: 0, reading: 'global', seed: 4 });
    const pB = { ...pA, reading: 'separate' as const };
    const x = randomVector(4, 8, 0.5);
    const a = evaluateAt(pA, x, { hessian: true });
    const b = evaluateAt(pB, x, { hessian: true });
    expect(b.L).toBeCloseTo(a.L, 14);
    expect(relErr(b.grad!, a.grad!)).toBeLessThan(1e-14);
    expect(relErr(b.hessian!, a.hessian!)).toBeLessThan(1e-13);
  });
  it('global reading: ℓ1 + ℓ2 = ℓ exactly split by rows', () => {
    const p = randomProblem({ n: 30, d: 4, n1: 7, gammaC: 0.1, seed: 12 });
    const parts = lossParts(p, randomVector(4, 3));
    expect(parts.l1 + parts.l2).toBeCloseTo(parts.l, 15);
    expect(parts.l2).toBeGreaterThanOrEqual(0);
  });
});

describe('the shared Hessian assembly (both engines use it)', () => {
  it('is exactly symmetric and equals G + Σ C_pq a_p a_qᵀ on random inputs (k = 3, 5; G not symmetric)', () => {
    const rng = createRng(20_261_130);
    for (let trial = 0; trial < 200; trial++) {
      const d = 1 + (trial % 13);
      const k = trial % 2 === 0 ? 3 : 5;
      const gram = Float64Array.from({ length: d * d }, () => rng.normal()); // as a float32 G may round
      const AtU = Array.from({ length: k }, () => Float64Array.from({ length: d }, () => rng.normal()));
      const C = new Float64Array(k * k);
      for (let p = 0; p < k; p++) for (let q = p; q < k; q++) C[p * k + q] = C[q * k + p] = rng.normal();
      const H = assembleHessian(d, gram, AtU, C);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          expect(H[i * d + j], `trial ${trial}`).toBe(H[j * d + i]);
          // Reference: the upper triangle of G plus the low-rank sum written out term by term.
          let want = gram[Math.min(i, j) * d + Math.max(i, j)];
          let scale = Math.abs(want);
          for (let p = 0; p < k; p++) {
            for (let q = 0; q < k; q++) {
              want += AtU[p][i] * C[p * k + q] * AtU[q][j];
              scale += Math.abs(AtU[p][i] * C[p * k + q] * AtU[q][j]);
            }
          }
          expect(Math.abs(H[i * d + j] - want), `trial ${trial} (${i}, ${j})`).toBeLessThan(1e-14 * scale);
        }
      }
      // The low-rank part of Hv (the GPU engine's) against the same dense low-rank matrix.
      const v = Float64Array.from({ length: d }, () => rng.normal());
      const zero = new Float64Array(d * d);
      const Mlr = assembleHessian(d, zero, AtU, C);
      const want = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) want[i] += Mlr[i * d + j] * v[j];
      expect(relErr(addLowRankProduct(new Float64Array(d), AtU, C, v), want)).toBeLessThan(1e-13);
    }
  });
});

describe('L is resolved to a rounding, whatever the row order (compensated sums)', () => {
  // The line search accepts L(x + t·p) ≤ L(x) + c·t·slope + 1e-15·|L|: noise in L above that slack
  // decides steps by rounding. Sequential sums left 2e-15 to 8e-15 here.
  for (const reading of READINGS) {
    it(`${reading}: L on row-permuted copies of the data agrees within 1e-15·|L|`, () => {
      const [n, d] = [20_000, 6];
      const p = randomProblem({ n, d, n1: 2000, gammaC: 0.1, reading, seed: 77 });
      const rng = createRng(78);
      for (const scale of [0, 0.5]) {
        const x = randomVector(d, 79, scale);
        const L0 = lossParts(p, x).L;
        for (let trial = 0; trial < 4; trial++) {
          const perm = rng.shuffle(Array.from({ length: n }, (_, i) => i));
          const q: Problem = {
            ...p,
            A: new Float64Array(n * d),
            b: new Float64Array(n),
            w: new Float64Array(n),
            mask: new Uint8Array(n),
          };
          perm.forEach((src, i) => {
            q.A.set(p.A.subarray(src * d, (src + 1) * d), i * d);
            q.b[i] = p.b[src];
            q.w[i] = p.w[src];
            q.mask[i] = p.mask[src];
          });
          expect(Math.abs(lossParts(q, x).L - L0), `x scale ${scale}`).toBeLessThanOrEqual(
            1e-15 * Math.abs(L0),
          );
        }
      }
    });
  }
});
