/** Number formatting shared by the claims panel and the classroom views. */

/** Four significant-looking digits; exponent form for very small or large magnitudes; '—' for non-finite. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '—';
  return Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)
    ? v.toExponential(digits - 1)
    : v.toFixed(digits);
}
