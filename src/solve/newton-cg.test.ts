import { describe, expect, it } from 'vitest';
import { createRng } from '../data/prng';
import { CpuEngine } from '../engine/cpu-engine';
import { randomProblem, relErr, splitProblem } from '../testing/random-problem';
import { lambdaMin } from '../math/eigen';
import { cholesky, choleskySolve, norm2 } from '../math/linalg';
import { truncatedCg, type HessianVectorProducts } from './newton-cg';
import { evaluateAt } from '../math/objective';
import { Float32Rounded, SpyEngine } from './solver-test-engines';
import { BatchSolver, solve } from './solvers';

/** y = M·v for a dense symmetric d×d M. */
function mul(M: Float64Array, v: Float64Array): Float64Array {
  const d = v.length;
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) y[i] += M[i * d + j] * v[j];
  return y;
}

/** Products by fixed matrices, one per system, counting the calls and their sizes. */
function byMatrices(Ms: Float64Array[]): { hvp: HessianVectorProducts; calls: number[][] } {
  const calls: number[][] = [];
  return {
    calls,
    hvp: async (active, v) => {
      calls.push([...active]);
      return active.map((k, j) => mul(Ms[k], v[j]));
    },
  };
}

/** A random SPD matrix BᵀB + I. */
function randomSpd(d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const B = Float64Array.from({ length: d * d }, () => rng.normal());
  const M = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < d; k++) s += B[k * d + i] * B[k * d + j];
      M[i * d + j] = s;
    }
  return M;
}

