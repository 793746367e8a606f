/**
 * The protection–utility frontier of a sweep over methods (issue 12): for every n1/n, each
 * method's points through its strengths (mean and min–max over seeds of τ and of ℓ2/n2), which
 * points no other point beats on both (non-dominated), and for a target τ the cheapest way to
 * reach it. Pure: the chart (sweep-charts.ts frontierChart) and the table (FrontierTable) draw it.
 */
import type { Band } from '../../src/engine/sweep';
import { METHOD_NAMES, type MethodName } from '../../src/math/methods';
import type { CellGroup } from './grid';

/** One complete (method, strength, n1/n) point of the frontier. */
export interface FrontierPoint {
  method: MethodName;
  /** γc for the paper's method, else the strength s; the plain fit is the paper's γc = 0. */
  gammaC: number;
  fraction: number;
  tau: Band;
  l2PerN2: Band;
  l1PerN1: Band;
  seeds: number;
  /** The seed a click loads. */
  firstSeed: number;
  /**
   * No other point at this n1/n has a mean τ at least as high and a mean ℓ2/n2 at most as high,
   * one of the two strictly: the points worth choosing.
   */
  nonDominated: boolean;
}

/** Whether the point is the plain fit (the baseline every method is compared with). */
export function isPlainFit(p: Pick<FrontierPoint, 'method' | 'gammaC'>): boolean {
  return p.method === 'paper' && p.gammaC === 0;
}

/** The complete points with finite means, each marked dominated or not within its n1/n. */
export function frontierPoints(groups: readonly CellGroup[]): FrontierPoint[] {
  const points = groups
    .filter(
      (g) =>
        g.complete && g.firstSeed !== null && Number.isFinite(g.tau.mean) && Number.isFinite(g.l2PerN2.mean),
    )
    .map((g): FrontierPoint => ({
      method: g.method,
      gammaC: g.gammaC,
      fraction: g.fraction,
      tau: g.tau,
      l2PerN2: g.l2PerN2,
      l1PerN1: g.l1PerN1,
      seeds: g.seeds,
      firstSeed: g.firstSeed ?? 1,
      nonDominated: true,
    }));
  for (const p of points)
    p.nonDominated = !points.some(
      (q) =>
        q !== p &&
        q.fraction === p.fraction &&
        q.tau.mean >= p.tau.mean &&
        q.l2PerN2.mean <= p.l2PerN2.mean &&
        (q.tau.mean > p.tau.mean || q.l2PerN2.mean < p.l2PerN2.mean),
    );
  return points;
}

/** One method's answer to "what does τ ≥ target cost?". */
export interface CheapestRow {
  method: MethodName;
  /** Its cheapest point (lowest mean ℓ2/n2) with mean τ ≥ target, or null when none reaches it. */
  point: FrontierPoint | null;
  /** The highest mean τ the method reached (what it falls short with when point is null). */
  bestTau: number;
}

/**
 * For a target τ at one n1/n: per method of `methods`, its cheapest point that reaches the target,
 * the methods that reach it first (cheapest first), then those that do not (highest τ first).
 * The plain fit counts as the paper's γc = 0.
 */
export function cheapestFor(
  points: readonly FrontierPoint[],
  fraction: number,
  target: number,
  methods: readonly MethodName[],
): CheapestRow[] {
  const rows = METHOD_NAMES.filter((m) => methods.includes(m)).map((method): CheapestRow => {
    const mine = points.filter((p) => p.fraction === fraction && p.method === method);
    const reaching = mine.filter((p) => p.tau.mean >= target);
    const point = reaching.length
      ? reaching.reduce((a, b) => (b.l2PerN2.mean < a.l2PerN2.mean ? b : a))
      : null;
    return { method, point, bestTau: Math.max(-Infinity, ...mine.map((p) => p.tau.mean)) };
  });
  return rows.sort((a, b) =>
    a.point && b.point
      ? a.point.l2PerN2.mean - b.point.l2PerN2.mean
      : a.point
        ? -1
        : b.point
          ? 1
          : b.bestTau - a.bestTau,
  );
}
