/**
 * "Export to PyTorch" (issue 14): the PyTorch module (pytorch/copyright_loss.py, with the app's
 * version filled in), and run.json, which names the run's objective, its data by the SHA-256 of
 * the data.csv exported with it, and, when a run finished, its final x and L, τ there, so that
 * `load_run` in the module re-evaluates the same objective at the same point. Pure: the page
 * (ExportPanel) and the CLI (`export-torch`) supply the files' bytes and hashes.
 */
import { METHODS } from '../../src/math/methods';
import type { LossParts } from '../../src/math/types';
import type { Settings } from '../store/settings';

/** The placeholder the module carries for the app's version. */
export const VERSION_PLACEHOLDER = '__APP_VERSION__';

/** The module with its version filled in. */
export function torchModuleSource(template: string, version: string): string {
  if (!template.includes(VERSION_PLACEHOLDER))
    throw new Error('the PyTorch module has no version placeholder');
  return template.replaceAll(VERSION_PLACEHOLDER, version);
}

/** The file names of an export (the module imports none of them; load_run reads the last two). */
export const TORCH_FILES = { module: 'copyright_loss.py', run: 'run.json', data: 'data.csv' } as const;

export interface TorchRunInput {
  settings: Settings;
  /** The link's hash (without '#'), as "Copy link" gives it. */
  link: string;
  appVersion: string;
  /** SHA-256 (hex) of data.csv's bytes, and its shape. */
  data: { sha256: string; n: number; d: number; n1: number };
  /** The finished run's final point and its parts, when there is one. */
  result: { x: Float64Array; parts: LossParts } | null;
}

/** run.json: what the module's load_run needs to evaluate the run's objective again. */
export function torchRunJson({ settings, link, appVersion, data, result }: TorchRunInput): string {
  const run = {
    format: 'copyright-regression-run/1',
    app: { name: 'copyright-regression-playground', version: appVersion },
    link: `#${link}`,
    objective: {
      method: settings.method,
      formula: METHODS[settings.method].formula,
      strength: settings.gammaC,
      reading: settings.reading,
      ...(settings.method === 'tau-target' ? { tau_target: settings.tauTarget } : {}),
    },
    data: { file: TORCH_FILES.data, sha256: data.sha256, n: data.n, d: data.d, n1: data.n1 },
    solver: {
      name: settings.solver,
      tol: settings.tol,
      max_iter: settings.maxIter,
      x0_seed: settings.x0Seed,
    },
    result: result
      ? {
          x: Array.from(result.x),
          L: result.parts.L,
          l1: result.parts.l1,
          l2: result.parts.l2,
          tau: result.parts.tau,
        }
      : null,
  };
  return JSON.stringify(run, null, 2) + '\n';
}