describe('truncated CG (Nocedal & Wright Alg. 7.1)', () => {
  it('solves an SPD system M·p = −g to the residual asked, as a Cholesky solve does', async () => {
    const d = 6;
    const M = randomSpd(d, 3);
    const rng = createRng(4);
    const g = Float64Array.from({ length: d }, () => rng.normal());
    const { hvp } = byMatrices([M]);
    const [r] = await truncatedCg([g], hvp, { maxIterations: 2 * d, forcing: () => 1e-13 });
    const exact = choleskySolve(
      cholesky(M, d)!,
      d,
      g.map((v) => -v),
    );
    expect(r!.exit).toBe('residual');
    expect(r!.products).toBeLessThanOrEqual(2 * d);
    expect(relErr(r!.p, exact)).toBeLessThan(1e-10);
  });

  it('stops at the default forcing η = min(½, √‖g‖): residual ≤ η·‖g‖', async () => {
    const d = 12;
    const M = randomSpd(d, 5);
    const rng = createRng(6);
    for (const scale of [10, 1e-2, 1e-6]) {
      const g = Float64Array.from({ length: d }, () => scale * rng.normal());
      const [r] = await truncatedCg([g], byMatrices([M]).hvp, { maxIterations: 2 * d });
      const residual = mul(M, r!.p).map((v, i) => v + g[i]);
      const gn = norm2(g);
      expect(norm2(residual)).toBeLessThanOrEqual(Math.min(0.5, Math.sqrt(gn)) * gn);
      expect(r!.exit).toBe('residual');
    }
  });

  it('steepest mode: scaled steepest descent when the first direction has negative curvature', async () => {
    const M = Float64Array.from([1, 0, 0, -3]);
    const g = Float64Array.from([0.1, 1]); // gᵀMg = 0.01 − 3 = −2.99, ‖g‖² = 1.01
    const [r] = await truncatedCg([g], byMatrices([M]).hvp, {
      maxIterations: 4,
      negativeCurvature: 'steepest',
    });
    expect(r!.exit).toBe('negative-curvature');
    expect(r!.products).toBe(1);
    expect(r!.damping).toBe(0);
    expect(r!.p[0]).toBeCloseTo((-0.1 * 1.01) / 2.99, 15);
    expect(r!.p[1]).toBeCloseTo((-1 * 1.01) / 2.99, 15);
  });

  it('steepest mode: the last CG iterate, a descent direction, when negative curvature shows up later', async () => {
    const M = Float64Array.from([1, 0, 0, -1]);
    const g = Float64Array.from([1, 0.1]);
    // First CG step: z = −(gᵀg / gᵀMg)·g = −(1.01/0.99)·g; the next CG direction is mostly along the
    // second axis, where the curvature is −1.
    const [r] = await truncatedCg([g], byMatrices([M]).hvp, {
      maxIterations: 4,
      forcing: () => 1e-12,
      negativeCurvature: 'steepest',
    });
    expect(r!.exit).toBe('negative-curvature');
    expect(r!.products).toBe(2);
    const alpha = 1.01 / 0.99;
    expect(r!.p[0]).toBeCloseTo(-alpha, 14);
    expect(r!.p[1]).toBeCloseTo(-0.1 * alpha, 14);
  });

  it('damp mode (default): on an indefinite matrix, solves (M + μI)·p = −g with M + μI positive definite', async () => {
    const d = 8;
    const rng = createRng(12);
    for (let trial = 0; trial < 20; trial++) {
      // A random symmetric matrix with eigenvalues of both signs.
      const B = Float64Array.from({ length: d * d }, () => rng.normal());
      const M = new Float64Array(d * d);
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) M[i * d + j] = (B[i * d + j] + B[j * d + i]) / 2;
      const g = Float64Array.from({ length: d }, () => rng.normal());
      const lmin = lambdaMin(M, d);
      expect(lmin).toBeLessThan(0);
      const [r] = await truncatedCg([g], byMatrices([M]).hvp, { maxIterations: 4 * d, forcing: () => 1e-12 });
      expect(r!.damping).toBeGreaterThan(-lmin);
      const Mmu = M.map((v, k) => (k % (d + 1) === 0 ? v + r!.damping : v));
      const exact = choleskySolve(
        cholesky(Mmu, d)!,
        d,
        g.map((v) => -v),
      );
      expect(r!.exit).toBe('residual');
      expect(relErr(r!.p, exact)).toBeLessThan(1e-8);
    }
  });

  it('runs several systems in lock step: one product call per CG iteration for all still going', async () => {
    const Ms = [randomSpd(3, 7), randomSpd(8, 8), Float64Array.from([1, 0, 0, -1])];
    const gs = [
      Float64Array.from([1, 2, 3]),
      Float64Array.from({ length: 8 }, (_, i) => i - 3),
      Float64Array.from([0.1, 1]),
    ];
    const { hvp, calls } = byMatrices(Ms);
    const rs = await truncatedCg(gs, hvp, {
      maxIterations: 20,
      forcing: () => 1e-12,
      negativeCurvature: 'steepest',
    });
    const products = rs.map((r) => r!.products);
    expect(calls).toHaveLength(Math.max(...products));
    expect(calls.reduce((a, c) => a + c.length, 0)).toBe(products.reduce((a, b) => a + b, 0));
    // A system leaves the batch once done: every call lists only systems still iterating.
    calls.forEach((c, j) => expect(c).toEqual([0, 1, 2].filter((k) => products[k] > j)));
  });

  it('reports a non-finite product as a failure (null)', async () => {
    const hvp: HessianVectorProducts = async (active) => active.map(() => Float64Array.from([NaN, 0]));
    expect(await truncatedCg([Float64Array.from([1, 1])], hvp, { maxIterations: 4 })).toEqual([null]);
  });
});

