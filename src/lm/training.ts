/**
 * Training the LM view's model on the float64 reference (issue 13) with its γ = 0 twin, and what
 * is measured: CE on the free and the copyrighted training text and τ_CE = CE_copyright − CE_free
 * (per token, never including the penalty), validation perplexity, regurgitation (greedy
 * continuation of each protected passage from its first k characters: exact match and longest
 * common prefix) and canary exposure (log2 of the candidate count over the true secret's rank
 * among R random secrets of the same format). The run and its twin start from the same weights
 * and see the same batches. DOM-free; the GPU kernels and the page will run the same schedule.
 */
import { createRng, type Rng } from '../data/prng';
import {
  CANARY_PREFIX,
  canaryText,
  encode,
  makeCorpus,
  randomDigits,
  type Corpus,
  type CorpusSpec,
} from './corpus';
import { continueTokens, protectedSpans, sampleTokens } from './generation';
import {
  adamwStep,
  forwardSequence,
  initParams,
  lossAndGradient,
  type AdamState,
  type LmConfig,
  type LmParams,
  type LmSequence,
} from './transformer';

export interface LmTrainSpec {
  corpus: CorpusSpec;
  model: Omit<LmConfig, 'vocab'>;
  /** γ of the copyright term (the twin trains with 0). */
  gamma: number;
  /** Sequences per batch (each `context` characters). */
  batch: number;
  lr: number;
  weightDecay: number;
  /** Seed of the initial weights and of the batches (shared by the run and its twin). */
  seed: number;
  /** Characters of a protected passage given before the greedy continuation. */
  promptChars: number;
  /** Random candidates a canary's exposure is measured against. */
  candidates: number;
}

export interface LmMetrics {
  step: number;
  /** The last batch's training loss (with the penalty when there was one). */
  loss: number;
  penaltyApplied: boolean;
  ceFree: number;
  ceCopyright: number;
  tauCe: number;
  validationPerplexity: number;
  /** Protected passages continued exactly from their first promptChars characters. */
  exactMatches: number;
  /** Protected passages tested (all of them up to REGURGITATION_LIMITS.passages). */
  passages: number;
  /** Mean longest common prefix of the continuations with the true text (characters). */
  meanPrefix: number;
  /** Per protected passage: its prompt, the true rest, the model's greedy continuation, their common prefix. */
  samples: {
    prompt: string;
    truth: string;
    continuation: string;
    prefix: number;
    /** Canary passages only: whether the continuation reproduces all the secret's digits. */
    recitesSecret?: boolean;
  }[];
  /**
   * A free sample of {@link GENERATED_CHARS} characters after a line break (the same random draws
   * for the run and its twin), and its stretches that occur only in the copyrighted training text.
   */
  generated: { text: string; spans: [number, number][] };
  /** Per canary: log2(R + 1) − log2(rank of the secret among R random ones + itself). */
  exposure: number[];
  /**
   * Per canary: −log2 P(a random secret scores at least as high), from a normal fitted to the R
   * candidates' scores (Carlini et al. §4.3 fit a skew-normal; this is its two-moment form). It
   * does not saturate at log2(R + 1) when the secret ranks first.
   */
  exposureFit: number[];
}

/**
 * Another engine that trains the same model (the WebGPU kernels, src/gpu/lm): the step's loss and
 * an AdamW step on its own copy of the parameters, which it hands back for measuring.
 */
export interface LmStepper {
  lossAndGradient(
    batch: readonly LmSequence[],
    gamma: number,
  ): Promise<{ loss: { loss: number; penaltyApplied: boolean } }>;
  adamwStep(o: { lr: number; weightDecay: number }): void;
  readParams(): Promise<Float64Array>;
}

/** One model in training: the run (γ) or its twin (γ = 0). */
export class LmTrainer {
  readonly params: LmParams;
  private readonly adam: AdamState;
  private readonly rng: Rng;
  steps = 0;
  lastLoss = NaN;
  lastPenalty = false;

  constructor(
    readonly spec: LmTrainSpec,
    readonly corpus: Corpus,
    readonly gamma: number,
    /** The training text as tokens (encoded once). */
    readonly tokens: Int32Array,
  ) {
    const config: LmConfig = { ...spec.model, vocab: corpus.vocabulary.length };
    this.params = initParams(config, spec.seed);
    this.adam = {
      m: new Float64Array(this.params.data.length),
      v: new Float64Array(this.params.data.length),
      step: 0,
    };
    this.rng = createRng(spec.seed + 1);
  }

