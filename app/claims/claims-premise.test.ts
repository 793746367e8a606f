/**
 * The claims panel's note on Theorem 16's premise (PREMISE_NOTE): at the default regime's solutions
 * ℓ1 ends close to √(2γc) and usually below it. Counted over data seeds × γc, printed.
 */
import { describe, expect, it } from 'vitest';
import { solveSettings } from '../headless/solve-settings';
import { DEFAULT_SETTINGS, cloneSettings } from '../store/settings';
import { PREMISE_NOTE } from './claims-model';

describe('Theorem 16 premise at the defaults (float64)', () => {
  it('ℓ1 ends within 30 % below √(2γc), and below it in most cases', { timeout: 120_000 }, async () => {
    expect(PREMISE_NOTE).toMatch(/close to √\(2γc\).*usually just below/);
    let below = 0;
    let close = 0;
    let total = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      for (const gammaC of [0.05, 0.1, 0.2]) {
        const s = cloneSettings(DEFAULT_SETTINGS);
        s.gen.seed = seed;
        s.gammaC = gammaC;
        s.twin = false;
        const { run } = await solveSettings(s);
        expect(run.converged).toBe(true);
        const ratio = run.parts.l1 / Math.sqrt(2 * gammaC);
        total++;
        if (ratio < 1) below++;
        if (ratio >= 0.7 && ratio <= 1.05) close++;
      }
    }
    console.log(`[premise] ℓ1 < √(2γc) in ${below}/${total}; within [0.7, 1.05]·√(2γc) in ${close}/${total}`);
    expect(close).toBe(total);
    expect(below).toBeGreaterThanOrEqual(Math.ceil(0.75 * total));
  });
});