describe('Newton-CG solver', () => {
  it('reaches the Newton minimum on seeded random problems, convex and not, without a d×d matrix', async () => {
    const seeds = 40;
    let convex = 0;
    let convexSame = 0;
    let nonconvex = 0;
    let nonconvexSame = 0;
    let bothDamped = 0;
    const elsewhere: string[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const p = randomProblem({
        n: 30 + 5 * seed,
        d: 3 + (seed % 8),
        n1: 4 + (seed % 6),
        gammaC: [0, 0.05, 0.1, 0.3, 1][seed % 5],
        reading: seed % 2 ? 'separate' : 'global',
        seed: 3000 + seed,
        wLow: 0.05,
        wHigh: 0.15,
      });
      const { dataset, config } = splitProblem(p);
      const x0 = new Float64Array(p.d);
      const newton = await solve(new CpuEngine(dataset), config, x0, { solver: 'newton', tol: 1e-10 });
      const spy = new SpyEngine(dataset);
      const cg = await solve(spy, config, x0, { solver: 'newton-cg', tol: 1e-10 });
      expect(newton.status, `seed ${seed}`).toBe('converged');
      expect(cg.status, `seed ${seed}: ${cg.reason}`).toBe('converged');
      // No Hessian was ever asked for: every evaluation is value + gradient only.
      expect(spy.hessianModes.every((m) => m === 'none')).toBe(true);
      expect(spy.productBatches.length).toBeGreaterThan(0);
      expect(cg.history.slice(1).every((h) => h.cgIterations! >= 1 && h.lambdaMin === undefined)).toBe(true);
      // Indefinite ∇²L somewhere on Newton's path: it needed damping (negative curvature).
      const indefinite = newton.history.some((h) => h.lambdaMin! < 0);
      const same = relErr(cg.x, newton.x) < 1e-6 && Math.abs(cg.parts.tau - newton.parts.tau) < 1e-8;
      if (indefinite) {
        nonconvex++;
        if (same) nonconvexSame++;
        // Newton-CG met the negative curvature too, and damped it.
        if (same && cg.history.some((h) => h.damping! > 0)) bothDamped++;
      } else {
        convex++;
        if (same) convexSame++;
      }
      if (!same) {
        // Another stationary point of a nonconvex L: it must be a true local minimum (∇²L PD there),
        // checked from scratch, not by the solver.
        const at = evaluateAt(p, cg.x, { hessian: true });
        expect(lambdaMin(at.hessian!, p.d), `seed ${seed}`).toBeGreaterThan(0);
        expect(norm2(at.grad!)).toBeLessThan(1e-9);
        elsewhere.push(
          `seed ${seed}: L ${cg.parts.L.toPrecision(5)} vs Newton's ${newton.parts.L.toPrecision(5)}`,
        );
      }
    }
    console.log(
      `Newton-CG = Newton minimum: ${convexSame}/${convex} problems with ∇²L PD along Newton's path, ` +
        `${nonconvexSame}/${nonconvex} with negative curvature on it (${bothDamped} of them with Newton-CG damping too); other local minima: ${elsewhere.join('; ')}`,
    );
    expect(convexSame).toBe(convex);
    expect(nonconvex).toBeGreaterThanOrEqual(10);
    expect(bothDamped).toBeGreaterThanOrEqual(1);
    // Measured 29 of 30: both damp ∇²L on negative curvature, but with different μ (Newton's ×10
    // ladder from 1e-10·max|H_ii|, CG's from the curvature it meets), and may then settle in
    // different minima of the nonconvex objective.
    expect(nonconvexSame).toBeGreaterThanOrEqual(Math.ceil(0.8 * nonconvex));
  });

  it('a batch runs CG in lock step and solves each configuration exactly as a single run would', async () => {
    const p = randomProblem({ n: 60, d: 6, n1: 9, gammaC: 0.3, seed: 21, wLow: 0.05, wHigh: 0.15 });
    const { dataset, config } = splitProblem(p);
    const configs = [config, { ...config, gammaC: 0 }, { ...config, reading: 'separate' as const }];
    const x0 = new Float64Array(p.d);
    const spy = new SpyEngine(dataset);
    const batch = await new BatchSolver(spy, configs, x0, { solver: 'newton-cg' }).run();
    expect(Math.max(...spy.productBatches)).toBe(3);
    for (let k = 0; k < configs.length; k++) {
      const single = await solve(new CpuEngine(dataset), configs[k], x0, { solver: 'newton-cg' });
      expect(batch[k].status).toBe('converged');
      expect(Array.from(batch[k].x)).toEqual(Array.from(single.x));
      expect(batch[k].iterations).toBe(single.iterations);
    }
  });

  it('on a float32 engine with default settings, converges (to float32 precision) near its float64 minimum', async () => {
    for (const seed of [17, 18, 19]) {
      const p = randomProblem({ n: 40, d: 5, n1: 8, gammaC: 0.2, seed, wLow: 0.05, wHigh: 0.15 });
      const { dataset, config } = splitProblem(p);
      const x0 = new Float64Array(p.d);
      const ref = await solve(new CpuEngine(dataset), config, x0, { solver: 'newton-cg' });
      const r = await solve(new Float32Rounded(dataset), config, x0, { solver: 'newton-cg' });
      expect(ref.status).toBe('converged');
      expect(r.status, r.reason).toBe('converged');
      expect(r.cause).toBe('precision');
      expect(r.reason).toMatch(/converged to float32 precision/);
      expect(Math.abs(r.parts.L - ref.parts.L) / ref.parts.L).toBeLessThan(1e-6);
      expect(Math.abs(r.parts.tau - ref.parts.tau)).toBeLessThan(1e-5);
    }
  });
});
