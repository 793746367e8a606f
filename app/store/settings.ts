/**
 * The shareable settings of the playground: everything a link reproduces. The URL codec
 * (url-codec.ts) serialises exactly this object, so anything that changes what a run computes
 * belongs here, and nothing that is derived or transient (data arrays, progress) does.
 */

import { DEFAULT_REG, type GeneratorSpec } from '../../src/data/generators';
import type { TagRule as DataTagRule } from '../../src/data/tagging';
import type { SolverName } from '../../src/solve/solvers';
import type { Reading } from '../../src/math/types';
import { DEFAULT_TAU_TARGET, METHODS, type MethodName } from '../../src/math/methods';
import { DEFAULT_LM_STEPS, defaultLmSpec } from '../../src/lm/lm-defaults';

const LM_DEFAULT = defaultLmSpec(1);

/** The protection methods other than the paper's (whose sweep strengths are the γc list). */
export type OtherMethod = Exclude<MethodName, 'paper'>;

/** Which synthetic generator makes the data (src/data/generators.ts). */
export type GeneratorKind = GeneratorSpec['kind'];

/** Parameters of the synthetic data generator (src/data generate()). */
export interface GeneratorSettings {
  kind: GeneratorKind;
  /** Rows. */
  n: number;
  /** Features. */
  d: number;
  /** Std. dev. of the logit noise ξ in b = softmax(A·x_true + noise·ξ). */
  noise: number;
  /** Seed of A, x_true, ξ and w. */
  seed: number;
  /** Std. dev. of x_true. */
  xScale: number;
  /** Number of clusters (clusters generator only). */
  clusters: number;
  /** Cluster spread (clusters generator only). */
  spread: number;
}

/**
 * How copyrighted rows are chosen: src/data's rules (random, first k, clusters), or `manual`, the
 * bitset in `manualBits` (a link carries that rather than src/data's explicit row list).
 */
export type TagRule = Exclude<DataTagRule, { kind: 'rows' }> | { kind: 'manual' };

/** Solver choice: src/solve/solvers.ts's solver names. */
export type SolverChoice = SolverName;

/** Which backend the user asked for; `auto` tries WebGPU and falls back to the CPU. */
export type BackendChoice = 'auto' | 'cpu' | 'gpu';

/** Which view the rows panel shows. */
export type RowsView = 'table' | 'projection';

/** Which part of the page is shown: the single run, the sweep (app/sweep) or the language model (app/lm). */
export type PageView = 'run' | 'sweep' | 'lm';

/**
 * The language-model view's experiment (app/lm, src/lm): a small character transformer trained
 * with the copyright loss beside its γ = 0 twin. Defaults: src/lm/lm-defaults.ts.
 */
export interface LmSettings {
  /** Seed of the corpus, the initial weights and the batches. */
  seed: number;
  gamma: number;
  steps: number;
  width: number;
  heads: number;
  layers: number;
  context: number;
  batch: number;
  lr: number;
  /** Share of the ordinary passages tagged copyrighted. */
  fraction: number;
  canaries: number;
  repeats: number;
  /** AdamW's decoupled weight decay (per step, times the learning rate). */
  weightDecay: number;
  /** Whether the output head is the token embedding transposed (tied) or a matrix of its own. */
  tiedHead: boolean;
}

/** The numeric language-model settings (the view's number fields and the link's number keys). */
export type LmNumberKey = {
  [K in keyof LmSettings]: LmSettings[K] extends number ? K : never;
}[keyof LmSettings];

/**
 * The language-model view's sweep (app/lm/LmSweepPanel.tsx, src/lm/sweep.ts), the paper's Figure 1:
 * γ × n1/n × seeds, each cell a full training of the view's model (its other settings from
 * {@link LmSettings}), beside a γ = 0 baseline per n1/n and seed.
 */
export interface LmSweepSettings {
  /** γ values, sorted; the γ = 0 baseline is always trained besides. */
  gammas: number[];
  /** Shares of the ordinary passages tagged copyrighted, sorted. */
  fractions: number[];
  /** Seeds per (γ, n1/n): the language model's seed and the next seeds − 1. */
  seeds: number;
  /** Training steps of every cell. */
  steps: number;
}

/**
 * The language-model view's text: the grammar's (sha256 '') or an uploaded .txt, named by the
 * SHA-256 of its bytes (the text itself stays in this browser), with the spans tagged by selection.
 */
export interface LmTextSettings {
  /** SHA-256 (64 hex digits) of the uploaded file, or '' for the generated corpus. */
  sha256: string;
  /** [start, end) UTF-16 offsets into the uploaded text, disjoint and sorted. */
  selections: [number, number][];
}

