/**
 * The language-model sweep's pure parts (no DOM, no workers): its spec from the settings, the
 * pool's size, the time-left estimate and the cells' CSV.
 */
import { lmSweepGammas, sweepCells, type LmSweepCell, type LmSweepSpec } from '../../src/lm/sweep';
import type { LmSettings, LmSweepSettings } from '../store/settings';
import type { UploadedText } from '../../src/lm/corpus';
import { lmSpecFrom } from './lm-config';

/** Most workers in the pool: more would mostly fight over memory bandwidth and the page's thread. */
export const POOL_MAX = 4;

/**
 * Most training steps a sweep may take in all (cells × steps per cell), checked before any worker
 * starts: the default model trains ~55 steps/s on one core, so this is about an hour there.
 */
export const LM_SWEEP_STEPS_MAX = 200_000;

/** The sweep the settings describe (the view's model, the grid's γ, n1/n, seeds and steps), or why not. */
export function lmSweepSpecFrom(
  lm: LmSettings,
  grid: LmSweepSettings,
  upload?: UploadedText,
): { ok: true; spec: LmSweepSpec } | { ok: false; reason: string } {
  const made = lmSpecFrom(lm, upload);
  if (!made.ok) return made;
  // Every n1/n must tag something (a passage or a canary), as the view's own training must.
  for (const fraction of grid.fractions) {
    const cell = lmSpecFrom({ ...lm, fraction }, upload);
    if (!cell.ok) return { ok: false, reason: `At n1/n = ${fraction}: ${cell.reason}` };
  }
  const steps = lmSweepCellCount(grid) * grid.steps;
  if (steps > LM_SWEEP_STEPS_MAX)
    return {
      ok: false,
      reason: `This grid trains ${lmSweepCellCount(grid).toLocaleString('en-US')} cells of ${grid.steps.toLocaleString('en-US')} steps, ${steps.toLocaleString('en-US')} steps in all; a sweep in the page takes up to ${LM_SWEEP_STEPS_MAX.toLocaleString('en-US')}. Use fewer γ values, n1/n values, seeds or steps (or the CLI's lm-sweep).`,
    };
  return {
    ok: true,
    spec: {
      base: made.spec,
      gammas: [...grid.gammas],
      fractions: [...grid.fractions],
      seeds: grid.seeds,
      steps: grid.steps,
    },
  };
}

/** Cells of a grid: (the γ list with the baseline) × n1/n × seeds. */
export function lmSweepCellCount(grid: LmSweepSettings): number {
  return lmSweepGammas(grid).length * grid.fractions.length * grid.seeds;
}

/**
 * Workers for `jobs` cells: one core is left to the page, at most {@link POOL_MAX}, never more
 * than the cells, at least one (hardwareConcurrency may be missing or 1).
 */
export function poolSize(hardwareConcurrency: number | undefined, jobs: number): number {
  const cores = Number.isFinite(hardwareConcurrency) ? Math.floor(hardwareConcurrency ?? 1) : 1;
  return Math.max(1, Math.min(POOL_MAX, Math.max(1, cores - 1), jobs));
}

/**
 * Time left (ms), assuming the steps still to train go at the rate so far; null before a step is
 * done (no rate yet).
 */
export function remainingMs(elapsedMs: number, stepsDone: number, stepsTotal: number): number | null {
  if (stepsDone <= 0 || elapsedMs <= 0) return null;
  return (elapsedMs / stepsDone) * Math.max(0, stepsTotal - stepsDone);
}

/** "1 min 05 s", "12 s": durations for people. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The CSV's columns, one cell a row. */
export const LM_SWEEP_CSV_COLUMNS = [
  'gamma',
  'fraction',
  'seed',
  'status',
  'tau_ce',
  'ce_copyright',
  'validation_perplexity',
  'canary_exposure_bits',
  'exact_matches',
] as const;

/**
 * Every cell of the sweep in its order (by n1/n, seed, γ), finished ones with their numbers;
 * when the sweep stopped early, the cells it did not train are rows with status `not run`.
 */
export function lmSweepCsv(spec: LmSweepSpec, cells: readonly LmSweepCell[], partial: boolean): string {
  const byKey = new Map(cells.map((c) => [`${c.fraction}/${c.seed}/${c.gamma}`, c]));
  const lines = [LM_SWEEP_CSV_COLUMNS.join(',')];
  for (const job of sweepCells(spec)) {
    const c = byKey.get(`${job.fraction}/${job.seed}/${job.gamma}`);
    if (c)
      lines.push(
        [
          c.gamma,
          c.fraction,
          c.seed,
          'done',
          c.tauCe,
          c.ceCopyright,
          c.validationPerplexity,
          c.exposure,
          c.exactMatches,
        ].join(','),
      );
    else if (partial)
      lines.push([job.gamma, job.fraction, job.seed, 'not run', '', '', '', '', ''].join(','));
  }
  return lines.join('\n') + '\n';
}
