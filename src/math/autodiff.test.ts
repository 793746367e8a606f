/**
 * The objective written naively from its definition (math.md §4.1) and differentiated by
 * hyper-dual automatic differentiation: an autograd that shares no formula with objective.ts.
 * Gradient and Hessian must agree to rounding, far tighter than finite differences allow.
 */
import { describe, expect, it } from 'vitest';
import { HyperDual } from '../testing/hyperdual';
import { randomProblem, randomVector, relErr } from '../testing/random-problem';
import { evaluateAt } from './objective';
import type { Problem } from './types';

/** L(x) straight from the definition, on hyper-dual numbers. */
function naiveLoss(p: Problem, x: HyperDual[]): HyperDual {
  const { n, d, A, b, w, mask, gammaC, reading } = p;
  const u: HyperDual[] = [];
  for (let i = 0; i < n; i++) {
    let s = new HyperDual(0);
    for (let j = 0; j < d; j++) s = s.add(x[j].mul(A[i * d + j]));
    u.push(s);
  }
  const softmax = (rows: number[]): Map<number, HyperDual> => {
    const shift = Math.max(...rows.map((i) => u[i].a)); // a constant shift leaves softmax unchanged
    const e = rows.map((i) => u[i].sub(shift).exp());
    const total = e.reduce((acc, v) => acc.add(v), new HyperDual(0));
    return new Map(rows.map((i, k) => [i, e[k].div(total)]));
  };
  const all = Array.from({ length: n }, (_, i) => i);
  const tagged = all.filter((i) => mask[i]);
  const f = softmax(all);
  const phi = reading === 'global' ? f : softmax(tagged);
  let l = new HyperDual(0);
  for (const i of all) {
    const ci = f.get(i)!.sub(b[i]);
    l = l.add(ci.mul(ci));
  }
  let l1 = new HyperDual(0);
  for (const i of tagged) {
    const ci = phi.get(i)!.sub(b[i]);
    l1 = l1.add(ci.mul(ci));
  }
  let reg = new HyperDual(0);
  for (const i of all) reg = reg.add(u[i].mul(u[i]).mul(w[i] * w[i]));
  const copyright = gammaC === 0 ? new HyperDual(0) : new HyperDual(gammaC).div(l1);
  return l.mul(0.5).add(copyright).add(reg.mul(0.5));
}

/** ∇L and ∇²L by hyper-dual AD: one evaluation per (p, q) pair with p ≤ q. */
function autodiff(p: Problem, x: Float64Array): { L: number; grad: Float64Array; hessian: Float64Array } {
  const d = p.d;
  const grad = new Float64Array(d);
  const H = new Float64Array(d * d);
  let L = NaN;
  for (let r = 0; r < d; r++) {
    for (let q = r; q < d; q++) {
      const xs = Array.from(x, (v, j) => new HyperDual(v, j === r ? 1 : 0, j === q ? 1 : 0, 0));
      const out = naiveLoss(p, xs);
      L = out.a;
      grad[r] = out.b;
      H[r * d + q] = H[q * d + r] = out.d;
    }
  }
  return { L, grad, hessian: H };
}

describe('objective.ts against hyper-dual automatic differentiation of the naive definition', () => {
  for (const reading of ['global', 'separate'] as const) {
    it(`${reading} reading: L, ∇L and ∇²L agree to rounding (≤ 1e-13 relative)`, () => {
      for (const [k, gammaC] of [0, 0.02, 0.2, 1.5].entries()) {
        const p = randomProblem({ n: 30, d: 6, n1: 7, gammaC, reading, seed: 4200 + k * 13 });
        const x = randomVector(6, 900 + k, 0.6);
        const ref = autodiff(p, x);
        const ev = evaluateAt(p, x, { hessian: true });
        expect(Math.abs(ev.L - ref.L) / Math.abs(ref.L)).toBeLessThan(1e-13);
        expect(relErr(ev.grad!, ref.grad)).toBeLessThan(1e-13);
        expect(relErr(ev.hessian!, ref.hessian)).toBeLessThan(1e-13);
      }
    });
  }
});

/** d×d matrix Aᵀ·K·A for an n×n kernel K. */
function sandwich(p: Problem, K: Float64Array): Float64Array {
  const { n, d, A } = p;
  const out = new Float64Array(d * d);
  for (let r = 0; r < d; r++)
    for (let q = 0; q < d; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += A[i * d + r] * K[i * n + j] * A[j * d + q];
      out[r * d + q] = s;
    }
  return out;
}

/**
 * The kernel B(x) of ½ℓ in the paper's Def. 11 shape. `asPrinted` keeps the paper's + sign on
 * ⟨f−b, f⟩diag(f) and omits −2(f∘f)fᵀ − 2f(f∘f)ᵀ; otherwise the corrected kernel (math.md §4.4).
 */
function defElevenKernel(f: Float64Array, b: Float64Array, asPrinted: boolean): Float64Array {
  const n = f.length;
  let s3 = 0;
  let s1 = 0;
  for (let i = 0; i < n; i++) {
    s3 += (3 * f[i] - 2 * b[i]) * f[i];
    s1 += (f[i] - b[i]) * f[i];
  }
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = s3 * f[i] * f[j] + b[i] * f[i] * f[j] + f[i] * b[j] * f[j];
      if (!asPrinted) v -= 2 * f[i] * f[i] * f[j] + 2 * f[i] * f[j] * f[j];
      if (i === j) v += (asPrinted ? s1 : -s1) * f[i] + (2 * f[i] - b[i]) * f[i];
      K[i * n + j] = v;
    }
  return K;
}

describe("the paper's printed Def. 11 kernel, checked by autodiff (math.md §6)", () => {
  it('as printed it is not the Hessian of ½ℓ; the corrected kernel is, to rounding', () => {
    const p = randomProblem({ n: 15, d: 4, n1: 0, gammaC: 0, seed: 77, wLow: 0, wHigh: 0 });
    const x = randomVector(4, 78, 0.7);
    const ref = autodiff(p, x).hessian;
    // f = softmax(Ax), computed here directly.
    const u = Array.from({ length: p.n }, (_, i) => x.reduce((s, xj, j) => s + p.A[i * p.d + j] * xj, 0));
    const m = Math.max(...u);
    const e = u.map((v) => Math.exp(v - m));
    const total = e.reduce((a, v) => a + v, 0);
    const f = Float64Array.from(e, (v) => v / total);
    expect(relErr(sandwich(p, defElevenKernel(f, p.b, false)), ref)).toBeLessThan(1e-12);
    expect(relErr(sandwich(p, defElevenKernel(f, p.b, true)), ref)).toBeGreaterThan(0.1);
  });
});