/**
 * The sweep grid (app/sweep/README.md): γc × n1/n × tag seeds 1…seeds, solved on the current
 * data, reading and solver settings. Presets set it as one object, e.g. the Figure 1 analogue
 * `{ gammas: [0.1, 0.2, 0.3, 0.4, 0.5], fractions: [0.1], seeds: 5 }`.
 */
export interface SweepSettings {
  /** γc values > 0, sorted; the γc = 0 baseline is always added by the sweep. */
  gammas: number[];
  /** n1/n values in (0, 1), sorted. */
  fractions: number[];
  /** Tag seeds per (γc, n1/n): seeds 1…seeds. */
  seeds: number;
  /**
   * The protection methods the sweep solves (math.md §9), the paper's first; default the paper's
   * only. With more than one, the sweep view draws the protection–utility frontier.
   */
  methods: MethodName[];
  /** Each other method's strengths s, sorted (the paper's are `gammas`). */
  strengths: Record<OtherMethod, number[]>;
}

/** Everything a link carries. */
export interface Settings {
  /** Where the data comes from. */
  source: 'generate' | 'csv';
  gen: GeneratorSettings;
  /** SHA-256 (hex) of the uploaded CSV when source = 'csv'; the file itself never goes in the link. */
  csvHash: string;
  tagRule: TagRule;
  /** Manual tags as a base64url bitset (encodeMaskBitset in src/data/tagging.ts); '' when the rule is not manual. */
  manualBits: string;
  /**
   * The protection method (src/math/methods.ts, math.md §9): the paper's γc/ℓ1 by default, or
   * one of the alternatives it is compared with.
   */
  method: MethodName;
  /** γc ≥ 0 for the paper's method; the method's strength s otherwise (in its range). */
  gammaC: number;
  /** τ-target's target gap t (used by that method only). */
  tauTarget: number;
  reading: Reading;
  /**
   * Regularisation strength ρ. Generated data: w_i = ρ·u_i/n, u_i ~ U[0.5, 1.5) from the data seed
   * (the 1/n keeps ½‖w∘Ax‖² in balance with the fit at every n; src/data/generators.ts). Uploaded
   * CSV: a multiplier of the file's own w column (1 = as in the file).
   */
  reg: number;
  solver: SolverChoice;
  /** Stop when ‖∇L‖ < tol. */
  tol: number;
  maxIter: number;
  /** Fixed GD step; 0 means Armijo line search. */
  gdStep: number;
  /** Expected sampled rows of the sketched Hessian. */
  sketchRows: number;
  /** 0 means x0 = 0; any other value seeds x0 ~ N(0, 0.1²). */
  x0Seed: number;
  /** Run the γc = 0 baseline twin alongside. */
  twin: boolean;
  /** Playback speed in iterations per second while playing; 0 = as fast as possible. */
  speed: number;
  backend: BackendChoice;
  rowsView: RowsView;
  /** Single run or sweep view. */
  page: PageView;
  /** The sweep grid. */
  sweep: SweepSettings;
  /** The language-model view's experiment. */
  lm: LmSettings;
  /** The language-model view's sweep grid. */
  lmSweep: LmSweepSettings;
  /** The language-model view's text and its selections. */
  lmText: LmTextSettings;
  /** Presenter mode (`?present=1`): large type and few controls, for a projector (app/modes). */
  present: boolean;
  /** Embed mode (`?embed=1`): one chart and minimal controls, for slides (app/modes). */
  embed: boolean;
}

/** The default tag rule: a random 10 % of the rows, tag seed 1 (the paper's n1/n = 0.1). */
export const DEFAULT_RANDOM_TAGS: Readonly<Extract<TagRule, { kind: 'random' }>> = {
  kind: 'random',
  fraction: 0.1,
  seed: 1,
};

/** The playback speeds offered (iterations per second; 0 = as fast as possible), in menu order. */
export const SPEED_CHOICES: readonly number[] = [1, 2, 5, 10, 20, 60, 0];

/** Upper limits: large enough for real experiments, small enough that a typo cannot hang a tab. */
export const LIMITS = {
  nMax: 50_000,
  dMax: 256,
  seedMax: 4_294_967_295,
  gammaMax: 100,
  maxIterMax: 100_000,
  /** Regularisation ρ (see Settings.reg); 1e7 covers every migrated version-1 link. */
  regMax: 1e7,
  /** Fastest playback speed that is not "as fast as possible", iterations per second. */
  speedMax: 60,
  /** Most γc or n1/n values in a sweep list. */
  sweepValuesMax: 12,
  sweepSeedsMax: 20,
} as const;

/**
 * Defaults follow math.md §8 (reading A, weak regularisation, γc in [0, 1], Newton) and match the
 * data generator's and the solver's own defaults, so a link and the CLI agree without extra flags.
 * ρ = 0.3 (w_i ≈ 0.0015 at n = 200) is the regime where the γc = 0 model learns and γc = 0.1
 * visibly protects at n1/n = 0.1 (src/data/regime.test.ts); 10 iterations per second lets a class
 * follow Newton's steps.
 */
