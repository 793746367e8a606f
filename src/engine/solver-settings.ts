/**
 * From the solver settings a link carries to what `solve` and `runSweep` take: the one
 * conversion, used by the page (app/run), the headless runner (app/headless, presets) and the CLI,
 * so that a link reproduces the same iterates everywhere (same sketch seed, same start point).
 */
import { createRng } from '../data/prng';
import { DEFAULT_SKETCH_SEED, type SolverName, type SolverOptions } from '../solve/solver-options';

/** The solver part of the settings (app/store/settings.ts Settings has these fields). */
export interface SolverSettings {
  solver: SolverName;
  /**
   * Stop when ‖∇L‖ ≤ tol; below what the engine resolves (float32), a run that stops moving with
   * ‖∇L‖ within the precision floor counts as converged (effectiveTolerance in src/solve/solvers).
   */
  tol: number;
  maxIter: number;
  /** Fixed GD step; 0 means Armijo line search. */
  gdStep: number;
  /** Expected sampled rows of the sketched Hessian; 0 means the solver's default. */
  sketchRows: number;
  /** 0 means x0 = 0; any other value seeds x0 ~ N(0, 0.1²). */
  x0Seed: number;
}

/**
 * The sketch's row-sampling seed. Fixed (the solver's own default, 1) rather than taken from the
 * data seed, so that a sketched run depends only on its solver settings: the page, the CLI and a
 * link agree for uploaded data too, which has no data seed.
 */
export const SKETCH_SEED = DEFAULT_SKETCH_SEED;

/** Standard deviation of a seeded start point's entries. */
const X0_SCALE = 0.1;

/** x0 = 0, or N(0, 0.1²) entries from the x0 seed. */
export function startPoint(d: number, x0Seed: number): Float64Array {
  const x0 = new Float64Array(d);
  if (x0Seed === 0) return x0;
  const rng = createRng(x0Seed);
  for (let j = 0; j < d; j++) x0[j] = X0_SCALE * rng.normal();
  return x0;
}

/** Solver options from the settings (omitting what the solver should default). */
export function solverOptionsFrom(s: SolverSettings): SolverOptions {
  const options: SolverOptions = { solver: s.solver, maxIter: s.maxIter, tol: s.tol, seed: SKETCH_SEED };
  if (s.solver === 'gd' && s.gdStep > 0) options.gdStep = s.gdStep;
  if (s.solver === 'sketched' && s.sketchRows > 0) options.sketchRows = s.sketchRows;
  return options;
}
