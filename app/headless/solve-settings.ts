/**
 * Solves what a set of settings describes, without a page: the same data (generator-spec.ts), tags,
 * start point, solver options and twin as the playground, on the float64 CPU engine. The preset
 * claim tests and the CLI's `--preset` use it, so "the app shows X" is checked on exactly the
 * computation the app runs. Generated data only (an uploaded CSV is not in the settings).
 */
import { generate } from '../../src/data/generators';
import { DataError } from '../../src/data/errors';
import { maskFromSettings } from '../data/settings-mask';
import { CpuEngine } from '../../src/engine/cpu-engine';
import type { Engine } from '../../src/engine/engine';
import { runSweep, type SweepResult } from '../../src/engine/sweep';
import { BatchSolver, type SolveResult } from '../../src/solve/solvers';
import type { Dataset } from '../../src/math/types';
import { generatorSpec, scaledDataset } from '../data/generator-spec';
import { runConfigs, solverOptionsFrom, startPoint, sweepSpec } from '../run/run-config';
import type { Settings } from '../store/settings';

/** The data and copyright mask the settings describe. */
export interface SettingsProblem {
  dataset: Dataset;
  mask: Uint8Array;
  /** Cluster id per row (clusters generator only). */
  clusters: Int32Array | null;
}

/** Builds the generated data and the tags, as the page does. */
export function problemFromSettings(s: Settings): SettingsProblem {
  if (s.source !== 'generate')
    throw new Error('headless runs need generated data (a CSV is not in the settings)');
  const generated = generate(generatorSpec(s));
  const dataset = scaledDataset(generated.dataset, generated.dataset.w, s.reg);
  const clusters = generated.clusters ?? null;
  const { mask, notice } = maskFromSettings(s, dataset.n, clusters);
  // Headless callers (preset tests, the CLI) have nobody to show a notice to: tags that cannot
  // apply are an error here, where the page would tag no rows and say so.
  if (notice) throw new DataError(notice);
  return { dataset, mask, clusters };
}

/** A solved run and, when the settings ask for it, its γc = 0 twin. */
export interface SettingsSolve {
  problem: SettingsProblem;
  run: SolveResult;
  twin: SolveResult | null;
}

/**
 * Solves the run (and twin) the settings describe, on the float64 CPU engine unless another engine
 * over the same data is given (the CLI's `--link --engine gpu`). The engine is disposed after.
 */
export async function solveSettings(
  s: Settings,
  problem = problemFromSettings(s),
  engine: Engine = new CpuEngine(problem.dataset),
): Promise<SettingsSolve> {
  try {
    const solver = new BatchSolver(
      engine,
      runConfigs(s, problem.mask),
      startPoint(problem.dataset.d, s.x0Seed),
      solverOptionsFrom(s),
    );
    const [run, twin] = await solver.run(() => {});
    return { problem, run, twin: twin ?? null };
  } finally {
    engine.dispose();
  }
}

/**
 * Runs the sweep grid the settings describe (as the sweep view does), on the float64 CPU engine
 * unless another engine over the same data is given. The engine is disposed after.
 */
export async function sweepSettings(
  s: Settings,
  problem = problemFromSettings(s),
  engine: Engine = new CpuEngine(problem.dataset),
): Promise<SweepResult> {
  try {
    return await runSweep(engine, sweepSpec(s, problem.dataset.d));
  } finally {
    engine.dispose();
  }
}
