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
