/**
 * The solvers as strategies. A strategy says what differs between methods: which Hessian the
 * engine should return with each gradient, the search direction, and the first trial step. The
 * BatchSolver (solvers.ts) owns everything they share: lock-step evaluation of the batch, the
 * Armijo line search, the ℓ1 guard and the stopping rules.
 *
 * - newton: damped Newton. Cholesky of ∇²L; if it fails, μI is added with μ ×10 until it succeeds
 *   (math.md §4.5). First step t = 1.
 * - gd: gradient descent; the line search starts at twice the last accepted step, or a fixed step.
 * - sketched: the DLS23 approximate Newton (math.md §2): the diagonal part of the Hessian is
 *   replaced by leverage-score row sampling, the low-rank part kept exact; a fresh sample each
 *   iteration. First step t = 1 (the DLS23 update).
 * - newton-cg: truncated CG on Hessian-vector products (newton-cg.ts); the evaluation asks for no
 *   Hessian at all. First step t = 1.
 */
import type { Engine, HessianMode } from '../engine/engine';
import { dampedCholeskySolve, dot } from '../math/linalg';
import { truncatedCg } from './newton-cg';
import type { SolverName } from './solvers';
import type { Evaluation, ObjectiveConfig } from '../math/types';

/** One run as a strategy sees it when it computes a direction. */
export interface DirectionPoint {
  x: Float64Array;
  config: ObjectiveConfig;
  /** The evaluation at x: L, ∇L and the Hessian the strategy asked for. */
  ev: Evaluation;
}

export interface Direction {
  dir: Float64Array;
  /** Damping μ the Newton solve needed (0 = the Hessian was positive definite). */
  damping?: number;
  /** Hessian-vector products (CG iterations) spent on the direction. */
  cgIterations?: number;
}

export interface SolverStrategy {
  /** Hessian wanted with the gradient at the point that will be iteration `iter`. */
  hessian(iter: number): HessianMode;
  /**
   * Search directions for a batch of runs, in order (one engine call per CG iteration for the
   * whole batch where products are needed); null where none could be computed.
   */
  directions(engine: Engine, points: readonly DirectionPoint[]): Promise<(Direction | null)[]>;
  /** What a null direction means, for people ("non-finite Hessian"). */
  readonly directionFailure: string;
  /** First trial step, given the last accepted one (1 before any step). */
  firstStep(lastStep: number): number;
  /** A fixed step: no backtracking, and a trial point that is not finite is a divergence. */
  readonly fixedStep: boolean;
  /** The evaluation carries the exact ∇²L (so λ_min can be recorded from it). */
  readonly exactHessian: boolean;
}

/** The strategy settings a solver run resolves (solvers.ts fills the defaults). */
export interface StrategySettings {
  solver: SolverName;
  gdStep?: number;
  sketchRows: number;
  seed: number;
  /** Most Hessian-vector products per Newton-CG solve. */
  cgMaxIter: number;
  /** Newton-CG on negative curvature (newton-cg.ts). */
  cgNegativeCurvature?: 'damp' | 'steepest';
}

const negate = (g: Float64Array): Float64Array => g.map((v) => -v);

/** Newton direction from the evaluation's Hessian (exact or sketched), −∇L without one. */
function newtonDirection(ev: Evaluation): Direction | null {
  const g = ev.grad!;
  if (!ev.hessian) return { dir: negate(g) };
  const neg = negate(g);
  const sol = dampedCholeskySolve(ev.hessian, g.length, neg);
  if (!sol) return null;
  // A damped solve of an SPD system always gives a descent direction; guard rounding anyway.
  return { dir: dot(sol.x, g) < 0 ? sol.x : neg, damping: sol.mu };
}

const perPoint =
  (f: (ev: Evaluation) => Direction | null) =>
  async (_engine: Engine, points: readonly DirectionPoint[]): Promise<(Direction | null)[]> =>
    points.map((p) => f(p.ev));

const NON_FINITE_HESSIAN = 'non-finite Hessian';

/** The strategy for `settings.solver`. */
export function createStrategy(settings: StrategySettings): SolverStrategy {
  switch (settings.solver) {
    case 'newton':
      return {
        hessian: () => 'exact',
        directions: perPoint(newtonDirection),
        directionFailure: NON_FINITE_HESSIAN,
        firstStep: () => 1,
        fixedStep: false,
        exactHessian: true,
      };
    case 'sketched':
      return {
        hessian: (iter) => {
          // A fresh sample each iteration, reproducible from (seed, iteration).
          const seed = Number.isSafeInteger(settings.seed + iter) ? settings.seed + iter : iter;
          return { sketch: { rows: settings.sketchRows, seed } };
        },
        directions: perPoint(newtonDirection),
        directionFailure: NON_FINITE_HESSIAN,
        firstStep: () => 1,
        fixedStep: false,
        exactHessian: false,
      };
    case 'gd': {
      const fixed = settings.gdStep;
      return {
        hessian: () => 'none',
        directions: perPoint((ev) => ({ dir: negate(ev.grad!) })),
        directionFailure: 'non-finite gradient',
        firstStep: (last) => (fixed !== undefined ? fixed : last * 2),
        fixedStep: fixed !== undefined,
        exactHessian: false,
      };
    }
    case 'newton-cg':
      return {
        hessian: () => 'none',
        directions: async (engine, points) => {
          const results = await truncatedCg(
            points.map((p) => p.ev.grad!),
            (active, v) =>
              engine.hessianVectorProducts(
                active.map((k) => ({ x: points[k].x, config: points[k].config })),
                v,
              ),
            { maxIterations: settings.cgMaxIter, negativeCurvature: settings.cgNegativeCurvature },
          );
          return results.map((r) => r && { dir: r.p, damping: r.damping, cgIterations: r.products });
        },
        directionFailure: 'non-finite Hessian-vector product',
        firstStep: () => 1,
        fixedStep: false,
        exactHessian: false,
      };
  }
}
