import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/prng';
import { pca2 } from './pca';

describe('pca2', () => {
  it('finds the directions of largest variance', () => {
    // Rows spread 10× along (1, 1, 0)/√2, 3× along (0, 0, 1), 0.1× along (1, −1, 0)/√2.
    const rng = createRng(5);
    const n = 3000;
    const A = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const a = 10 * rng.normal();
      const b = 3 * rng.normal();
      const c = 0.1 * rng.normal();
      A[i * 3] = (a + c) / Math.SQRT2 + 5;
      A[i * 3 + 1] = (a - c) / Math.SQRT2;
      A[i * 3 + 2] = b;
    }
    const p = pca2(A, n, 3);
    expect(p.explained[0]).toBeGreaterThan(0.85);
    expect(p.explained[1]).toBeGreaterThan(0.05);
    // The first coordinate tracks a up to sign: its variance is ~100.
    let v = 0;
    for (let i = 0; i < n; i++) v += p.x[i] * p.x[i];
    expect(v / n).toBeGreaterThan(80);
    expect(v / n).toBeLessThan(120);
  });
  it('handles d = 1', () => {
    const p = pca2(new Float64Array([1, 2, 3, 4]), 4, 1);
    expect(Array.from(p.y)).toEqual([0, 0, 0, 0]);
  });
});
