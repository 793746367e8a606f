/**
 * The γc slider's log scale, which must include 0: position 0 is γc = 0 exactly, positions
 * 1…STEPS span 10^MIN_EXP … 10^MAX_EXP evenly in log10. The exact input next to the slider takes
 * any value; the slider then shows the nearest position.
 */

export const SLIDER_STEPS = 100;
const MIN_EXP = -4;
const MAX_EXP = 1;

/** γc at a slider position (0 → 0). */
export function gammaFromSlider(position: number): number {
  if (position <= 0) return 0;
  const t = (Math.min(position, SLIDER_STEPS) - 1) / (SLIDER_STEPS - 1);
  const v = Math.pow(10, MIN_EXP + t * (MAX_EXP - MIN_EXP));
  return Number(v.toPrecision(3)); // round numbers read better and keep the link short
}

/** Nearest slider position for a γc (0 → 0; values beyond the ends pin to the ends). */
export function sliderFromGamma(gammaC: number): number {
  if (!(gammaC > 0)) return 0;
  const t = (Math.log10(gammaC) - MIN_EXP) / (MAX_EXP - MIN_EXP);
  return Math.min(SLIDER_STEPS, Math.max(1, Math.round(1 + t * (SLIDER_STEPS - 1))));
}
