/**
 * The protection-method family (math.md §9): for every method, L, ∇L and ∇²L of objective.ts
 * against hyper-dual automatic differentiation of F(ℓ1, ℓ2) + ½‖w∘u‖² written from its definition
 * (not from the table's derivatives), and the table's F₁ … F₂₂ against central differences of F.
 */
import { describe, expect, it } from 'vitest';
import { HyperDual } from '../testing/hyperdual';
import { randomProblem, randomVector, relErr } from '../testing/random-problem';
import { evaluateAt, hessianVectorProduct } from './objective';
import { METHOD_NAMES, METHODS, TAU_TARGET_SHARPNESS, softplus, type MethodName } from './methods';
import type { Problem } from './types';

/** F(ℓ1, ℓ2) from each method's definition, on hyper-dual numbers. */
function naiveF(
  method: MethodName,
  l1: HyperDual,
  l2: HyperDual,
  s: number,
  n1: number,
  n2: number,
  t: number,
) {
  const half = l1.add(l2).mul(0.5);
  switch (method) {
    case 'paper':
      return half.add(new HyperDual(s).div(l1));
    case 'reweight':
      return l2.mul(0.5).add(l1.mul(0.5 * (1 - s)));
    case 'ascent':
      return l2.mul(0.5).sub(l1.mul(0.5 * s));
    case 'logbarrier':
      return half.sub(l1.log().mul(s));
    case 'tau-target': {
      const tau = l1.div(n1).sub(l2.div(n2));
      const k = TAU_TARGET_SHARPNESS / t;
      // softplus_k(z) = log(1 + e^{kz})/k, written plainly (kz stays moderate here).
      const q = tau.mul(-1).add(t).mul(k).exp().add(1).log().div(k);
      return half.add(q.mul(q).mul(0.5 * s));
    }
  }
}

/** L(x) = F(ℓ1, ℓ2) + ½Σ(w_i u_i)² straight from the definitions (global reading). */
function naiveLoss(p: Problem, x: HyperDual[], method: MethodName, t: number): HyperDual {
  const { n, d, A, b, w, mask, gammaC } = p;
  const u = Array.from({ length: n }, (_, i) => {
    let s = new HyperDual(0);
    for (let j = 0; j < d; j++) s = s.add(x[j].mul(A[i * d + j]));
    return s;
  });
  const shift = Math.max(...u.map((v) => v.a));
  const e = u.map((v) => v.sub(shift).exp());
  const total = e.reduce((acc, v) => acc.add(v), new HyperDual(0));
  let l1 = new HyperDual(0);
  let l2 = new HyperDual(0);
  let reg = new HyperDual(0);
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const ci = e[i].div(total).sub(b[i]);
    if (mask[i]) {
      l1 = l1.add(ci.mul(ci));
      n1++;
    } else l2 = l2.add(ci.mul(ci));
    reg = reg.add(u[i].mul(u[i]).mul(w[i] * w[i]));
  }
  return naiveF(method, l1, l2, gammaC, n1, n - n1, t).add(reg.mul(0.5));
}

function autodiff(p: Problem, x: Float64Array, method: MethodName, t: number) {
  const d = p.d;
  const grad = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  let L = NaN;
  for (let r = 0; r < d; r++) {
    for (let q = r; q < d; q++) {
      const xs = Array.from(x, (v, j) => new HyperDual(v, j === r ? 1 : 0, j === q ? 1 : 0, 0));
      const out = naiveLoss(p, xs, method, t);
      L = out.a;
      grad[r] = out.b;
      hessian[r * d + q] = hessian[q * d + r] = out.d;
    }
  }
  return { L, grad, hessian };
}

