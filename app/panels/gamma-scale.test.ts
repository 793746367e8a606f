import { describe, expect, it } from 'vitest';
import { SLIDER_STEPS, gammaFromSlider, sliderFromGamma } from './gamma-scale';

describe('γc slider scale', () => {
  it('includes 0 and spans 1e-4 to 10', () => {
    expect(gammaFromSlider(0)).toBe(0);
    expect(gammaFromSlider(1)).toBeCloseTo(1e-4, 10);
    expect(gammaFromSlider(SLIDER_STEPS)).toBe(10);
  });
  it('maps positions back to themselves', () => {
    for (let p = 0; p <= SLIDER_STEPS; p++) expect(sliderFromGamma(gammaFromSlider(p))).toBe(p);
  });
  it('is monotone and pins out-of-range values', () => {
    for (let p = 1; p < SLIDER_STEPS; p++) expect(gammaFromSlider(p + 1)).toBeGreaterThan(gammaFromSlider(p));
    expect(sliderFromGamma(1e-9)).toBe(1);
    expect(sliderFromGamma(100)).toBe(SLIDER_STEPS);
  });
});
