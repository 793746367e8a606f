/**
 * `lm-train`: the LM view's experiment on the float64 reference (src/lm): a small character
 * transformer trained with the copyright loss next to its γ = 0 twin, printing both models'
 * metrics as JSON (every --every steps and at the end).
 */
import { DEFAULT_LM_STEPS, defaultLmSpec } from '../lm/lm-defaults';
import { makeRunAndTwin, measure, type LmMetrics } from '../lm/training';
import { num, UsageError, type Flags } from './problem-source';

/** The flags lm-train takes (besides --out). */
export const LM_FLAGS = [
  'seed',
  'steps',
  'gamma',
  'width',
  'heads',
  'layers',
  'context',
  'batch',
  'lr',
  'every',
  'canaries',
  'repeats',
];

export async function lmTrain(flags: Flags): Promise<unknown> {
  const extra = Object.keys(flags).filter(
    (k) => flags[k] !== undefined && k !== 'out' && !LM_FLAGS.includes(k),
  );
  if (extra.length)
    throw new UsageError(`lm-train does not take --${extra[0]} (it takes --${LM_FLAGS.join(', --')})`);
  const seed = num(flags, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true }) ?? 1;
  const spec = defaultLmSpec(seed, num(flags, 'gamma', { min: 0, max: 100 }) ?? undefined);
  const m = spec.model;
  m.width = num(flags, 'width', { min: 4, max: 128, integer: true }) ?? m.width;
  m.heads = num(flags, 'heads', { min: 1, max: 4, integer: true }) ?? m.heads;
  m.layers = num(flags, 'layers', { min: 1, max: 2, integer: true }) ?? m.layers;
  m.context = num(flags, 'context', { min: 8, max: 128, integer: true }) ?? m.context;
  if (m.width % m.heads !== 0)
    throw new UsageError(`--width ${m.width} must be a multiple of --heads ${m.heads}`);
  spec.batch = num(flags, 'batch', { min: 1, max: 64, integer: true }) ?? spec.batch;
  spec.lr = num(flags, 'lr', { min: 0, max: 1, exclusiveMin: true }) ?? spec.lr;
  spec.corpus.canaries = num(flags, 'canaries', { min: 0, max: 10, integer: true }) ?? spec.corpus.canaries;
  spec.corpus.repeats = num(flags, 'repeats', { min: 1, max: 100, integer: true }) ?? spec.corpus.repeats;
  const steps = num(flags, 'steps', { min: 1, max: 100_000, integer: true }) ?? DEFAULT_LM_STEPS;
  const every = num(flags, 'every', { min: 1, max: 100_000, integer: true }) ?? steps;
  const { corpus, run, twin } = makeRunAndTwin(spec);
  const log: { step: number; run: LmMetrics; twin: LmMetrics }[] = [];
  const started = performance.now();
  for (let s = 1; s <= steps; s++) {
    run.step();
    twin.step();
    if (s % every === 0 || s === steps) log.push({ step: s, run: measure(run), twin: measure(twin) });
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    spec,
    corpus: {
      characters: corpus.text.length,
      vocabulary: corpus.vocabulary.length,
      protectedPassages: corpus.protectedPassages.length,
    },
    engine: 'float64 reference (TypeScript, one thread)',
    tokensPerSecond: (2 * steps * spec.batch * spec.model.context) / seconds,
    metrics: log,
  };
}
