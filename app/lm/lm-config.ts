/** The language-model view's settings as the trainer's spec (pure; the CLI's defaults are the same). */
import { defaultLmSpec } from '../../src/lm/lm-defaults';
import type { LmTrainSpec } from '../../src/lm/training';
import type { LmSettings } from '../store/settings';

/** The spec the settings describe, or why they cannot be trained. */
export function lmSpecFrom(lm: LmSettings): { ok: true; spec: LmTrainSpec } | { ok: false; reason: string } {
  if (lm.width % lm.heads !== 0)
    return { ok: false, reason: `The width ${lm.width} is not a multiple of the ${lm.heads} heads.` };
  const spec = defaultLmSpec(lm.seed, lm.gamma);
  if (Math.round(lm.fraction * spec.corpus.passages) === 0 && lm.canaries === 0)
    return { ok: false, reason: 'Nothing is copyrighted: tag a share of the passages or add a canary.' };
  spec.model = { ...spec.model, width: lm.width, heads: lm.heads, layers: lm.layers, context: lm.context };
  spec.batch = lm.batch;
  spec.lr = lm.lr;
  spec.corpus = { ...spec.corpus, fraction: lm.fraction, canaries: lm.canaries, repeats: lm.repeats };
  return { ok: true, spec };
}

/** Steps between two measurements: about 16 points per run (measuring costs a few training steps). */
export function measureEvery(steps: number): number {
  return Math.max(1, Math.round(steps / 16));
}
