import { describe, expect, it } from 'vitest';
import { createRng } from '../data/prng';
import { NeumaierSum, neumaierSum } from './sum';

/** Σ v exactly, for values that are integer multiples of 2^-60 (BigInt arithmetic, one rounding). */
function exactSum(v: readonly number[]): number {
  let s = 0n;
  for (const x of v) s += BigInt(x * 2 ** 60);
  return Number(s) / 2 ** 60;
}

describe('neumaierSum', () => {
  it('keeps what a sequential sum loses to cancellation', () => {
    expect(neumaierSum([1, 1e100, 1, -1e100])).toBe(2);
    expect(neumaierSum([2 ** 53, 1, 1, -(2 ** 53)])).toBe(2);
    expect(neumaierSum([])).toBe(0);
  });

  it('is within one rounding of the exact sum on wide-range random values', () => {
    const rng = createRng(31);
    for (let trial = 0; trial < 50; trial++) {
      // m·2^e with 20-bit m and e ∈ [−40, 30]: exact multiples of 2^-60, sums exact in BigInt.
      const v = Array.from({ length: 5000 }, () => {
        const m = rng.int(2 ** 20) - 2 ** 19;
        return m * 2 ** (rng.int(71) - 40);
      });
      const want = exactSum(v);
      const acc = new NeumaierSum();
      for (const x of v) acc.add(x);
      expect(acc.value).toBe(neumaierSum(v));
      const abs = v.reduce((a, x) => a + Math.abs(x), 0);
      expect(Math.abs(acc.value - want), `trial ${trial}`).toBeLessThanOrEqual(
        2 ** -53 * Math.abs(want) + 4 * 2 ** -106 * 5000 * abs,
      );
    }
  });
});
