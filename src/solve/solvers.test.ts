import { describe, expect, it } from 'vitest';
import { createRng } from '../data/prng';
import { CpuEngine } from '../engine/cpu-engine';
import type { Engine, EngineCapabilities, EvalOptions, EvalRequest } from '../engine/engine';
import { randomProblem, relErr, splitProblem } from '../testing/random-problem';
import { startPoint } from '../engine/solver-settings';
import { BatchSolver, effectiveTolerance, solve } from './solvers';
import { evaluateAt } from '../math/objective';
import { Float32Rounded } from './solver-test-engines';
import type { Dataset, Evaluation, Problem } from '../math/types';

function setup(p: Problem) {
  const { dataset, config } = splitProblem(p);
  return { engine: new CpuEngine(dataset), config, x0: new Float64Array(p.d) };
}

describe('solvers on the CPU engine', () => {
  it.each(['global', 'separate'] as const)(
    'Newton and GD reach the same minimum (%s reading)',
    async (reading) => {
      const p = randomProblem({
        n: 12,
        d: 5,
        n1: 4,
        gammaC: 0.1,
        reading,
        seed: 42,
        wLow: 0.05,
        wHigh: 0.15,
      });
      const { engine, config, x0 } = setup(p);
      const newton = await solve(engine, config, x0, { solver: 'newton', tol: 1e-10 });
      const gd = await solve(engine, config, x0, { solver: 'gd', tol: 1e-7, maxIter: 20000 });
      expect(newton.status).toBe('converged');
      expect(gd.status).toBe('converged');
      expect(newton.iterations).toBeLessThan(40);
      expect(gd.iterations).toBeGreaterThan(newton.iterations);
      expect(relErr(gd.x, newton.x)).toBeLessThan(1e-4);
      expect(Math.abs(gd.parts.L - newton.parts.L) / newton.parts.L).toBeLessThan(1e-9);
      expect(Math.abs(gd.parts.tau - newton.parts.tau)).toBeLessThan(1e-5);
      // The stationary point really is one: the gradient recomputed from scratch is tiny.
      expect(Math.max(...evaluateAt(p, newton.x).grad!.map(Math.abs))).toBeLessThan(1e-10);
      // History: iteration 0 is the start, L never increases, and records are complete.
      expect(newton.history[0].iter).toBe(0);
      expect(newton.history[0].step).toBe(0);
      for (let k = 1; k < newton.history.length; k++) {
        expect(newton.history[k].L).toBeLessThanOrEqual(newton.history[k - 1].L * (1 + 1e-15));
        expect(newton.history[k].iter).toBe(k);
        expect(newton.history[k].lambdaMin).toBeTypeOf('number');
      }
    },
  );

  it('the sketched (DLS23) Newton converges to the exact Newton minimum', async () => {
    // A problem where ∇²L stays positive definite along Newton's path (asserted below): where it is
    // not, the two methods can settle in different minima of the nonconvex γc/ℓ1 objective (seed 7
    // with w ~ U[0.05, 0.15] does, depending on the sketch's sample).
    const p = randomProblem({ n: 400, d: 6, n1: 60, gammaC: 0.2, seed: 8, wLow: 0.3, wHigh: 0.6 });
    const { engine, config, x0 } = setup(p);
    const exact = await solve(engine, config, x0, { solver: 'newton', tol: 1e-9 });
    expect(exact.history.every((h) => h.lambdaMin! > 0)).toBe(true);
    const sketched = await solve(engine, config, x0, {
      solver: 'sketched',
      tol: 1e-9,
      sketchRows: 150,
      seed: 3,
    });
    expect(exact.converged).toBe(true);
    expect(sketched.converged).toBe(true);
    expect(relErr(sketched.x, exact.x)).toBeLessThan(1e-6);
    // Same seed, same run.
    const again = await solve(engine, config, x0, {
      solver: 'sketched',
      tol: 1e-9,
      sketchRows: 150,
      seed: 3,
    });
    expect(Array.from(again.x)).toEqual(Array.from(sketched.x));
  });

  it('a batch solves each configuration exactly as a single run would', async () => {
    const p = randomProblem({ n: 30, d: 4, n1: 6, gammaC: 0.3, seed: 5, wLow: 0.05, wHigh: 0.15 });
    const { engine, config, x0 } = setup(p);
    const configs = [config, { ...config, gammaC: 0 }, { ...config, reading: 'separate' as const }];
    const batch = await new BatchSolver(engine, configs, x0, { solver: 'newton' }).run();
    for (let k = 0; k < configs.length; k++) {
      const single = await solve(engine, configs[k], x0, { solver: 'newton' });
      expect(Array.from(batch[k].x)).toEqual(Array.from(single.x));
      expect(batch[k].iterations).toBe(single.iterations);
    }
  });

  it('a fixed GD step that is far too large stops as diverged, with the iteration and reason, keeping a finite iterate', async () => {
    const p = randomProblem({ n: 20, d: 4, n1: 5, gammaC: 0.5, seed: 9, wLow: 1, wHigh: 2 });
    const { engine, config, x0 } = setup(p);
    const r = await solve(engine, config, x0, { solver: 'gd', gdStep: 1e6, maxIter: 100 });
    expect(r.status).toBe('diverged');
    expect(r.reason).toMatch(/iteration \d+/);
    expect(r.converged).toBe(false);
    expect(r.x.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(r.parts.L)).toBe(true);
  });

  it('γc > 0 with no copyrighted row cannot start, and says why', async () => {
    // ℓ1 = 0 everywhere, so γc/ℓ1 = ∞.
    const p = randomProblem({ n: 10, d: 3, n1: 0, gammaC: 0.1, seed: 2 });
    const { engine, config, x0 } = setup(p);
    const r = await solve(engine, config, x0, { solver: 'newton' });
    expect(r.status).toBe('diverged');
    expect(r.cause).toBe('invalid-start');
    expect(r.iterations).toBe(0);
    expect(r.reason).toMatch(/no row is tagged copyrighted, so ℓ1 = 0 and γc\/ℓ1 is infinite/);
  });

  it('stops at the iteration limit and says so', async () => {
    const p = randomProblem({ n: 20, d: 4, n1: 5, gammaC: 0.2, seed: 11 });
    const { engine, config, x0 } = setup(p);
    const r = await solve(engine, config, x0, { solver: 'gd', maxIter: 3 });
    expect(r.status).toBe('max-iter');
    expect(r.iterations).toBe(3);
    expect(r.history).toHaveLength(4);
    expect(r.reason).toMatch(/iteration limit/);
  });

  it('replacing the engine mid-run keeps the iterates and history', async () => {
    const p = randomProblem({ n: 25, d: 4, n1: 5, gammaC: 0.2, seed: 13, wLow: 0.05, wHigh: 0.15 });
    const { engine, config, x0 } = setup(p);
    const reference = await solve(engine, config, x0, { solver: 'newton' });
    const s = new BatchSolver(engine, [config], x0, { solver: 'newton' });
    await s.step();
    await s.step();
    s.replaceEngine(new CpuEngine(engine.dataset));
    const [r] = await s.run();
    expect(r.iterations).toBe(reference.iterations);
    expect(Array.from(r.x)).toEqual(Array.from(reference.x));
  });
});

