/**
 * What each preset claims, as predicates over solved results. The evidence a claim needs (one run
 * with its twin, the preset's sweep, Newton against gradient descent, or both readings) is
 * produced by app/headless/preset-evidence.ts on the float64 engine, exactly as the page computes
 * it; the claim only judges it. Pure: no solver, DOM or React here.
 */
import type { SweepResult, SweepSummaryRow } from '../../src/engine/sweep';
import type { SolveResult } from '../../src/solve/solvers';
import { distance } from '../../src/math/linalg';
import { tauBound } from '../../src/math/metrics';
import { secretsRecited, type LmMetrics } from '../../src/lm/training';

/** A run and, when on, its γc = 0 twin. */
export interface RunEvidence {
  /** γc of the run (the twin's is 0). */
  gammaC: number;
  run: SolveResult;
  twin: SolveResult | null;
}

/** What a claim is judged on. */
export type Evidence =
  | { kind: 'run'; result: RunEvidence }
  | { kind: 'sweep'; result: SweepResult }
  | { kind: 'solvers'; newton: RunEvidence; gd: RunEvidence }
  | { kind: 'readings'; global: RunEvidence; separate: RunEvidence }
  /** The language-model view's training, measured at its last step (src/lm/training.ts). */
  | { kind: 'lm'; run: LmMetrics; twin: LmMetrics };

/** The verdict, with the numbers behind it (printed by the test, shown by the CLI). */
export interface Verdict {
  holds: boolean;
  detail: string;
}

/** A claim: the evidence it needs and the predicate. */
export interface PresetClaim {
  /** Which evidence the claim is judged on. */
  needs: Evidence['kind'];
  /** The claim in one sentence. */
  text: string;
  judge(e: Evidence): Verdict;
}

const fmt = (v: number): string => (Number.isFinite(v) ? v.toPrecision(3) : String(v));

/** Strictly increasing (sign 1) or decreasing (sign −1). */
function strictlyMonotone(values: number[], sign: 1 | -1): boolean {
  return values.every((v, i) => i === 0 || sign * (v - values[i - 1]) > 0);
}

/** Summary rows of the protected cells (γc > 0), in grid order. */
function protectedRows(result: SweepResult): SweepSummaryRow[] {
  return result.summary.filter((r) => r.gammaC > 0);
}

function runOf(e: Evidence): RunEvidence {
  if (e.kind !== 'run') throw new Error(`this claim needs a run, got ${e.kind}`);
  return e.result;
}

function sweepOf(e: Evidence): SweepResult {
  if (e.kind !== 'sweep') throw new Error(`this claim needs a sweep, got ${e.kind}`);
  return e.result;
}

/** Every cell converged (a claim about minima must not rest on unfinished solves). */
function allConverged(result: SweepResult): boolean {
  return result.cells.every((c) => c.converged);
}

/** The protection criteria of issue 8: τ gap, ratio of ℓ1/n1, both runs converged. */
function protection(e: Evidence, minGap: number): Verdict {
  const { run, twin } = runOf(e);
  if (!twin) return { holds: false, detail: 'the twin is off' };
  const a = run.parts;
  const t = twin.parts;
  const gap = a.tau - t.tau;
  const ratio = a.l1 / a.n1 / (t.l1 / t.n1);
  const holds =
    run.converged && twin.converged && gap >= minGap && gap >= 10 * Math.abs(t.tau) && ratio >= 10;
  return {
    holds,
    detail: `τ − τ_twin = ${fmt(gap)} (twin τ = ${fmt(t.tau)}), ℓ1/n1 = ${fmt(ratio)}× the twin's, ℓ2/n2 ${fmt(t.l2 / t.n2)} → ${fmt(a.l2 / a.n2)}, converged: ${run.converged}/${twin.converged}`,
  };
}

/** The summary row of one (method, strength) at the sweep's first n1/n, or undefined. */
function rowOf(
  result: SweepResult,
  method: SweepSummaryRow['method'],
  gammaC: number,
): SweepSummaryRow | undefined {
  return result.summary.find((r) => r.method === method && r.gammaC === gammaC);
}

/**
 * Issue 12's finding on the frontier preset: training without the copyrighted rows (reweight
 * s = 1) leaves τ at the plain fit's, while the paper's γc/ℓ1 and the log barrier raise it.
 */
