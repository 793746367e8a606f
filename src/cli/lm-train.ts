/**
 * `lm-train`: the LM view's experiment (src/lm): a small character transformer trained with the
 * copyright loss next to its γ = 0 twin, printing both models' metrics as JSON (every --every
 * steps and at the end). The training runs on the float64 reference, or with --engine gpu on the
 * WebGPU kernels (src/gpu/lm, float32) as the page's worker does; the metrics are measured on the
 * float64 reference either way.
 */
import type { EngineKind } from '../engine/engine';
import { ENGINE_KINDS } from '../engine/create-engine';
import type { GpuContext } from '../gpu/device';
import type { LmGpu } from '../gpu/lm/lm-gpu';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { clipEcho } from '../data/echo';
import { parseSelections, RANGES } from '../../app/store/settings-table';
import { DEFAULT_SETTINGS } from '../../app/store/settings';
import type { UploadedText } from '../lm/corpus';
import { DEFAULT_LM_STEPS, defaultLmSpec } from '../lm/lm-defaults';
import { readLmText } from '../lm/text-file';
import { runLmSweep } from '../lm/sweep';
import { makeRunAndTwin, measure, type LmMetrics, type LmTrainer, type LmTrainSpec } from '../lm/training';
import { num, numList, str, UsageError, type Flags } from './problem-source';
import { ensureVulkanDriver } from './vulkan-env';

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
  'weight-decay',
  'head',
  'fraction',
  'text',
  'select',
  'engine',
];

/** The float64 reference's label (lm-train's `engine` without --engine gpu). */
const CPU_ENGINE = 'float64 reference (TypeScript, one thread)';

/** --engine cpu|gpu (default cpu), refused as the other verbs refuse an unknown engine. */
function lmEngineFlag(flags: Flags): EngineKind {
  const e = str(flags, 'engine') ?? 'cpu';
  if (!(ENGINE_KINDS as readonly string[]).includes(e))
    throw new UsageError(`--engine: unknown engine "${e}" (use ${ENGINE_KINDS.join(' or ')})`);
  return e as EngineKind;
}

/** The run's and the twin's WebGPU engines on one device. */
interface LmGpuPair {
  gpu: GpuContext;
  run: LmGpu;
  twin: LmGpu;
  label: string;
}

/**
 * A WebGPU device and the run's and the twin's kernels from their (equal) initial weights, or why
 * not: the reason is for the user (one line, no stack), and the training falls back to the
 * float64 reference.
 */
