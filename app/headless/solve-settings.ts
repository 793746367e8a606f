/**
 * Solves what a set of settings describes, without a page: the same data (generator-spec.ts), tags,
 * start point, solver options and twin as the playground, on the float64 CPU engine. The preset
 * claim tests and the CLI's `--preset` use it, so "the app shows X" is checked on exactly the
 * computation the app runs. Generated data only (an uploaded CSV is not in the settings).
 */
import { generate } from '../../src/data/generators';
import { applyTagRule, decodeMaskBitset } from '../../src/data/tagging';
import { CpuEngine } from '../../src/engine/cpu-engine';
import { runSweep, type SweepResult } from '../../src/engine/sweep';
import { BatchSolver, type SolveResult } from '../../src/math/solvers';
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
  const rule = s.tagRule;
  const mask =
    rule.kind === 'manual'
      ? decodeMaskBitset(s.manualBits, dataset.n)
      : applyTagRule(rule, dataset.n, clusters ?? undefined);
  return { dataset, mask, clusters };
}

/** A solved run and, when the settings ask for it, its γc = 0 twin. */
export interface SettingsSolve {
  problem: SettingsProblem;
  run: SolveResult;
  twin: SolveResult | null;
}

/** Solves the run (and twin) the settings describe, on the float64 CPU engine. */
export async function solveSettings(s: Settings, problem = problemFromSettings(s)): Promise<SettingsSolve> {
  const engine = new CpuEngine(problem.dataset);
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

/** Runs the sweep grid the settings describe (as the sweep view does), on the float64 CPU engine. */
export async function sweepSettings(s: Settings, problem = problemFromSettings(s)): Promise<SweepResult> {
  const engine = new CpuEngine(problem.dataset);
  try {
    return await runSweep(engine, sweepSpec(s, problem.dataset.d));
  } finally {
    engine.dispose();
  }
}