  /** A batch of random windows: inputs, next-character targets and their copyright marks. */
  private batch(): LmSequence[] {
    const T = this.spec.model.context;
    const out: LmSequence[] = [];
    for (let b = 0; b < this.spec.batch; b++) {
      // Windows start in [0, length − T − 1]: targets run to the last character of the text.
      const start = Math.floor(this.rng.next() * (this.tokens.length - T));
      out.push({
        inputs: this.tokens.slice(start, start + T),
        labels: this.tokens.slice(start + 1, start + T + 1),
        copyright: this.corpus.copyright.slice(start + 1, start + T + 1),
      });
    }
    return out;
  }

  /** One AdamW step on a fresh batch, on another engine (the same batches as {@link step}). */
  async stepWith(engine: LmStepper): Promise<void> {
    const { loss } = await engine.lossAndGradient(this.batch(), this.gamma);
    engine.adamwStep({ lr: this.spec.lr, weightDecay: this.spec.weightDecay });
    this.steps++;
    this.lastLoss = loss.loss;
    this.lastPenalty = loss.penaltyApplied;
  }

  /** Takes the other engine's parameters, to measure them here in float64. */
  async syncFrom(engine: LmStepper): Promise<void> {
    this.params.data.set(await engine.readParams());
  }

  /** One AdamW step on a fresh batch. */
  step(): void {
    const { loss, grad } = lossAndGradient(this.params, this.batch(), this.gamma);
    adamwStep(this.params.data, grad, this.adam, { lr: this.spec.lr, weightDecay: this.spec.weightDecay });
    this.steps++;
    this.lastLoss = loss.loss;
    this.lastPenalty = loss.penaltyApplied;
  }
}

/** log p of each character after the first, under the model, over windows of `context`. */
function logProbs(p: LmParams, tokens: Int32Array): Float64Array {
  const T = p.config.context;
  const V = p.config.vocab;
  const out = new Float64Array(Math.max(0, tokens.length - 1));
  // Windows of T inputs stepping by T: every target is predicted once, with up to T − 1 of context.
  for (let s = 0; s + 1 < tokens.length; s += T) {
    const inputs = tokens.slice(s, Math.min(s + T, tokens.length - 1));
    const { logits } = forwardSequence(p, inputs);
    for (let i = 0; i < inputs.length; i++) {
      const row = logits.subarray(i * V, (i + 1) * V);
      let max = -Infinity;
      for (const v of row) max = Math.max(max, v);
      let z = 0;
      for (const v of row) z += Math.exp(v - max);
      out[s + i] = row[tokens[s + i + 1]] - max - Math.log(z);
    }
  }
  return out;
}

/** Greedy continuation of `prompt` by `length` characters (the last `context` as context). */
export function greedy(p: LmParams, prompt: Int32Array, length: number): Int32Array {
  return continueTokens(p, prompt, length, (row) => {
    let best = 0;
    for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
    return best;
  });
}

/** Characters of the free sample measured at each measurement. */
export const GENERATED_CHARS = 160;

/**
 * Bounds on the regurgitation test, which costs one forward pass per generated character: at most
 * this many protected passages (every canary among them), each continued for at most this many characters
 * (the grammar's passages are ~70; an uploaded paragraph may be thousands).
 */
export const REGURGITATION_LIMITS = { passages: 32, chars: 160 } as const;

/** The protected passages the regurgitation test continues: the first others, then every canary. */
export function regurgitationPassages(corpus: Corpus): Corpus['protectedPassages'] {
  const canaries = corpus.protectedPassages.filter((p) => p.secret !== undefined);
  const others = corpus.protectedPassages.filter((p) => p.secret === undefined);
  return [...others.slice(0, REGURGITATION_LIMITS.passages - canaries.length), ...canaries];
}