describe('solvers on a float32 engine', () => {
  const p = randomProblem({ n: 30, d: 4, n1: 6, gammaC: 0.2, seed: 31, wLow: 0.05, wHigh: 0.15 });
  const { dataset, config } = splitProblem(p);
  const x0 = new Float64Array(4);

  it.each([
    ['the default tol', undefined],
    ['tol 1e-14', 1e-14],
  ])(
    'with %s, converge to float32 precision where L stops changing, near the float64 minimum',
    async (_label, tol) => {
      const ref = await solve(new CpuEngine(dataset), config, x0, { solver: 'newton' });
      const r = await solve(new Float32Rounded(dataset), config, x0, { solver: 'newton', tol, maxIter: 200 });
      expect(r.status, r.reason).toBe('converged');
      expect(r.cause).toBe('precision');
      expect(r.iterations).toBeLessThan(60);
      expect(r.reason).toMatch(
        /converged to float32 precision: iteration \d+: L changed by less than its float32 resolution/,
      );
      // It is the precision floor, not tol, that the run met.
      expect(r.gradNorm).toBeGreaterThan(tol ?? 1e-8);
      expect(r.gradNorm).toBeLessThanOrEqual(effectiveTolerance(tol ?? 1e-8, 'float32', r.parts.L));
      expect(Math.abs(r.parts.L - ref.parts.L) / ref.parts.L).toBeLessThan(1e-6);
      expect(Math.abs(r.parts.tau - ref.parts.tau)).toBeLessThan(1e-5);
    },
  );

  it('stop as stalled, not converged, when ‖∇L‖ is above the precision floor where L stops changing', async () => {
    // Gradient noise 1e-4 per entry, far above 64·u·(1 + |L|) ≈ 4e-6: Newton wanders at that level.
    const r = await solve(new Float32Rounded(dataset, 1e-4), config, x0, { solver: 'newton', maxIter: 200 });
    expect(r.status, r.reason).toBe('stalled');
    expect(r.cause).toBe('no-progress');
    expect(r.reason).toMatch(/float32 resolution/);
    expect(r.reason).toMatch(/above the float32 precision floor/);
  });

  it.each(['gd', 'newton'] as const)(
    '%s started on float32 and moved to the float64 engine (replaceEngine) converges to the CPU tolerance',
    async (solver) => {
      // A device loss mid-run: slack, ℓ1 guard and no-progress test must follow the new engine. With
      // float32's kept, gradient descent stopped as "stalled" at ‖∇L‖ ≈ 1e-3 on these problems.
      for (const seed of [13, 14, 15]) {
        const q = randomProblem({ n: 40, d: 5, n1: 8, gammaC: 0.2, seed, wLow: 0.05, wHigh: 0.15 });
        const { dataset: ds, config: cfg } = splitProblem(q);
        const start = new Float64Array(5);
        const options = { solver, tol: 1e-6 };
        const ref = await solve(new CpuEngine(ds), cfg, start, options);
        const s = new BatchSolver(new Float32Rounded(ds), [cfg], start, options);
        for (let k = 0; k < 4; k++) await s.step();
        s.replaceEngine(new CpuEngine(ds));
        const [r] = await s.run();
        expect(ref.status).toBe('converged');
        expect(r.status, `seed ${seed}: ${r.reason}`).toBe('converged');
        expect(r.cause).toBe('tolerance');
        expect(r.gradNorm).toBeLessThanOrEqual(1e-6);
        // The float64 gradient at the end, recomputed from scratch, agrees.
        expect(Math.hypot(...evaluateAt(q, r.x, { gradient: true }).grad!)).toBeLessThanOrEqual(1e-6);
        expect(Math.abs(r.parts.L - ref.parts.L) / ref.parts.L).toBeLessThan(1e-9);
      }
    },
  );
});

