/** Made-up finished cells for the sweep's unit tests. */
import type { SweepCell } from '../../src/engine/sweep';

/** A finished cell with τ = l1 − l2 made up from its coordinates. */
export function fakeCell(
  gammaC: number,
  fraction: number,
  seed: number,
  l1 = 1 + gammaC + seed / 10,
): SweepCell {
  const l2 = 0.5 + gammaC / 10;
  return {
    method: 'paper',
    gammaC,
    fraction,
    seed,
    n1: Math.round(fraction * 100),
    tau: l1 - l2,
    l1PerN1: l1,
    l2PerN2: l2,
    L: 1,
    iterations: 5,
    converged: true,
    status: 'converged',
    baselineTau: 0.4 + seed / 10,
  };
}