function droppingIsNotEnough(e: Evidence): Verdict {
  const result = sweepOf(e);
  const plain = rowOf(result, 'paper', 0);
  const dropped = rowOf(result, 'reweight', 1);
  const best = (method: SweepSummaryRow['method']): SweepSummaryRow | undefined =>
    result.summary
      .filter((r) => r.method === method && r.gammaC > 0)
      .reduce<SweepSummaryRow | undefined>((a, r) => (a && a.tau.mean >= r.tau.mean ? a : r), undefined);
  const paper = best('paper');
  const barrier = best('logbarrier');
  if (!plain || !dropped || !paper || !barrier)
    return {
      holds: false,
      detail: 'the sweep lacks the plain fit, reweight s = 1, the paper or the log barrier',
    };
  const used = result.cells.filter(
    (c) =>
      (c.method === 'paper' && (c.gammaC === 0 || c.gammaC === paper.gammaC)) ||
      (c.method === 'reweight' && c.gammaC === 1) ||
      (c.method === 'logbarrier' && c.gammaC === barrier.gammaC),
  );
  const converged = used.every((c) => c.converged);
  const floor = Math.max(0.01, 10 * Math.abs(plain.tau.mean));
  const droppedGap = Math.abs(dropped.tau.mean - plain.tau.mean);
  // Left out of the loss, the copyrighted rows are still fitted well (predicted from the rest):
  // their error stays a small fraction of what a protecting method gives them.
  const l1Ratio = dropped.l1PerN1.mean / paper.l1PerN1.mean;
  const holds =
    converged &&
    droppedGap <= 1e-3 &&
    l1Ratio <= 0.01 &&
    paper.tau.mean >= floor &&
    barrier.tau.mean >= floor;
  return {
    holds,
    detail: `plain fit τ = ${fmt(plain.tau.mean)}; reweight s = 1: τ = ${fmt(dropped.tau.mean)} (|Δ| = ${fmt(droppedGap)}), its ℓ1/n1 ${fmt(l1Ratio)}× the paper's; paper γc = ${paper.gammaC}: τ = ${fmt(paper.tau.mean)}, ℓ2/n2 = ${fmt(paper.l2PerN2.mean)}; log barrier s = ${barrier.gammaC}: τ = ${fmt(barrier.tau.mean)}, ℓ2/n2 = ${fmt(barrier.l2PerN2.mean)} (plain ${fmt(plain.l2PerN2.mean)}); ${used.length} cells behind it converged: ${converged}`,
  };
}

/** Whether a model, prompted with the canary's prefix, reproduces every digit of its secret. */
const recitesCanary = (m: LmMetrics): boolean => secretsRecited(m) > 0;

/**
 * Exposure (bits) above which a canary counts as still exposed: a random 6-digit secret ranks first
 * among its 10⁶ alternatives at log2(10⁶) ≈ 20 bits.
 */
const EXPOSURE_STILL_HIGH = 20;

