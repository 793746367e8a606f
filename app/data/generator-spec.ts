/**
 * From settings to data, without the DOM: the generator spec the settings describe and the
 * regularisation applied to it. Used by the data worker's caller (data-controller.ts) and by the
 * headless runner (app/headless), so the page, the preset tests and the CLI make the same data.
 */
import type { GeneratorSpec } from '../../src/data/generators';
import type { Dataset } from '../../src/math/types';
import type { Settings } from '../store/settings';

/** The generator spec for the settings; w is drawn at scale 1 and scaled by settings.reg later. */
export function generatorSpec(s: Settings): GeneratorSpec {
  const { kind, n, d, noise, seed, xScale, clusters, spread } = s.gen;
  const base = { n, d, noise, seed, xScale, reg: 1 };
  return kind === 'clusters' ? { kind, ...base, clusters: Math.min(clusters, n), spread } : { kind, ...base };
}

/** w = s·w̃ (a fresh array, so the dataset object changes and runs reset). */
export function scaledDataset(dataset: Dataset, baseW: Float64Array, reg: number): Dataset {
  const w = new Float64Array(baseW.length);
  for (let i = 0; i < w.length; i++) w[i] = baseW[i] * reg;
  return { ...dataset, w };
}
