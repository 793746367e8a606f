/**
 * Produces the evidence a preset's claim is judged on (app/presets/preset-claims.ts), on the
 * float64 CPU engine, by solving the preset's settings exactly as the page does: its run and
 * twin, its sweep grid, Newton against gradient descent, or both readings.
 */
import type { Evidence, RunEvidence } from '../presets/preset-claims';
import type { Preset } from '../presets/presets';
import { cloneSettings, type Settings } from '../store/settings';
import { problemFromSettings, solveSettings, sweepSettings } from './solve-settings';

async function runEvidence(s: Settings, problem = problemFromSettings(s)): Promise<RunEvidence> {
  const { run, twin } = await solveSettings(s, problem);
  return { gammaC: s.gammaC, run, twin };
}

/** Solves what the preset's claim needs and returns it. */
export async function presetEvidence(preset: Preset, settings: Settings = preset.make()): Promise<Evidence> {
  const problem = problemFromSettings(settings);
  switch (preset.claim.needs) {
    case 'run':
      return { kind: 'run', result: await runEvidence(settings, problem) };
    case 'sweep':
      return { kind: 'sweep', result: await sweepSettings(settings, problem) };
    case 'solvers': {
      const newton = cloneSettings(settings);
      newton.solver = 'newton';
      const gd = cloneSettings(settings);
      gd.solver = 'gd';
      return {
        kind: 'solvers',
        newton: await runEvidence(newton, problem),
        gd: await runEvidence(gd, problem),
      };
    }
    case 'readings': {
      const global = cloneSettings(settings);
      global.reading = 'global';
      const separate = cloneSettings(settings);
      separate.reading = 'separate';
      return {
        kind: 'readings',
        global: await runEvidence(global, problem),
        separate: await runEvidence(separate, problem),
      };
    }
  }
}
