/**
 * Produces the evidence a preset's claim is judged on (app/presets/preset-claims.ts), on the
 * float64 CPU engine, by solving the preset's settings exactly as the page does: its run and
 * twin, its sweep grid, Newton against gradient descent, or both readings.
 */
import { makeRunAndTwin, measure } from '../../src/lm/training';
import { lmSpecFrom } from '../lm/lm-config';
import type { Evidence, RunEvidence } from '../presets/preset-claims';
import type { Preset } from '../presets/presets';
import { cloneSettings, type Settings } from '../store/settings';
import { problemFromSettings, solveSettings, sweepSettings, type SettingsProblem } from './solve-settings';

async function runEvidence(s: Settings, problem = problemFromSettings(s)): Promise<RunEvidence> {
  const { run, twin } = await solveSettings(s, problem);
  return { gammaC: s.gammaC, run, twin };
}

/** The run evidence with one setting changed (the solver or the reading), on the same data. */
function variant<K extends 'solver' | 'reading'>(
  settings: Settings,
  key: K,
  value: string,
  problem: SettingsProblem,
): Promise<RunEvidence> {
  const s = cloneSettings(settings);
  s[key] = value as Settings[K];
  return runEvidence(s, problem);
}

/** Solves what the preset's claim needs and returns it. */
export async function presetEvidence(preset: Preset, settings: Settings = preset.make()): Promise<Evidence> {
  // The language-model claims train on text, not on the regression data (made only when needed).
  const lazyProblem = (): SettingsProblem => problemFromSettings(settings);
  switch (preset.claim.needs) {
    case 'run':
      return { kind: 'run', result: await runEvidence(settings, lazyProblem()) };
    case 'sweep':
      return { kind: 'sweep', result: await sweepSettings(settings, lazyProblem()) };
    case 'solvers': {
      const problem = lazyProblem();
      const [newton, gd] = await Promise.all(
        ['newton', 'gd'].map((v) => variant(settings, 'solver', v, problem)),
      );
      return { kind: 'solvers', newton, gd };
    }
    case 'lm': {
      const made = lmSpecFrom(settings.lm);
      if (!made.ok) throw new Error(made.reason);
      const { run, twin } = makeRunAndTwin(made.spec);
      for (let k = 0; k < settings.lm.steps; k++) {
        run.step();
        twin.step();
      }
      return { kind: 'lm', run: measure(run), twin: measure(twin) };
    }
    case 'readings': {
      const problem = lazyProblem();
      const [global, separate] = await Promise.all(
        ['global', 'separate'].map((v) => variant(settings, 'reading', v, problem)),
      );
      return { kind: 'readings', global, separate };
    }
  }
}
