import { describe, expect, it } from 'vitest';
import type { MethodName } from '../../src/math/methods';
import type { CellGroup } from './grid';
import { cheapestFor, frontierPoints, isPlainFit } from './frontier';

const band = (mean: number, spread = 0) => ({ min: mean - spread, mean, max: mean + spread });

/** A complete point with made-up means. */
function group(method: MethodName, gammaC: number, tau: number, cost: number, fraction = 0.1): CellGroup {
  return {
    method,
    gammaC,
    fraction,
    tau: band(tau, 1e-4),
    l1PerN1: band(tau + cost),
    l2PerN2: band(cost, 1e-6),
    baselineTau: band(0),
    seeds: 3,
    seedsTotal: 3,
    complete: true,
    firstSeed: 1,
  };
}

describe('the protection–utility frontier', () => {
  const groups = [
    group('paper', 0, 0, 1e-5),
    group('paper', 0.1, 0.02, 2e-3),
    group('paper', 1, 0.05, 3e-3),
    group('reweight', 1, 0, 1.1e-5), // dominated by the plain fit: no more τ, more cost
    group('logbarrier', 0.3, 0.025, 2e-3), // beats paper 0.1: more τ at the same cost
    group('tau-target', 1e5, 0.015, 1e-3),
    { ...group('ascent', 3, 0.04, 1e-3), complete: false }, // a missing seed: not drawn
    group('paper', 0.1, 0.5, 1e-9, 0.4), // another n1/n never dominates these
  ];

  it('keeps the complete points and marks the non-dominated ones within each n1/n', () => {
    const points = frontierPoints(groups);
    expect(points).toHaveLength(7);
    const mark = Object.fromEntries(
      points.filter((p) => p.fraction === 0.1).map((p) => [`${p.method} ${p.gammaC}`, p.nonDominated]),
    );
    expect(mark).toEqual({
      'paper 0': true,
      'paper 0.1': false,
      'paper 1': true,
      'reweight 1': false,
      'logbarrier 0.3': true,
      'tau-target 100000': true,
    });
    expect(points.filter(isPlainFit).map((p) => p.fraction)).toEqual([0.1]);
  });

  it('answers the cheapest method for a target τ, then the ones that fall short', () => {
    const points = frontierPoints(groups);
    const rows = cheapestFor(points, 0.1, 0.02, ['paper', 'reweight', 'logbarrier', 'tau-target']);
    expect(rows.map((r) => [r.method, r.point?.gammaC ?? null])).toEqual([
      ['paper', 0.1], // 2e-3, listed before logbarrier's equal cost by the table's order
      ['logbarrier', 0.3],
      ['tau-target', null],
      ['reweight', null],
    ]);
    expect(rows[2].bestTau).toBe(0.015);
    expect(cheapestFor(points, 0.1, 0.04, ['paper', 'logbarrier'])[0].point?.gammaC).toBe(1);
  });
});
