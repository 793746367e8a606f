/**
 * The solvers' names, options, defaults and precision rules: what the page, the CLI and the
 * settings need without the solvers themselves (solvers.ts, which brings the eigen-solver), so the
 * page's first download does not carry them.
 */
import type { Engine } from '../engine/engine';
import { methodOf } from '../math/methods';
import type { ObjectiveConfig } from '../math/types';

export type SolverName = 'newton' | 'gd' | 'sketched' | 'newton-cg';

export const SOLVER_NAMES: readonly SolverName[] = ['newton', 'gd', 'sketched', 'newton-cg'];

/**
 * Why a run over n rows with n1 tagged cannot give τ (null when it can): ℓ1/n1 needs a tagged
 * row and ℓ2/n2 an untagged one. The page and the CLI refuse with these words.
 */
export function tagCountProblem(n1: number, n: number): string | null {
  if (n1 === 0) return 'no row is tagged as copyrighted: ℓ1/n1 and τ need n1 ≥ 1';
  if (n1 === n) return 'every row is tagged as copyrighted: ℓ2/n2 and τ need n2 ≥ 1';
  return null;
}

/** Seed of the sketch's row sampling when none is given (the page, links and the CLI use it). */
export const DEFAULT_SKETCH_SEED = 1;

/** Default iteration limit of each solver: gradient descent needs many more, cheaper steps. */
export const DEFAULT_MAX_ITER: Readonly<Record<SolverName, number>> = {
  newton: 100,
  sketched: 100,
  'newton-cg': 100,
  gd: 5000,
};

/** Arithmetic an engine evaluates in. */
export type EnginePrecision = 'float64' | 'float32';

/** The precision of the engine's arithmetic (an engine that declares none is float64). */
export function enginePrecision(engine: Engine): EnginePrecision {
  // `capabilities` is the engine's declaration; `precision` the older field wrappers may still carry.
  return engine.capabilities?.precision ?? engine.precision ?? 'float64';
}

/** Unit roundoff u of the arithmetic: 2⁻²⁴ ≈ 6.0e-8 (float32), 2⁻⁵³ ≈ 1.1e-16 (float64). */
export function unitRoundoff(precision: EnginePrecision): number {
  return precision === 'float32' ? 2 ** -24 : 2 ** -53;
}

/** The factor C of the precision floor C·u·(1 + |L|) (see {@link precisionFloor}). */
export const PRECISION_FLOOR_FACTOR = 64;

/**
 * The precision floor of ‖∇L‖: C·u·(1 + |L|), with u the unit roundoff of the engine's arithmetic,
 * L the objective at the point and C = {@link PRECISION_FLOOR_FACTOR}. L's own resolution is u·|L|
 * (the 1 keeps the floor from vanishing where L is tiny); the gradient is a sum of terms of about
 * L's size per unit of x, and its rounding error is a modest multiple of u times that.
 *
 * Measured (the float32 WebGPU engine through SwiftShader, Newton at the default tol 1e-8, 80
 * problems: 60 random with n 50…10,000, d 3…32, γc 0…1, ρ 0.03…3, both readings, both generators,
 * x0 = 0 or seeded, and 20 of the default generator with n 60…20,000, d 4…32): 9 reached tol; 68
 * stopped where L stopped changing with ‖∇L‖ ≤ 38·u·(1 + |L|), within C = 64; 3 stopped there with
 * ‖∇L‖ = 87…561·u·(1 + |L|) and stay 'stalled' (slow runs: one needs over 100 iterations in float64
 * too). In float64 the floor is ≈ 7e-15·(1 + |L|), far below the default tol 1e-8.
 */
export function precisionFloor(precision: EnginePrecision, L: number): number {
  return PRECISION_FLOOR_FACTOR * unitRoundoff(precision) * (1 + Math.abs(L));
}

/**
 * The effective tolerance on an engine: max(tol, C·u·(1 + |L|)) (see {@link precisionFloor}). A run
 * converges when ‖∇L‖ ≤ tol; or, once it can make no more progress at the engine's precision (L
 * flat over the no-progress window, or a line search that finds no decrease), when
 * ‖∇L‖ ≤ effectiveTolerance — 'converged to float32 precision' where tol is below what float32
 * resolves. The floor only judges a run that has already stopped moving, so a tiny tol is never
 * cut short: the run goes as far as the arithmetic allows.
 */
export function effectiveTolerance(tol: number, precision: EnginePrecision, L: number): number {
  return Math.max(tol, precisionFloor(precision, L));
}

/**
 * Whether trial points need ℓ1 above a floor: the method's F grows without bound as ℓ1 → 0 (the
 * paper's γc/ℓ1, the log barrier) and its strength is > 0.
 */
export function needsL1Guard(config: ObjectiveConfig): boolean {
  return config.gammaC > 0 && methodOf(config).needsL1Floor;
}

/** Default ℓ1 guard (math.md §4.5): trial points with ℓ1 at or below it are rejected when {@link needsL1Guard}. */
export function defaultL1Floor(precision: EnginePrecision): number {
  return precision === 'float32' ? 1e-6 : 1e-12;
}

export interface SolverOptions {
  solver: SolverName;
  /** Iteration limit (default {@link DEFAULT_MAX_ITER} of the solver). */
  maxIter?: number;
  /** Stop when ‖∇L‖₂ ≤ tol (default 1e-8; see {@link effectiveTolerance} for float32). */
  tol?: number;
  /** Fixed GD step; omit for Armijo backtracking. */
  gdStep?: number;
  /** Expected number of rows the sketched Hessian samples (default min(n, 20·d + 100)). */
  sketchRows?: number;
  /** Seed for the sketch's row sampling (default 1). */
  seed?: number;
  /** Most Hessian-vector products per Newton-CG solve (default 2·d; per damping level). */
  cgMaxIter?: number;
  /** Newton-CG on negative curvature: damp ∇²L + μI as Newton does (default), or steepest descent. */
  cgNegativeCurvature?: 'damp' | 'steepest';
  /** Record λ_min(∇²L) on Newton iterations (default: when d ≤ 128; costs O(d³) per iteration). */
  trackLambdaMin?: boolean;
  /** Armijo sufficient-decrease constant (default 1e-4). */
  armijoC?: number;
  /** Smallest step the line search tries before giving up (default 1e-12). */
  minStep?: number;
  /** Trial points with ℓ1 ≤ this are rejected when γc > 0 (default {@link defaultL1Floor} of the engine in use). */
  l1Floor?: number;
  /**
   * Stop when L changed by less than its resolution over this many iterations (default 5): with a
   * float32 engine ‖∇L‖ has a noise floor that a tight tol never reaches.
   */
  stallWindow?: number;
}
