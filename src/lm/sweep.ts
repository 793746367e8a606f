/**
 * The paper's Figure 1 for the language model (issue 13): τ_CE and validation perplexity over
 * γ × n1/n × seeds, each cell trained from the same weights and batches as its γ = 0 baseline
 * (one baseline per n1/n and seed), reported per cell and as min / mean / max over the seeds.
 * On the float64 reference; slow by design (every cell is a full training run).
 *
 * The sweep is split into its jobs ({@link sweepCells}), one training per job ({@link trainCell})
 * and the summary ({@link summariseLmSweep}), so the page can train cells in parallel workers and
 * summarise whatever has finished; {@link runLmSweep} runs them in order on one thread (the CLI).
 */
import { encode, makeCorpus, type Corpus } from './corpus';
import { LmTrainer, measure, type LmMetrics, type LmTrainSpec } from './training';

export interface LmSweepSpec {
  /** The spec every cell starts from (its corpus fraction, γ and seed are replaced per cell). */
  base: LmTrainSpec;
  /** γ values > 0 (the γ = 0 baseline is always trained). */
  gammas: number[];
  fractions: number[];
  seeds: number;
  steps: number;
}

/** One cell to train: its γ, n1/n and seed (the seed of its corpus, weights and batches). */
export interface LmSweepJob {
  gamma: number;
  fraction: number;
  seed: number;
}

export interface LmSweepCell {
  gamma: number;
  fraction: number;
  seed: number;
  tauCe: number;
  ceCopyright: number;
  validationPerplexity: number;
  exposure: number;
  exactMatches: number;
}

export interface Band {
  min: number;
  mean: number;
  max: number;
}

export interface LmSweepRow {
  gamma: number;
  fraction: number;
  tauCe: Band;
  validationPerplexity: Band;
  seeds: number;
}

function cellOf(job: LmSweepJob, m: LmMetrics): LmSweepCell {
  return {
    gamma: job.gamma,
    fraction: job.fraction,
    seed: job.seed,
    tauCe: m.tauCe,
    ceCopyright: m.ceCopyright,
    validationPerplexity: m.validationPerplexity,
    exposure: m.exposureFit[0] ?? NaN,
    exactMatches: m.exactMatches,
  };
}

function band(values: number[]): Band {
  return {
    min: Math.min(...values),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    max: Math.max(...values),
  };
}

/** The γ values trained: the baseline 0, then the distinct positive γ of the spec, ascending. */
export function lmSweepGammas(spec: Pick<LmSweepSpec, 'gammas'>): number[] {
  return [0, ...[...new Set(spec.gammas)].filter((g) => g > 0).sort((a, b) => a - b)];
}

/** The seeds of a sweep: the base seed and the next seeds − 1. */
export function lmSweepSeeds(spec: Pick<LmSweepSpec, 'base' | 'seeds'>): number[] {
  return Array.from({ length: spec.seeds }, (_, k) => spec.base.seed + k);
}

/**
 * Every cell of the sweep, in the order {@link runLmSweep} trains them: by n1/n, then seed, then
 * γ (the γ = 0 baseline first).
 */
export function sweepCells(spec: LmSweepSpec): LmSweepJob[] {
  const gammas = lmSweepGammas(spec);
  const jobs: LmSweepJob[] = [];
  for (const fraction of spec.fractions)
    for (const seed of lmSweepSeeds(spec)) for (const gamma of gammas) jobs.push({ gamma, fraction, seed });
  return jobs;
}

/** The training spec of a cell: the base with the cell's seed, n1/n and γ. */
export function cellSpec(spec: LmSweepSpec, job: LmSweepJob): LmTrainSpec {
  const { base } = spec;
  return {
    ...base,
    seed: job.seed,
    gamma: job.gamma,
    corpus: { ...base.corpus, seed: job.seed, fraction: job.fraction },
  };
}

/** The corpus and its tokens of a cell (the same for every γ of one n1/n and seed). */
export function cellCorpus(spec: LmSweepSpec, job: LmSweepJob): { corpus: Corpus; tokens: Int32Array } {
  const corpus = makeCorpus(cellSpec(spec, job).corpus);
  return { corpus, tokens: encode(corpus.text, corpus.vocabulary) };
}

/**
 * Trains one cell for `spec.steps` steps and measures it. `onStep` sees the steps done (for
 * progress); `data` may pass the cell's corpus when the caller already made it.
 */
export function trainCell(
  spec: LmSweepSpec,
  job: LmSweepJob,
  onStep?: (step: number) => void,
  data: { corpus: Corpus; tokens: Int32Array } = cellCorpus(spec, job),
): LmSweepCell {
  const t = new LmTrainer(cellSpec(spec, job), data.corpus, job.gamma, data.tokens);
  for (let s = 0; s < spec.steps; s++) {
    t.step();
    onStep?.(s + 1);
  }
  return cellOf(job, measure(t));
}

/**
 * min / mean / max over seeds of τ_CE and perplexity per (n1/n, γ), in the sweep's order (by n1/n,
 * then γ). Cells may come in any order and may be missing (a cancelled sweep): a row counts the
 * seeds it has, and a (n1/n, γ) with no finished cell has no row.
 */
export function summariseLmSweep(spec: LmSweepSpec, cells: readonly LmSweepCell[]): LmSweepRow[] {
  const summary: LmSweepRow[] = [];
  for (const fraction of spec.fractions)
    for (const gamma of lmSweepGammas(spec)) {
      const group = cells.filter((c) => c.fraction === fraction && c.gamma === gamma);
      if (group.length === 0) continue;
      summary.push({
        gamma,
        fraction,
        tauCe: band(group.map((c) => c.tauCe)),
        validationPerplexity: band(group.map((c) => c.validationPerplexity)),
        seeds: group.length,
      });
    }
  return summary;
}

/** Trains every cell (and the baselines) and summarises over seeds; `onCell` sees each as it ends. */
export function runLmSweep(
  spec: LmSweepSpec,
  onCell?: (c: LmSweepCell) => void,
): { cells: LmSweepCell[]; summary: LmSweepRow[] } {
  const cells: LmSweepCell[] = [];
  // One corpus per (n1/n, seed), shared by its γ values (the jobs come grouped by them).
  let key = '';
  let data: { corpus: Corpus; tokens: Int32Array } | undefined;
  for (const job of sweepCells(spec)) {
    if (!data || key !== `${job.fraction}/${job.seed}`) {
      key = `${job.fraction}/${job.seed}`;
      data = cellCorpus(spec, job);
    }
    const cell = trainCell(spec, job, undefined, data);
    cells.push(cell);
    onCell?.(cell);
  }
  return { cells, summary: summariseLmSweep(spec, cells) };
}
