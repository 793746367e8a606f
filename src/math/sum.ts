/**
 * Compensated summation (Neumaier's variant of Kahan's): the error of Σ v_i is O(ε·Σ|v_i|)
 * instead of O(n·ε·Σ|v_i|). The objective's sums over n rows use it so that L carries about one
 * rounding of noise, not √n of them: the line search accepts steps within 1e-15·|L|, and a
 * sequential sum over 1e5 rows left L with ~1e-14 relative noise (bench/RESULTS.md, issue 10).
 */

/** A running compensated sum; {@link value} is the sum so far. */
export class NeumaierSum {
  private sum = 0;
  private comp = 0;

  add(x: number): void {
    const s = this.sum;
    const t = s + x;
    // The low-order bits lost in s + x, recovered from whichever operand is larger in magnitude.
    this.comp += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.comp;
  }
}

/** Σ v_i, compensated (error O(ε) relative to Σ|v_i|). */
export function neumaierSum(v: ArrayLike<number>): number {
  const acc = new NeumaierSum();
  for (let i = 0; i < v.length; i++) acc.add(v[i]);
  return acc.value;
}
