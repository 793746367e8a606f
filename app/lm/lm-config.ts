/** The language-model view's settings as the trainer's spec (pure; the CLI's defaults are the same). */
import { defaultLmSpec } from '../../src/lm/lm-defaults';
import { mergeSelections, paragraphs, ruleTagged, type UploadedText } from '../../src/lm/corpus';
import type { LmTrainSpec } from '../../src/lm/training';
import type { LmSettings } from '../store/settings';

/**
 * The spec the settings describe, or why they cannot be trained: on the grammar's text, or on an
 * uploaded text (its paragraphs the passages, its selections tagged) when `upload` is given.
 */
export function lmSpecFrom(
  lm: LmSettings,
  upload?: UploadedText,
): { ok: true; spec: LmTrainSpec } | { ok: false; reason: string } {
  if (lm.width % lm.heads !== 0)
    return { ok: false, reason: `The width ${lm.width} is not a multiple of the ${lm.heads} heads.` };
  const spec = defaultLmSpec(lm.seed, lm.gamma);
  const passages = upload ? paragraphs(upload.content).length : spec.corpus.passages;
  const selected = upload ? mergeSelections(upload.selections, upload.content.length).length : 0;
  if (ruleTagged(lm.fraction, passages) === 0 && lm.canaries === 0 && selected === 0)
    return {
      ok: false,
      reason: upload
        ? 'Nothing is copyrighted: select text and tag it, tag a share of the paragraphs, or add a canary.'
        : 'Nothing is copyrighted: tag a share of the passages or add a canary.',
    };
  spec.model = {
    ...spec.model,
    width: lm.width,
    heads: lm.heads,
    layers: lm.layers,
    context: lm.context,
    tiedHead: lm.tiedHead,
  };
  spec.batch = lm.batch;
  spec.lr = lm.lr;
  spec.weightDecay = lm.weightDecay;
  spec.corpus = { ...spec.corpus, fraction: lm.fraction, canaries: lm.canaries, repeats: lm.repeats };
  if (upload) spec.corpus.text = upload;
  return { ok: true, spec };
}

/** Steps between two measurements: about 16 points per run (measuring costs a few training steps). */
export function measureEvery(steps: number): number {
  return Math.max(1, Math.round(steps / 16));
}
