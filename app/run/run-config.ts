/**
 * From settings to what a solver needs, without the DOM: the start point, the solver options and
 * the run's configurations (the run and its γc = 0 twin). The page (run-controller.ts), the
 * headless runner (app/headless) and so the preset tests and the CLI's --preset use these. The
 * solver options and the start point come from src/engine/solver-settings.ts (shared with the CLI).
 */
import { solverOptionsFrom, startPoint } from '../../src/engine/solver-settings';
import type { SweepSpec } from '../../src/engine/sweep';
import type { ObjectiveConfig } from '../../src/math/types';
import type { OtherMethod, Settings } from '../store/settings';

/**
 * The run and, when on, its twin over the same data, tags and start point: the plain fit (the
 * paper's γc = 0) whatever the run's method, so every method is compared with the same baseline.
 */
export function runConfigs(s: Settings, mask: Uint8Array): ObjectiveConfig[] {
  const run: ObjectiveConfig = { gammaC: s.gammaC, mask, reading: s.reading };
  if (s.method !== 'paper') run.method = s.method;
  if (s.method === 'tau-target') run.tauTarget = s.tauTarget;
  return s.twin ? [run, { gammaC: 0, mask, reading: s.reading }] : [run];
}

/** The first tag seed of a sweep: seeds are SWEEP_SEED_BASE … SWEEP_SEED_BASE + k − 1 (the CLI's default --seed-base). */
export const SWEEP_SEED_BASE = 1;

/** The runSweep spec for the current settings. */
export function sweepSpec(settings: Settings, d: number): SweepSpec {
  const { gammas, fractions, seeds, methods, strengths } = settings.sweep;
  return {
    gammas: [...gammas],
    methods: [...methods],
    strengths: Object.fromEntries(
      methods.filter((m) => m !== 'paper').map((m) => [m, [...strengths[m as OtherMethod]]]),
    ),
    tauTarget: settings.tauTarget,
    fractions: [...fractions],
    seeds,
    seedBase: SWEEP_SEED_BASE,
    reading: settings.reading,
    solver: solverOptionsFrom(settings),
    x0: startPoint(d, settings.x0Seed),
  };
}

export { solverOptionsFrom, startPoint };
