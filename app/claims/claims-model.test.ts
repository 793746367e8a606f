import { describe, expect, it } from 'vitest';
import { claimRows } from './claims-model';
import { PRINTED_FORMULA_NOTES } from './printed-formulas';

const ctx = { gammaC: 0.5, minW2: 0.01 };

describe('claimRows', () => {
  it('says "fails here" when ℓ1 is below √(2γc), and gives the paper\'s bound', () => {
    const rows = claimRows({ l1: 0.01, l2: 0.02, tau: 0.001, n1: 10, n2: 40 }, ctx);
    const premise = rows.find((r) => r.id === 'premise')!;
    expect(premise.verdict).toBe('fails here');
    expect(premise.claim).toContain('1.0000');
    const bound = rows.find((r) => r.id === 'tau-bound')!;
    // τ_c = 1/10 − 0.02/40 = 0.0995 > τ = 0.001.
    expect(bound.claim).toContain('0.0995');
    expect(bound.verdict).toBe('fails here');
    expect(rows.find((r) => r.id === 'lemma13')!.verdict).toBe('fails here');
  });

  it('says "holds" when the premise and the bound are met', () => {
    const rows = claimRows({ l1: 1.5, l2: 0.001, tau: 0.2, n1: 10, n2: 40 }, ctx);
    expect(rows.find((r) => r.id === 'premise')!.verdict).toBe('holds');
    expect(rows.find((r) => r.id === 'tau-bound')!.verdict).toBe('holds');
  });

  it('reports local convexity only when λ_min was measured', () => {
    const p = { l1: 0.1, l2: 0.1, tau: 0, n1: 1, n2: 1 };
    expect(claimRows(p, ctx).find((r) => r.id === 'convexity')!.verdict).toBe('not measured');
    expect(claimRows({ ...p, lambdaMin: 0.04 }, ctx).find((r) => r.id === 'convexity')!.verdict).toBe(
      'holds',
    );
    expect(claimRows({ ...p, lambdaMin: -1e-3 }, ctx).find((r) => r.id === 'convexity')!.verdict).toBe(
      'fails here',
    );
  });

  it('Lemma 13 holds with large w and a large ℓ1', () => {
    const rows = claimRows({ l1: 1, l2: 0.1, tau: 0, n1: 1, n2: 1 }, { ...ctx, gammaC: 0, minW2: 9 });
    expect(rows.find((r) => r.id === 'lemma13')!.verdict).toBe('holds');
  });

  it('lists the printed-formula errors of math.md §6', () => {
    const text = PRINTED_FORMULA_NOTES.map((n) => n.where + n.text).join(' ');
    for (const s of ['Definition 11', '16·ℓ1⁻¹', '4·ℓ1⁻¹', 'Lemma 10', '√2·γc']) expect(text).toContain(s);
  });
});
