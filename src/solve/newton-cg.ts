/**
 * Truncated conjugate gradients for the Newton system ∇²L·p = −∇L, using only Hessian-vector
 * products: no d×d matrix is formed or stored, so a step costs O(n·d) per product instead of the
 * O(n·d²) Hessian and O(d³) factorisation of the damped Newton path. This is the method for large d.
 *
 * Line-search Newton-CG (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 7.1):
 * - CG starts at p = 0 and stops when the residual ‖∇²L·p + ∇L‖ ≤ η·‖∇L‖ with the forcing term
 *   η = min(½, √‖∇L‖) (their eq. 7.3, an Eisenstat–Walker choice): loose far from the minimum,
 *   tightening as ‖∇L‖ → 0, which makes the outer iteration superlinear.
 * - Negative (or zero) curvature dᵀ(∇²L + μI)·d ≤ 0 (∇²L is indefinite where γc/ℓ1 or the softmax
 *   makes L nonconvex): as the damped Newton path does with its Cholesky factorisation, μ is raised
 *   (to max(10μ, 2|dᵀ∇²L·d|/‖d‖²), so that d itself has positive damped curvature) and CG restarts
 *   on ∇²L + μI. The direction then approximates damped Newton's −(∇²L + μI)⁻¹∇L, and the reported
 *   damping is μ. Steepest descent is the fallback: after {@link MAX_RESTARTS} restarts, or at once
 *   with `negativeCurvature: 'steepest'` (N&W Alg. 7.1 as printed: −∇L on the first CG iteration,
 *   else the last CG iterate, which is a descent direction since every curvature met was positive).
 *   Steepest descent is scaled as CG's first step would be with the curvature's magnitude,
 *   −(‖∇L‖²/|∇Lᵀ∇²L∇L|)·∇L, because the line search starts at t = 1 and only shrinks.
 *   Measured (CPU, float64, default tol): on the 40 seeded problems of newton-cg.test.ts damping
 *   reaches damped Newton's minimum on 39 and steepest descent on 35; on the default generator
 *   (n = 200…5000, d = 8…64, γc ∈ {0, 0.1}, x0 = 0, where λ_min(∇²L(x0)) < 0 even at γc = 0)
 *   damping converged on 12 of 12 within 74 iterations, steepest descent hit the 100-iteration
 *   limit on 4 of 12.
 * - At most `maxIterations` products per CG solve (exact CG needs ≤ d; rounding can need a few
 *   more); each damping restart starts a new solve.
 *
 * Several systems (a run, its twin, a sweep's cells) iterate in lock step: each CG iteration asks
 * for the products of all systems still iterating in ONE call, so a GPU engine reads A once per
 * CG iteration for the whole batch.
 */
import { dot } from '../math/linalg';

/** How one system's CG ended. */
export type CgExit = 'residual' | 'negative-curvature' | 'iteration-limit';

export interface CgResult {
  /** The direction: the truncated CG solution of (∇²L + μI)·p = −∇L, or steepest descent. */
  p: Float64Array;
  /** Hessian-vector products used. */
  products: number;
  /** Damping μ the direction was computed with (0 = ∇²L itself). */
  damping: number;
  exit: CgExit;
}

/**
 * Products ∇²L·v for the systems listed in `active` (indices into the batch), one v each, in that
 * order.
 */
export type HessianVectorProducts = (
  active: readonly number[],
  v: readonly Float64Array[],
) => Promise<Float64Array[]>;

export interface CgOptions {
  /** Most products per CG solve (per damping level when damping). */
  maxIterations: number;
  /** Maps ‖∇L‖ to η: CG stops at residual ≤ η·‖∇L‖ (default {@link cgForcing}). */
  forcing?: (gradNorm: number) => number;
  /**
   * On negative curvature: 'damp' raises μ and restarts CG on ∇²L + μI, as the damped Newton path
   * does; 'steepest' ends CG at once (N&W Alg. 7.1). Default 'damp'.
   */
  negativeCurvature?: 'damp' | 'steepest';
}

/** The forcing term η(‖∇L‖) = min(½, √‖∇L‖) of N&W eq. 7.3. */
export function cgForcing(gradNorm: number): number {
  return Math.min(0.5, Math.sqrt(gradNorm));
}

/** Most damping restarts of one solve (μ grows ≥ ×10 each time) before steepest descent. */
const MAX_RESTARTS = 30;