/** The claims, by name; presets refer to them. */
export const CLAIMS = {
  canary: {
    needs: 'lm',
    text: 'After training, the γ = 0 twin recites every digit of the canary’s secret and the model trained with γ does not; the validation perplexity is within 10 % of the twin’s and the CE on the copyrighted text is above it; yet the canary’s exposure stays at 20 bits or more for both (the secret is still far likelier to each model than random digits), and here it is higher for the γ model than for the twin.',
    judge(e) {
      if (e.kind !== 'lm') throw new Error('this claim needs the language-model training');
      const ratio = e.run.validationPerplexity / e.twin.validationPerplexity;
      const holds =
        recitesCanary(e.twin) &&
        !recitesCanary(e.run) &&
        ratio <= 1.1 &&
        e.run.ceCopyright > e.twin.ceCopyright &&
        e.twin.exposureFit[0] >= EXPOSURE_STILL_HIGH &&
        e.run.exposureFit[0] > e.twin.exposureFit[0];
      return {
        holds,
        detail: `twin recites the canary: ${recitesCanary(e.twin)}, γ model: ${recitesCanary(e.run)}; perplexity ${fmt(e.run.validationPerplexity)} vs ${fmt(e.twin.validationPerplexity)} (×${fmt(ratio)}); CE copyrighted ${fmt(e.run.ceCopyright)} vs ${fmt(e.twin.ceCopyright)}; exposure ${fmt(e.run.exposureFit[0])} vs ${fmt(e.twin.exposureFit[0])} bits`,
      };
    },
  },
  droppingIsNotEnough: {
    needs: 'sweep',
    text: 'Training without the copyrighted rows (reweight s = 1) leaves the mean τ within 1e-3 of the plain fit’s and their mean ℓ1/n1 under 1 % of what the paper’s γc/ℓ1 gives them, while the paper’s γc/ℓ1 and the log barrier each reach a mean τ ≥ 0.01 and ≥ 10× the plain fit’s |τ|, at ≥ 10× its ℓ2/n2 (those cells converged).',
    judge: droppingIsNotEnough,
  },
  protects: {
    needs: 'run',
    text: 'τ ends ≥ 0.005 and ≥ 10·|τ_twin| above its γc = 0 twin, and ℓ1/n1 is ≥ 10× the twin’s.',
    judge: (e) => protection(e, 0.005),
  },
  protectsAtScale: {
    needs: 'run',
    text: 'τ − τ_twin ≥ 10·|τ_twin| and ℓ1/n1 ≥ 10× the twin’s, both runs converged.',
    judge: (e) => protection(e, 0),
  },
  tauRisesWithGamma: {
    needs: 'sweep',
    text: 'The mean τ over the tag seeds strictly increases with γc (every cell converged).',
    judge(e) {
      const result = sweepOf(e);
      const means = protectedRows(result).map((r) => r.tau.mean);
      return {
        holds: allConverged(result) && means.length >= 2 && strictlyMonotone(means, 1),
        detail: `mean τ by γc: ${means.map(fmt).join(', ')}; ℓ2/n2: ${protectedRows(result)
          .map((r) => fmt(r.l2PerN2.mean))
          .join(', ')}`,
      };
    },
  },
  utilityCost: {
    needs: 'sweep',
    text: 'The mean ℓ2/n2 strictly increases with γc, and at the largest γc it is ≥ 100× the γc = 0 baseline’s.',
    judge(e) {
      const result = sweepOf(e);
      const rows = result.summary; // includes the γc = 0 baseline first
      const l2 = rows.map((r) => r.l2PerN2.mean);
      const ratio = l2[l2.length - 1] / l2[0];
      return {
        holds: allConverged(result) && rows[0].gammaC === 0 && strictlyMonotone(l2, 1) && ratio >= 100,
        detail: `mean ℓ2/n2 by γc (${rows.map((r) => r.gammaC).join(', ')}): ${l2.map(fmt).join(', ')}; last/baseline = ${fmt(ratio)}`,
      };
    },
  },
  tauFallsWithFraction: {
    needs: 'sweep',
    text: 'The mean τ over the tag seeds strictly decreases as n1/n grows (every cell converged).',
    judge(e) {
      const result = sweepOf(e);
      const rows = protectedRows(result);
      const means = rows.map((r) => r.tau.mean);
      return {
        holds:
          allConverged(result) &&
          new Set(rows.map((r) => r.gammaC)).size === 1 &&
          means.length >= 2 &&
          strictlyMonotone(means, -1),
        detail: `mean τ by n1/n (${rows.map((r) => r.fraction).join(', ')}): ${means.map(fmt).join(', ')}`,
      };
    },
  },
  separateReading: {
    needs: 'readings',
    text: 'Under the separate reading ℓ2 = ℓ − ℓ1 < 0 at the solution, and τ is larger than under the global reading.',
    judge(e) {
      if (e.kind !== 'readings') throw new Error('this claim needs both readings');
      const g = e.global.run;
      const s = e.separate.run;
      return {
        holds: g.converged && s.converged && s.parts.l2 < 0 && g.parts.l2 >= 0 && s.parts.tau > g.parts.tau,
        detail: `separate: ℓ2 = ${fmt(s.parts.l2)}, τ = ${fmt(s.parts.tau)}; global: ℓ2 = ${fmt(g.parts.l2)}, τ = ${fmt(g.parts.tau)}`,
      };
    },
  },
  solversDisagree: {
    needs: 'solvers',
    text: 'Newton and gradient descent both converge (‖∇L‖ ≤ tol) from the same start, to points ≥ 1 apart whose L differ by ≥ 1 %.',
    judge(e) {
      if (e.kind !== 'solvers') throw new Error('this claim needs Newton and gradient descent');
      const a = e.newton.run;
      const b = e.gd.run;
      const dx = distance(a.x, b.x);
      const dL = Math.abs(a.parts.L - b.parts.L) / Math.max(Math.abs(a.parts.L), Math.abs(b.parts.L));
      return {
        holds: a.converged && b.converged && dx >= 1 && dL >= 0.01,
        detail: `Newton: L = ${fmt(a.parts.L)}, τ = ${fmt(a.parts.tau)} (${a.iterations} it.); gradient descent: L = ${fmt(b.parts.L)}, τ = ${fmt(b.parts.tau)} (${b.iterations} it.); ‖x_N − x_GD‖ = ${fmt(dx)}`,
      };
    },
  },
  theorem16Fails: {
    needs: 'run',
    text: "Theorem 16's premise ℓ1 ≥ √(2γc) fails at the solution by more than 10 %, and τ < τ_c (the paper's claimed bound, ε2 = ℓ2).",
    judge(e) {
      const { run, gammaC } = runOf(e);
      const p = run.parts;
      const bound = tauBound(gammaC, p.n1, p.n2, p.l2);
      const premise = Math.sqrt(2 * gammaC);
      return {
        holds: run.converged && p.l1 < 0.9 * premise && p.tau < bound,
        detail: `ℓ1 = ${fmt(p.l1)} vs √(2γc) = ${fmt(premise)}; τ = ${fmt(p.tau)} vs τ_c = ${fmt(bound)}`,
      };
    },
  },
} satisfies Record<string, PresetClaim>;