describe('protection methods (math.md §9)', () => {
  for (const method of METHOD_NAMES) {
    it(`${method}: L, ∇L, ∇²L and H·v agree with autodiff of the definition (≤ 1e-12 relative)`, () => {
      const strengths = method === 'reweight' ? [0, 0.4, 1] : [0, 0.05, 0.8];
      for (const [k, s] of strengths.entries()) {
        const p = randomProblem({ n: 24, d: 5, n1: 6, gammaC: s, reading: 'global', seed: 600 + 17 * k });
        // τ-target: a target above the τ at x so the ramp is active and curved.
        const tauTarget = 0.05;
        const q: Problem = { ...p, method, tauTarget };
        const x = randomVector(5, 40 + k, 0.5);
        const ref = autodiff(q, x, method, tauTarget);
        const ev = evaluateAt(q, x, { hessian: true });
        expect(Math.abs(ev.L - ref.L) / Math.abs(ref.L)).toBeLessThan(1e-12);
        expect(relErr(ev.grad!, ref.grad)).toBeLessThan(1e-12);
        expect(relErr(ev.hessian!, ref.hessian)).toBeLessThan(1e-12);
        const v = randomVector(5, 90 + k);
        const hv = Float64Array.from({ length: 5 }, (_, i) =>
          ref.hessian.slice(i * 5, i * 5 + 5).reduce((a, h, j) => a + h * v[j], 0),
        );
        expect(relErr(hessianVectorProduct(q, x, v), hv)).toBeLessThan(1e-12);
      }
    });
  }

  it('at s = 0 every method but ascent is the plain fit (the paper’s at γc = 0); ascent at s = 0 is reweight at s = 1', () => {
    const p = randomProblem({ n: 20, d: 4, n1: 5, gammaC: 0, reading: 'global', seed: 3 });
    const x = randomVector(4, 5, 0.5);
    const plain = evaluateAt(p, x, { hessian: true });
    const dropped = evaluateAt({ ...p, method: 'reweight', gammaC: 1 }, x, { hessian: true });
    const ascent = evaluateAt({ ...p, method: 'ascent' }, x, { hessian: true });
    expect(ascent.L).toBe(dropped.L);
    expect(relErr(ascent.grad!, dropped.grad!)).toBeLessThan(1e-13);
    expect(Math.abs(ascent.L - plain.L)).toBeGreaterThan(1e-6);
    for (const method of METHOD_NAMES.filter((m) => m !== 'ascent')) {
      const ev = evaluateAt({ ...p, method }, x, { hessian: true });
      expect(Math.abs(ev.L - plain.L)).toBeLessThan(1e-15 * Math.abs(plain.L));
      expect(relErr(ev.grad!, plain.grad!)).toBeLessThan(1e-13);
      expect(relErr(ev.hessian!, plain.hessian!)).toBeLessThan(1e-13);
    }
  });

  it('the table’s F₁, F₂, F₁₁, F₁₂, F₂₂ match central differences of its F (every method)', () => {
    const ctx = { s: 0.3, n1: 10, n2: 90, tauTarget: 0.01 };
    for (const method of METHOD_NAMES) {
      for (const [l1, l2] of [
        [0.02, 0.05],
        [0.2, 0.4],
        [0.08, 0.3],
      ]) {
        const F = (a: number, b: number) => METHODS[method].F(a, b, ctx).F;
        const got = METHODS[method].F(l1, l2, ctx);
        // Steps: ~ε^(1/3) of the scale for first differences, ~ε^(1/4) for second ones (truncation
        // and rounding errors balanced).
        const g = 1e-6 * Math.max(l1, l2);
        const d1 = (F(l1 + g, l2) - F(l1 - g, l2)) / (2 * g);
        const d2 = (F(l1, l2 + g) - F(l1, l2 - g)) / (2 * g);
        const h = 1e-4 * Math.max(l1, l2);
        const d11 = (F(l1 + h, l2) - 2 * F(l1, l2) + F(l1 - h, l2)) / (h * h);
        const d22 = (F(l1, l2 + h) - 2 * F(l1, l2) + F(l1, l2 - h)) / (h * h);
        const d12 =
          (F(l1 + h, l2 + h) - F(l1 + h, l2 - h) - F(l1 - h, l2 + h) + F(l1 - h, l2 - h)) / (4 * h * h);
        const close = (a: number, b: number, scale: number) =>
          expect(Math.abs(a - b)).toBeLessThan(1e-5 * scale);
        const scale1 = Math.max(1, Math.abs(got.F1), Math.abs(got.F2));
        const scale2 = Math.max(1, Math.abs(got.F11), Math.abs(got.F12), Math.abs(got.F22));
        close(got.F1, d1, scale1);
        close(got.F2, d2, scale1);
        close(got.F11, d11, scale2);
        close(got.F12, d12, scale2);
        close(got.F22, d22, scale2);
      }
    }
  });

  it('τ target at s = 0 is the plain fit even without copyrighted rows, and refuses t ≤ 0', () => {
    const at0 = METHODS['tau-target'].F(0.1, 0.2, { s: 0, n1: 0, n2: 10, tauTarget: 0.02 });
    expect(at0).toEqual({ F: 0.5 * (0.1 + 0.2), F1: 0.5, F2: 0.5, F11: 0, F12: 0, F22: 0 });
    expect(() => METHODS['tau-target'].F(0.1, 0.2, { s: 1, n1: 5, n2: 10, tauTarget: 0 })).toThrow(
      /t must be > 0/,
    );
  });

  it('softplus is stable far from 0 and has the right derivatives', () => {
    expect(softplus(-1e4, 1).h).toBe(0);
    expect(softplus(1e4, 1).h).toBe(1e4);
    const { h, h1, h2 } = softplus(0.3, 2);
    expect(h).toBeCloseTo(Math.log(1 + Math.exp(0.6)) / 2, 15);
    expect(h1).toBeCloseTo(1 / (1 + Math.exp(-0.6)), 15);
    expect(h2).toBeCloseTo(2 * h1 * (1 - h1), 15);
  });

  it('methods other than the paper’s refuse the separate reading with a reason', () => {
    const p = randomProblem({ n: 10, d: 3, n1: 3, gammaC: 0.1, reading: 'separate', seed: 1 });
    expect(() => evaluateAt({ ...p, method: 'logbarrier' }, new Float64Array(3))).toThrow(
      /global reading only/,
    );
    expect(() => evaluateAt(p, new Float64Array(3))).not.toThrow();
  });
});