/** The metrics of a trained model (none includes the penalty). */
export function measure(t: LmTrainer): LmMetrics {
  const { corpus, spec, params } = t;
  const vocab = corpus.vocabulary;
  const lp = logProbs(params, t.tokens);
  let free = 0;
  let nFree = 0;
  let prot = 0;
  let nProt = 0;
  for (let i = 0; i < lp.length; i++) {
    if (corpus.copyright[i + 1]) {
      prot -= lp[i];
      nProt++;
    } else {
      free -= lp[i];
      nFree++;
    }
  }
  const val = logProbs(params, encode(corpus.validation, vocab));
  const valCe = -val.reduce((a, b) => a + b, 0) / val.length;
  let exact = 0;
  let prefix = 0;
  const samples: LmMetrics['samples'] = [];
  const decode = (a: Int32Array): string => Array.from(a, (t) => vocab[t]).join('');
  const tested = regurgitationPassages(corpus);
  for (const passage of tested) {
    const all = encode(passage.text, vocab).slice(0, spec.promptChars + REGURGITATION_LIMITS.chars);
    // A canary is prompted with its prefix, so that the continuation is the secret; a passage with
    // its first promptChars characters.
    const k =
      passage.secret !== undefined ? CANARY_PREFIX.length : Math.min(spec.promptChars, all.length - 1);
    const got = greedy(params, all.slice(0, k), all.length - k);
    let lcp = 0;
    while (lcp < got.length && got[lcp] === all[k + lcp]) lcp++;
    prefix += lcp;
    if (lcp === got.length) exact++;
    samples.push({
      prompt: decode(all.slice(0, k)),
      truth: decode(all.slice(k)),
      continuation: decode(got),
      prefix: lcp,
      // The digits are what is secret; the full stop after them is not.
      ...(passage.secret !== undefined ? { recitesSecret: lcp >= passage.secret.length } : {}),
    });
  }
  const rng = createRng(spec.seed + 2);
  const score = (digits: string): number => {
    // log p of the digits after the prefix (the final '.' is the same for every candidate).
    const lpc = logProbs(params, encode(canaryText(digits), vocab));
    let s = 0;
    for (let i = CANARY_PREFIX.length - 1; i < CANARY_PREFIX.length - 1 + digits.length; i++) s += lpc[i];
    return s;
  };
  const exposure: number[] = [];
  const exposureFit: number[] = [];
  for (const p of corpus.protectedPassages) {
    if (p.secret === undefined) continue;
    const mine = score(p.secret);
    const others = Array.from({ length: spec.candidates }, () => score(randomDigits(rng)));
    const rank = 1 + others.filter((v) => v > mine).length;
    exposure.push(Math.log2(spec.candidates + 1) - Math.log2(rank));
    const mean = others.reduce((a, b) => a + b, 0) / others.length;
    const sd = Math.sqrt(others.reduce((a, b) => a + (b - mean) ** 2, 0) / (others.length - 1));
    exposureFit.push(-logUpperTail((mine - mean) / sd) / Math.LN2);
  }
  const drawn = decode(sampleTokens(params, encode('\n', vocab), GENERATED_CHARS, createRng(spec.seed + 3)));
  const ceFree = free / nFree;
  const ceCopyright = nProt > 0 ? prot / nProt : NaN;
  return {
    step: t.steps,
    loss: t.lastLoss,
    penaltyApplied: t.lastPenalty,
    ceFree,
    ceCopyright,
    tauCe: ceCopyright - ceFree,
    validationPerplexity: Math.exp(valCe),
    exactMatches: exact,
    passages: tested.length,
    meanPrefix: prefix / tested.length,
    samples,
    generated: { text: drawn, spans: protectedSpans(drawn, corpus) },
    exposure,
    exposureFit,
  };
}

/** How many canaries' secrets the model reproduces, digit for digit, when prompted with the prefix. */
export function secretsRecited(m: LmMetrics): number {
  return m.samples.filter((s) => s.recitesSecret === true).length;
}

/**
 * log P(Z ≥ z) for a standard normal Z, accurate in the far tail: erfc by Numerical Recipes'
 * Chebyshev fit (relative error < 1.2e-7) for z < 10, the asymptotic series beyond.
 */
export function logUpperTail(z: number): number {
  if (z > 10) return -0.5 * z * z - Math.log(z * Math.sqrt(2 * Math.PI)) + Math.log1p(-1 / (z * z));
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly =
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  // erfc(x) = t·exp(poly) for x ≥ 0, 2 − that for x < 0; P(Z ≥ z) = erfc(x)/2.
  const erfcAbs = t * Math.exp(poly);
  return x >= 0 ? Math.log(erfcAbs / 2) : Math.log(1 - erfcAbs / 2);
}

/** The run and its twin on one corpus: same initial weights, same batches. */
export function makeRunAndTwin(spec: LmTrainSpec): { corpus: Corpus; run: LmTrainer; twin: LmTrainer } {
  const corpus = makeCorpus(spec.corpus);
  const tokens = encode(corpus.text, corpus.vocabulary);
  if (tokens.length < spec.model.context + 1)
    throw new Error(
      `the training text has ${tokens.length} characters; a window of ${spec.model.context} and its next-character targets need at least ${spec.model.context + 1}`,
    );
  return {
    corpus,
    run: new LmTrainer(spec, corpus, spec.gamma, tokens),
    twin: new LmTrainer(spec, corpus, 0, tokens),
  };
}