export const DEFAULT_SETTINGS: Settings = {
  source: 'generate',
  gen: { kind: 'gaussian', n: 200, d: 10, noise: 0.3, seed: 1, xScale: 0.7, clusters: 4, spread: 0.5 },
  csvHash: '',
  tagRule: { ...DEFAULT_RANDOM_TAGS },
  manualBits: '',
  method: 'paper',
  gammaC: 0.1,
  tauTarget: DEFAULT_TAU_TARGET,
  reading: 'global',
  reg: DEFAULT_REG,
  solver: 'newton',
  tol: 1e-8,
  maxIter: 100,
  gdStep: 0,
  sketchRows: 0,
  x0Seed: 0,
  twin: true,
  speed: 10,
  backend: 'auto',
  rowsView: 'table',
  page: 'run',
  // The paper's first grid (Figure 1, left): γc ∈ {0.1, …, 0.5} at n1/n = 0.1.
  sweep: {
    gammas: [0.1, 0.2, 0.3, 0.4, 0.5],
    fractions: [0.1],
    seeds: 3,
    methods: ['paper'],
    strengths: {
      reweight: [...METHODS.reweight.strength.sweep],
      ascent: [...METHODS.ascent.strength.sweep],
      logbarrier: [...METHODS.logbarrier.strength.sweep],
      'tau-target': [...METHODS['tau-target'].strength.sweep],
    },
  },
  lm: {
    seed: LM_DEFAULT.seed,
    gamma: LM_DEFAULT.gamma,
    steps: DEFAULT_LM_STEPS,
    width: LM_DEFAULT.model.width,
    heads: LM_DEFAULT.model.heads,
    layers: LM_DEFAULT.model.layers,
    context: LM_DEFAULT.model.context,
    batch: LM_DEFAULT.batch,
    lr: LM_DEFAULT.lr,
    fraction: LM_DEFAULT.corpus.fraction,
    canaries: LM_DEFAULT.corpus.canaries,
    repeats: LM_DEFAULT.corpus.repeats,
    weightDecay: LM_DEFAULT.weightDecay,
    tiedHead: LM_DEFAULT.model.tiedHead,
  },
  // The paper's Figure 1 at browser size: three γ and the baseline at the view's n1/n, 3 seeds, each
  // cell as long as the default experiment (12 trainings, about a minute or two in a browser).
  lmSweep: {
    gammas: [0.1, 0.2, 0.5],
    fractions: [LM_DEFAULT.corpus.fraction],
    seeds: 3,
    steps: DEFAULT_LM_STEPS,
  },
  lmText: { sha256: '', selections: [] },
  present: false,
  embed: false,
};

/**
 * Sets the reading of f1. The methods other than the paper's are defined under the global
 * reading only, so 'separate' also drops them from the sweep (the link's `sm` reader does the same).
 */
export function setReading(s: Settings, reading: Settings['reading']): void {
  s.reading = reading;
  if (reading !== 'global') {
    const kept = s.sweep.methods.filter((m) => METHODS[m].bothReadings);
    s.sweep.methods = kept.length > 0 ? kept : ['paper'];
  }
}

/** A sweep grid of the paper's method alone (the other methods' strengths at their defaults). */
export function paperSweep(grid: Pick<SweepSettings, 'gammas' | 'fractions' | 'seeds'>): SweepSettings {
  const base = cloneSettings(DEFAULT_SETTINGS).sweep;
  return {
    ...base,
    gammas: [...grid.gammas],
    fractions: [...grid.fractions],
    seeds: grid.seeds,
    methods: ['paper'],
  };
}

/** A deep copy, so that callers can mutate the result freely. */
export function cloneSettings(s: Settings): Settings {
  const tagRule: TagRule =
    s.tagRule.kind === 'cluster' ? { kind: 'cluster', clusters: [...s.tagRule.clusters] } : { ...s.tagRule };
  const strengths = { ...s.sweep.strengths };
  for (const m of Object.keys(strengths) as OtherMethod[]) strengths[m] = [...strengths[m]];
  const sweep = {
    ...s.sweep,
    gammas: [...s.sweep.gammas],
    fractions: [...s.sweep.fractions],
    methods: [...s.sweep.methods],
    strengths,
  };
  const lmSweep = { ...s.lmSweep, gammas: [...s.lmSweep.gammas], fractions: [...s.lmSweep.fractions] };
  const lmText = {
    sha256: s.lmText.sha256,
    selections: s.lmText.selections.map(([a, b]): [number, number] => [a, b]),
  };
  return { ...s, gen: { ...s.gen }, tagRule, sweep, lm: { ...s.lm }, lmSweep, lmText };
}
