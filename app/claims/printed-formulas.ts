/**
 * Where the paper's printed formulas differ from the ones this playground uses (math.md §6). The
 * playground implements the verified formulas only; this list is shown so readers of the paper
 * know what to correct.
 */

/** One difference: the printed text and the verified replacement. */
export interface PrintedFormulaNote {
  where: string;
  text: string;
}

/** The differences that matter for the numbers shown here. */
export const PRINTED_FORMULA_NOTES: readonly PrintedFormulaNote[] = [
  {
    where: 'Definition 11, B(x)',
    text: 'The ⟨f − b, f⟩·diag(f) term needs a minus sign, and the terms −2(f∘f)fᵀ − 2f(f∘f)ᵀ are missing; as printed it is off by a factor of about 5 (relative error).',
  },
  {
    where: 'Lemma 12',
    text: 'The rank-one factor 16·ℓ1⁻¹ should be 4·ℓ1⁻¹ (total coefficient 8γcℓ1⁻³).',
  },
  {
    where: 'Lemma 10, copyright term',
    text: 'Matches only the "separate softmax" reading of f1 (our reading B); under the default global reading the term involves Aᵀ and all n rows.',
  },
  {
    where: 'Theorem 16 vs §7.2',
    text: 'τ_c uses √(2γc)/n1 in Theorem 16 but √2·γc/n1 in §7.2; √(2γc) is the one that follows from minimising ℓ1/2 + γc/ℓ1, and is the one shown here.',
  },
  {
    where: 'Lemma 13',
    text: 'γ is never defined; from the powers of γ it must be a lower bound ℓ1(x) ≥ γ, so we use γ := ℓ1 at the point.',
  },
];
