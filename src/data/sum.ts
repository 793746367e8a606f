/** Summation helpers shared by the generators and the parsers. */

/**
 * Σ v_i with Neumaier's compensated summation: error O(ε) instead of O(nε), which matters for
 * deciding whether a million-entry b sums to 1 within 1e-9.
 */
export function neumaierSum(v: ArrayLike<number>): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + comp;
}