/**
 * A float32 engine that becomes the float64 CPU engine after `switchAfter` evaluate calls, as a
 * FailoverEngine does when the device is lost under a sweep (no replaceEngine is called).
 */
class SwitchingEngine implements Engine {
  readonly kind = 'cpu' as const;
  readonly description = 'float32, then CPU float64';
  private calls = 0;
  private readonly f32: Float32Rounded;
  private readonly f64: CpuEngine;
  constructor(
    readonly dataset: Dataset,
    private readonly switchAfter: number,
  ) {
    this.f32 = new Float32Rounded(dataset);
    this.f64 = new CpuEngine(dataset);
  }
  private get current(): Engine {
    return this.calls >= this.switchAfter ? this.f64 : this.f32;
  }
  get capabilities(): EngineCapabilities {
    return this.current.capabilities;
  }
  evaluate(batch: readonly EvalRequest[], options?: EvalOptions): Promise<Evaluation[]> {
    const engine = this.current;
    this.calls++;
    return engine.evaluate(batch, options);
  }
  hessianVectorProducts(batch: readonly EvalRequest[], v: readonly Float64Array[]): Promise<Float64Array[]> {
    return this.current.hessianVectorProducts(batch, v);
  }
  dispose(): void {}
}

describe('an engine whose precision changes underneath (failover without replaceEngine)', () => {
  it.each(['gd', 'newton'] as const)(
    '%s re-evaluates at the new precision and converges to the CPU tolerance',
    async (solver) => {
      for (const seed of [13, 14, 15]) {
        const q = randomProblem({ n: 40, d: 5, n1: 8, gammaC: 0.2, seed, wLow: 0.05, wHigh: 0.15 });
        const { dataset: ds, config: cfg } = splitProblem(q);
        const options = { solver, tol: 1e-6 };
        const [r] = await new BatchSolver(
          new SwitchingEngine(ds, 6),
          [cfg],
          new Float64Array(5),
          options,
        ).run();
        expect(r.status, `seed ${seed}: ${r.reason}`).toBe('converged');
        expect(r.cause).toBe('tolerance');
        expect(Math.hypot(...evaluateAt(q, r.x, { gradient: true }).grad!)).toBeLessThanOrEqual(1e-6);
      }
    },
  );
});

