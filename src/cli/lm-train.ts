/**
 * `lm-train`: the LM view's experiment on the float64 reference (src/lm): a small character
 * transformer trained with the copyright loss next to its γ = 0 twin, printing both models'
 * metrics as JSON (every --every steps and at the end).
 */
import { DEFAULT_LM_STEPS, defaultLmSpec } from '../lm/lm-defaults';
import { runLmSweep } from '../lm/sweep';
import { makeRunAndTwin, measure, type LmMetrics, type LmTrainSpec } from '../lm/training';
import { num, numList, UsageError, type Flags } from './problem-source';

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

/** The experiment the flags describe (the defaults of src/lm/lm-defaults.ts otherwise). */
function specFromFlags(
  flags: Flags,
  allowed: readonly string[],
  verb: string,
  gamma: number | undefined,
): LmTrainSpec {
  const extra = Object.keys(flags).filter(
    (k) => flags[k] !== undefined && k !== 'out' && !allowed.includes(k),
  );
  if (extra.length)
    throw new UsageError(`${verb} does not take --${extra[0]} (it takes --${allowed.join(', --')})`);
  const seed = num(flags, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true }) ?? 1;
  const spec = defaultLmSpec(seed, gamma);
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
  return spec;
}

export async function lmTrain(flags: Flags): Promise<unknown> {
  const spec = specFromFlags(flags, LM_FLAGS, 'lm-train', num(flags, 'gamma', { min: 0, max: 100 }));
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

/** The flags lm-sweep takes (besides --out): lm-train's model and data flags, and the grid. */
export const LM_SWEEP_FLAGS = [...LM_FLAGS.filter((f) => f !== 'every'), 'fraction', 'seeds'];

/** `lm-sweep`: τ_CE and perplexity over γ × n1/n × seeds, each cell beside its γ = 0 baseline. */
export async function lmSweep(flags: Flags): Promise<unknown> {
  const gammas = numList(flags, 'gamma', { min: 0, max: 100 });
  if (!gammas)
    throw new UsageError('lm-sweep needs --gamma, e.g. --gamma 0.1,0.2 (the γ = 0 baseline is added)');
  const fractions = numList(flags, 'fraction', { min: 0, max: 0.5 }) ?? [0.1];
  const spec = specFromFlags(
    { ...flags, gamma: undefined, fraction: undefined },
    LM_SWEEP_FLAGS,
    'lm-sweep',
    undefined,
  );
  const seeds = num(flags, 'seeds', { min: 1, max: 20, integer: true }) ?? 3;
  const steps = num(flags, 'steps', { min: 1, max: 100_000, integer: true }) ?? DEFAULT_LM_STEPS;
  const started = performance.now();
  const { cells, summary } = runLmSweep({ base: spec, gammas, fractions, seeds, steps }, (c) =>
    process.stderr.write(
      `note: γ = ${c.gamma}, n1/n = ${c.fraction}, seed ${c.seed}: τ_CE ${c.tauCe.toFixed(4)}, perplexity ${c.validationPerplexity.toFixed(3)}\n`,
    ),
  );
  return { spec, steps, seconds: (performance.now() - started) / 1000, cells, summary };
}