interface System {
  g: Float64Array;
  /** ‖∇L‖². */
  gg: number;
  /** CG iterate (the direction being built). */
  z: Float64Array;
  /** Residual (∇²L + μI)·z + ∇L. */
  r: Float64Array;
  /** Search direction of CG. */
  d: Float64Array;
  rr: number;
  /** Stop when ‖r‖ ≤ this. */
  target: number;
  mu: number;
  /** Products since the last (re)start. */
  sinceStart: number;
  restarts: number;
  products: number;
  /** Curvature ∇Lᵀ∇²L∇L/‖∇L‖² seen on the first product (for the steepest descent length). */
  firstRayleigh: number;
  result: CgResult | null;
  /** A product had NaN/Inf entries. */
  failed: boolean;
}

function allFinite(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

function restart(s: System): void {
  s.z.fill(0);
  s.r.set(s.g);
  for (let i = 0; i < s.d.length; i++) s.d[i] = -s.g[i];
  s.rr = s.gg;
  s.sinceStart = 0;
}

/**
 * Truncated CG for each gradient in `grads`, in lock step. Returns, per system, the direction, or
 * null when a Hessian-vector product was not finite.
 */
export async function truncatedCg(
  grads: readonly Float64Array[],
  hvp: HessianVectorProducts,
  options: CgOptions,
): Promise<(CgResult | null)[]> {
  const forcing = options.forcing ?? cgForcing;
  const damp = (options.negativeCurvature ?? 'damp') === 'damp';
  const systems: System[] = grads.map((g) => {
    const gg = dot(g, g);
    const s: System = {
      g,
      gg,
      z: new Float64Array(g.length),
      r: new Float64Array(g.length),
      d: new Float64Array(g.length),
      rr: gg,
      target: forcing(Math.sqrt(gg)) * Math.sqrt(gg),
      mu: 0,
      sinceStart: 0,
      restarts: 0,
      products: 0,
      firstRayleigh: NaN,
      result: null,
      failed: false,
    };
    restart(s);
    return s;
  });
  const steepest = (s: System): Float64Array => {
    // At the length of CG's first step with the curvature's magnitude (module comment).
    const k = Math.abs(s.firstRayleigh);
    const scale = k > 0 && Number.isFinite(k) ? 1 / k : 1;
    return s.g.map((v) => -scale * v);
  };
  const finish = (s: System, exit: CgExit): void => {
    const p = s.sinceStart > 1 || exit !== 'negative-curvature' ? s.z : steepest(s);
    // Every CG iterate from p = 0 with positive curvatures is a descent direction; guard rounding.
    s.result = { p: dot(p, s.g) < 0 ? p : steepest(s), products: s.products, damping: s.mu, exit };
  };
  // A zero gradient needs no direction (the solver has stopped before asking for one).
  for (const s of systems) if (!(s.gg > 0)) finish(s, 'residual');

  for (;;) {
    const active = systems.flatMap((s, k) => (s.result || s.failed ? [] : [k]));
    if (!active.length) break;
    const products = await hvp(
      active,
      active.map((k) => systems[k].d),
    );
    active.forEach((k, j) => {
      const s = systems[k];
      const Hd = products[j];
      s.products++;
      s.sinceStart++;
      if (!allFinite(Hd)) {
        s.failed = true;
        return;
      }
      const dd = dot(s.d, s.d);
      const curvatureH = dot(s.d, Hd);
      if (s.products === 1) s.firstRayleigh = curvatureH / dd;
      if (s.mu > 0) for (let i = 0; i < Hd.length; i++) Hd[i] += s.mu * s.d[i];
      const curvature = curvatureH + s.mu * dd;
      if (!(curvature > 0)) {
        if (!damp || s.restarts >= MAX_RESTARTS) return finish(s, 'negative-curvature');
        // ∇²L has curvature curvatureH/dd ≤ −μ along d: damp past it (and by ≥ ×10, as the Newton
        // path's μ ladder) and solve the damped system from the start.
        s.mu = Math.max(10 * s.mu, (-2 * curvatureH) / dd, 1e-12);
        s.restarts++;
        return restart(s);
      }
      const alpha = s.rr / curvature;
      for (let i = 0; i < s.z.length; i++) {
        s.z[i] += alpha * s.d[i];
        s.r[i] += alpha * Hd[i];
      }
      const rrNew = dot(s.r, s.r);
      if (Math.sqrt(rrNew) <= s.target) return finish(s, 'residual');
      if (s.sinceStart >= options.maxIterations) return finish(s, 'iteration-limit');
      const beta = rrNew / s.rr;
      for (let i = 0; i < s.d.length; i++) s.d[i] = -s.r[i] + beta * s.d[i];
      s.rr = rrNew;
    });
  }
  return systems.map((s) => (s.failed ? null : s.result));
}