describe('the effective tolerance', () => {
  it('leaves float64 defaults alone and lifts a float32 tol to the precision floor', () => {
    for (const L of [0, 1e-3, 1, 1e3, 1e5]) {
      // 64·2⁻⁵³·(1 + 1e5) ≈ 7e-10 < 1e-8: the float64 default tol is what stops a run.
      expect(effectiveTolerance(1e-8, 'float64', L)).toBe(1e-8);
      expect(effectiveTolerance(1e-8, 'float32', L)).toBeCloseTo(64 * 2 ** -24 * (1 + L), 20);
      expect(effectiveTolerance(1e-2, 'float32', L)).toBe(Math.max(1e-2, 64 * 2 ** -24 * (1 + L)));
    }
  });
});

describe('a start where the copyrighted rows are fitted exactly (ℓ1 = 0)', () => {
  // Uniform b: at x0 = 0 softmax(Ax) is uniform too, so every row, copyrighted or not, has zero
  // error, and γc/ℓ1 is infinite there (the global reading; a separate softmax over n1 rows is 1/n1).
  const n = 40;
  const d = 4;
  const rng = createRng(77);
  const dataset: Dataset = {
    n,
    d,
    A: Float64Array.from({ length: n * d }, () => rng.normal()),
    b: new Float64Array(n).fill(1 / n),
    w: new Float64Array(n).fill(0.01),
  };
  const mask = Uint8Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0));
  const config = { gammaC: 0.1, mask, reading: 'global' as const };

  it.each([
    ['float64', () => new CpuEngine(dataset)],
    ['float32', () => new Float32Rounded(dataset)],
  ])('refuses to start on %s with the real reason, and the twin still runs', async (_p, engine) => {
    const [run, twin] = await new BatchSolver(
      engine(),
      [config, { ...config, gammaC: 0 }],
      new Float64Array(d),
      {
        solver: 'newton',
      },
    ).run();
    expect(run.status).toBe('diverged');
    expect(run.cause).toBe('invalid-start');
    expect(run.iterations).toBe(0);
    expect(run.history).toHaveLength(0);
    expect(run.reason).toMatch(
      /cannot start: at the start point the copyrighted rows are fitted exactly \(ℓ1 = 0\)/,
    );
    expect(run.reason).toMatch(/γc\/ℓ1 is infinite/);
    expect(run.reason).toMatch(/nonzero x0 seed/);
    expect(run.reason).not.toMatch(/Newton/);
    // The start's loss parts are reported as they are: ℓ1 = 0, τ = 0, L = ∞.
    expect(run.parts.l1).toBe(0);
    expect(run.parts.tau).toBe(0);
    expect(run.parts.L).toBe(Infinity);
    // At γc = 0 uniform b is fitted by x = 0 exactly: the twin converges at once.
    expect(twin.status).toBe('converged');
  });

  it('refuses a b uniform up to rounding (ℓ1 zero to float64 precision) but runs a small, resolved ℓ1', async () => {
    const nearly = (rel: number): Dataset => {
      const r = createRng(78);
      const b = Float64Array.from({ length: n }, () => (1 / n) * (1 + rel * r.normal()));
      const sum = b.reduce((a, v) => a + v, 0);
      return { ...dataset, b: b.map((v) => v / sum) };
    };
    // Residuals of ~1e-16 relative: ℓ1 ≈ 2e-33, rounding (below ((n + 8)·u)²·Σ b_i² ≈ 1.4e-31).
    const fitted = await solve(new CpuEngine(nearly(1e-16)), config, new Float64Array(d), {
      solver: 'newton',
    });
    expect(fitted.cause, fitted.reason).toBe('invalid-start');
    expect(fitted.reason).toMatch(/zero to float64 precision|ℓ1 = 0/);
    // Residuals of 1e-4/n: ℓ1 ≈ 5e-11, small but far above rounding: the run goes.
    const small = await solve(new CpuEngine(nearly(1e-4)), config, new Float64Array(d), { solver: 'newton' });
    expect(small.history[0].l1).toBeLessThan(1e-9);
    expect(small.status, small.reason).toBe('converged');
  });

  it('starts and converges from a seeded x0, where ℓ1 > 0', async () => {
    const r = await solve(new CpuEngine(dataset), config, startPoint(d, 1), { solver: 'newton' });
    expect(r.history[0].l1).toBeGreaterThan(0);
    expect(r.status, r.reason).toBe('converged');
    expect(r.parts.l1).toBeGreaterThan(0);
    expect(Number.isFinite(r.parts.tau)).toBe(true);
  });
});

