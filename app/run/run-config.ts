/**
 * From settings to what a solver needs, without the DOM: the start point, the solver options and
 * the run's configurations (the run and its γc = 0 twin). The page (run-controller.ts), the
 * headless runner (app/headless) and so the preset tests and the CLI's --preset use these.
 */
import { createRng } from '../../src/data/prng';
import type { SweepSpec } from '../../src/engine/sweep';
import type { SolverOptions } from '../../src/math/solvers';
import type { ObjectiveConfig } from '../../src/math/types';
import type { Settings } from '../store/settings';

/** x0 = 0, or N(0, 0.1²) entries from the x0 seed. */
export function startPoint(d: number, x0Seed: number): Float64Array {
  const x0 = new Float64Array(d);
  if (x0Seed === 0) return x0;
  const rng = createRng(x0Seed);
  for (let j = 0; j < d; j++) x0[j] = 0.1 * rng.normal();
  return x0;
}

/** Solver options from the settings (omitting what the solver should default). */
export function solverOptions(s: Settings): SolverOptions {
  const options: SolverOptions = { solver: s.solver, maxIter: s.maxIter, tol: s.tol };
  if (s.solver === 'gd' && s.gdStep > 0) options.gdStep = s.gdStep;
  if (s.solver === 'sketched' && s.sketchRows > 0) options.sketchRows = s.sketchRows;
  return options;
}

/** The run and, when on, its γc = 0 twin over the same data, tags and start point. */
export function runConfigs(s: Settings, mask: Uint8Array): ObjectiveConfig[] {
  const run: ObjectiveConfig = { gammaC: s.gammaC, mask, reading: s.reading };
  return s.twin ? [run, { ...run, gammaC: 0 }] : [run];
}

/** The runSweep spec for the current settings (seeds 1…k, as the CLI's default --seed-base). */
export function sweepSpec(settings: Settings, d: number): SweepSpec {
  const { gammas, fractions, seeds } = settings.sweep;
  return {
    gammas: [...gammas],
    fractions: [...fractions],
    seeds,
    seedBase: 1,
    reading: settings.reading,
    solver: solverOptions(settings),
    x0: startPoint(d, settings.x0Seed),
  };
}