async function lmGpuPair(run: LmTrainer, twin: LmTrainer): Promise<LmGpuPair | { reason: string }> {
  // Before Dawn first loads: the Vulkan loader reads its driver list once.
  ensureVulkanDriver();
  const [{ acquireGpu, describeAdapter }, { LmGpu }] = await Promise.all([
    import('../gpu/device'),
    import('../gpu/lm/lm-gpu'),
  ]);
  const got = await acquireGpu({ powerPreference: 'high-performance' });
  if (!got.ok) return { reason: got.message.split('\n')[0] };
  try {
    const [a, b] = await Promise.all([
      LmGpu.create(run.params.config, got.gpu.device, run.params.data),
      LmGpu.create(twin.params.config, got.gpu.device, twin.params.data),
    ]);
    return { gpu: got.gpu, run: a, twin: b, label: `WebGPU float32 on ${describeAdapter(got.gpu.adapter)}` };
  } catch (e) {
    got.gpu.device.destroy();
    return {
      reason: `WebGPU failed to start: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
    };
  }
}

/**
 * --text FILE: an uploaded text as the page reads it (the same checks and messages), with
 * --select's spans ("start-end" offsets separated by dots, as the link's `lsel`) tagged.
 */
function readTextFlag(file: string, select: string | undefined): UploadedText {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`--text: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const read = readLmText(bytes);
  if (!read.ok) throw new UsageError(`--text ${file}: ${read.message}`);
  let selections: [number, number][] = [];
  if (select !== undefined) {
    const got = parseSelections(select);
    if (got.problem) throw new UsageError(`--select: ${got.problem}`);
    selections = got.selections;
  }
  const upload = { content: read.text, selections };
  fileSha256.set(upload, createHash('sha256').update(bytes).digest('hex'));
  return upload;
}

/** SHA-256 of the file an uploaded text was read from (what the page's link names it by). */
const fileSha256 = new WeakMap<UploadedText, string>();

/** What the JSON shows of the spec: an uploaded text by its SHA-256 and length, not its content. */
function printable(spec: LmTrainSpec): unknown {
  const text = spec.corpus.text;
  if (!text) return spec;
  return {
    ...spec,
    corpus: {
      ...spec.corpus,
      text: {
        sha256: fileSha256.get(text),
        characters: text.content.length,
        selections: text.selections,
      },
    },
  };
}

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
  // The page's ranges (app/store/settings-table.ts), so a link's settings and the flags agree.
  const seed = num(flags, 'seed', RANGES.lmSeed) ?? 1;
  const spec = defaultLmSpec(seed, gamma);
  const m = spec.model;
  m.width = num(flags, 'width', RANGES.lmWidth) ?? m.width;
  m.heads = num(flags, 'heads', RANGES.lmHeads) ?? m.heads;
  m.layers = num(flags, 'layers', RANGES.lmLayers) ?? m.layers;
  m.context = num(flags, 'context', RANGES.lmContext) ?? m.context;
  if (m.width % m.heads !== 0)
    throw new UsageError(`--width ${m.width} must be a multiple of --heads ${m.heads}`);
  spec.batch = num(flags, 'batch', RANGES.lmBatch) ?? spec.batch;
  spec.lr = num(flags, 'lr', RANGES.lmLr) ?? spec.lr;
  spec.weightDecay = num(flags, 'weight-decay', RANGES.lmWeightDecay) ?? spec.weightDecay;
  const head = str(flags, 'head');
  if (head !== undefined && head !== 'tied' && head !== 'untied')
    throw new UsageError(`--head: "${clipEcho(head)}" is not tied or untied`);
  if (head !== undefined) m.tiedHead = head === 'tied';
  spec.corpus.fraction = num(flags, 'fraction', RANGES.lmFraction) ?? spec.corpus.fraction;
  spec.corpus.canaries = num(flags, 'canaries', RANGES.lmCanaries) ?? spec.corpus.canaries;
  spec.corpus.repeats = num(flags, 'repeats', RANGES.lmRepeats) ?? spec.corpus.repeats;
  const file = str(flags, 'text');
  const select = str(flags, 'select');
  if (select !== undefined && file === undefined) throw new UsageError('--select needs --text FILE');
  if (file !== undefined) spec.corpus.text = readTextFlag(file, select);
  return spec;
}

export async function lmTrain(flags: Flags): Promise<unknown> {
  const spec = specFromFlags(flags, LM_FLAGS, 'lm-train', num(flags, 'gamma', RANGES.lmGamma));
  const steps = num(flags, 'steps', RANGES.lmSteps) ?? DEFAULT_LM_STEPS;
  const every = num(flags, 'every', RANGES.lmSteps) ?? steps;
  const kind = lmEngineFlag(flags);
  const { corpus, run, twin } = makeRunAndTwin(spec);
  let gpu: LmGpuPair | null = null;
  let engineReason: string | undefined;
  if (kind === 'gpu') {
    const got = await lmGpuPair(run, twin);
    if ('reason' in got) {
      engineReason = got.reason;
      process.stderr.write(
        `note: WebGPU is not available, so lm-train runs on the float64 reference: ${got.reason}\n`,
      );
    } else gpu = got;
  }
  const log: { step: number; run: LmMetrics; twin: LmMetrics }[] = [];
  const started = performance.now();
  try {
    for (let s = 1; s <= steps; s++) {
      if (gpu) {
        // The same batches as the reference's step() (stepWith draws them), trained in float32.
        await run.stepWith(gpu.run);
        await twin.stepWith(gpu.twin);
      } else {
        run.step();
        twin.step();
      }
      if (s % every === 0 || s === steps) {
        // Measured in float64 on the GPU's weights, so both engines' metrics are the same code.
        if (gpu) await Promise.all([run.syncFrom(gpu.run), twin.syncFrom(gpu.twin)]);
        log.push({ step: s, run: measure(run), twin: measure(twin) });
      }
    }
  } finally {
    // The device is not needed for printing: give its memory back now, also when a step failed.
    if (gpu) {
      gpu.run.destroy();
      gpu.twin.destroy();
      gpu.gpu.device.destroy();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    spec: printable(spec),
    corpus: {
      characters: corpus.text.length,
      vocabulary: corpus.vocabulary.length,
      protectedPassages: corpus.protectedPassages.length,
    },
    engine: gpu ? gpu.label : CPU_ENGINE,
    ...(engineReason !== undefined ? { engineReason } : {}),
    tokensPerSecond: (2 * steps * spec.batch * spec.model.context) / seconds,
    metrics: log,
  };
}

/** The flags lm-sweep takes (besides --out): lm-train's model and data flags, and the grid. */
export const LM_SWEEP_FLAGS = [...LM_FLAGS.filter((f) => f !== 'every' && f !== 'engine'), 'seeds'];

/** `lm-sweep`: τ_CE and perplexity over γ × n1/n × seeds, each cell beside its γ = 0 baseline. */
export async function lmSweep(flags: Flags): Promise<unknown> {
  const gammas = numList(flags, 'gamma', RANGES.lmGamma);
  if (!gammas)
    throw new UsageError('lm-sweep needs --gamma, e.g. --gamma 0.1,0.2 (the γ = 0 baseline is added)');
  const fractions = numList(flags, 'fraction', RANGES.lmFraction) ?? [...DEFAULT_SETTINGS.lmSweep.fractions];
  const spec = specFromFlags(
    { ...flags, gamma: undefined, fraction: undefined },
    LM_SWEEP_FLAGS,
    'lm-sweep',
    undefined,
  );
  const seeds = num(flags, 'seeds', RANGES.sweepSeeds) ?? DEFAULT_SETTINGS.lmSweep.seeds;
  const steps = num(flags, 'steps', RANGES.lmSteps) ?? DEFAULT_SETTINGS.lmSweep.steps;
  const started = performance.now();
  const { cells, summary } = runLmSweep({ base: spec, gammas, fractions, seeds, steps }, (c) =>
    process.stderr.write(
      `note: γ = ${c.gamma}, n1/n = ${c.fraction}, seed ${c.seed}: τ_CE ${c.tauCe.toFixed(4)}, perplexity ${c.validationPerplexity.toFixed(3)}\n`,
    ),
  );
  return { spec: printable(spec), steps, seconds: (performance.now() - started) / 1000, cells, summary };
}
