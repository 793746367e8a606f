/**
 * The paper's Figure 1 for the language model (issue 13): τ_CE and validation perplexity over
 * γ × n1/n × seeds, each cell trained from the same weights and batches as its γ = 0 baseline
 * (one baseline per n1/n and seed), reported per cell and as min / mean / max over the seeds.
 * On the float64 reference; slow by design (every cell is a full training run).
 */
import { encode, makeCorpus } from './corpus';
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

function cellOf(gamma: number, fraction: number, seed: number, m: LmMetrics): LmSweepCell {
  return {
    gamma,
    fraction,
    seed,
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

/** Trains every cell (and the baselines) and summarises over seeds; `onCell` sees each as it ends. */
export function runLmSweep(
  spec: LmSweepSpec,
  onCell?: (c: LmSweepCell) => void,
): { cells: LmSweepCell[]; summary: LmSweepRow[] } {
  const gammas = [0, ...[...new Set(spec.gammas)].filter((g) => g > 0).sort((a, b) => a - b)];
  const cells: LmSweepCell[] = [];
  for (const fraction of spec.fractions) {
    for (let k = 0; k < spec.seeds; k++) {
      const seed = spec.base.seed + k;
      const cellSpec: LmTrainSpec = { ...spec.base, seed, corpus: { ...spec.base.corpus, seed, fraction } };
      const corpus = makeCorpus(cellSpec.corpus);
      const tokens = encode(corpus.text, corpus.vocabulary);
      for (const gamma of gammas) {
        const t = new LmTrainer({ ...cellSpec, gamma }, corpus, gamma, tokens);
        for (let s = 0; s < spec.steps; s++) t.step();
        const cell = cellOf(gamma, fraction, seed, measure(t));
        cells.push(cell);
        onCell?.(cell);
      }
    }
  }
  const summary: LmSweepRow[] = [];
  for (const fraction of spec.fractions)
    for (const gamma of gammas) {
      const group = cells.filter((c) => c.fraction === fraction && c.gamma === gamma);
      summary.push({
        gamma,
        fraction,
        tauCe: band(group.map((c) => c.tauCe)),
        validationPerplexity: band(group.map((c) => c.validationPerplexity)),
        seeds: group.length,
      });
    }
  return { cells, summary };
}