describe('the statistical claim of math.md §7.4: τ typically rises with γc', () => {
  it('over 40 seeded problems, τ(γc=0.5) > τ(0) in most, with a clearly positive median gain', async () => {
    const gammas = [0, 0.05, 0.1, 0.2, 0.5];
    const gains: number[] = [];
    let monotone = 0;
    let maxGrad = 0;
    for (let seed = 0; seed < 40; seed++) {
      const p = randomProblem({ n: 12, d: 5, n1: 4, gammaC: 0, seed: 5000 + seed, wLow: 0.05, wHigh: 0.15 });
      const { engine, config, x0 } = setup(p);
      const results = await new BatchSolver(
        engine,
        gammas.map((gammaC) => ({ ...config, gammaC })),
        x0,
        { solver: 'newton', tol: 1e-10 },
      ).run();
      for (const r of results) {
        expect(r.status).toBe('converged');
        maxGrad = Math.max(maxGrad, r.gradNorm);
      }
      const taus = results.map((r) => r.parts.tau);
      gains.push(taus[taus.length - 1] - taus[0]);
      if (taus.every((t, k) => k === 0 || t >= taus[k - 1] - 1e-12)) monotone++;
    }
    gains.sort((a, b) => a - b);
    const median = (gains[19] + gains[20]) / 2;
    expect(maxGrad).toBeLessThan(1e-10);
    // math.md §7.4 saw 48/50 monotone and median gain 0.156 on this recipe; "typically", not always.
    expect(gains.filter((g) => g > 0).length).toBeGreaterThanOrEqual(34);
    expect(monotone).toBeGreaterThanOrEqual(30);
    expect(median).toBeGreaterThan(0.05);
  });
});
