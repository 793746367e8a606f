/**
 * The one number grammar of the project: links, data files (CSV, JSON problem files), the
 * panels' fields and the CLI's flags all read numbers with {@link parseDecimal}, so "0x20",
 * "1.5." or "1_000" are refused everywhere alike instead of meaning 32 in one place and an
 * error in another.
 */

/**
 * A decimal number as people and `String(number)` write it: optional sign, digits with an optional
 * fraction (or a leading-dot fraction), optional exponent. Rejects what `Number()` would also accept
 * but is surely a mistake here: empty strings, hex (`0x1f`), binary, `Infinity`, digit separators.
 *
 * The fraction's digits come after a required dot: with `\d+\.?\d*`, a long run of digits with a
 * wrong last character made the engine try every split of the run between `\d+` and `\d*`
 * (O(length²): seconds for 100,000 digits from a link or a CSV field); this form is linear.
 */
export const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Spellings of non-finite values, to say "not finite" rather than "not a number" for them. */
const NON_FINITE_RE = /^[+-]?(?:nan|inf|infinity)$/i;

/** What reading a number gave: the value, or why there is none (a short phrase for a message). */
export type ParsedDecimal =
  { ok: true; value: number } | { ok: false; why: 'empty' | 'not a number' | 'not finite' | 'too large' };

/**
 * Reads a finite decimal number; surrounding spaces are ignored. `1e400` is "too large" (it would
 * round to Infinity), never Infinity or null.
 */
export function parseDecimal(raw: string): ParsedDecimal {
  const s = raw.trim();
  if (s === '') return { ok: false, why: 'empty' };
  if (NON_FINITE_RE.test(s)) return { ok: false, why: 'not finite' };
  if (!DECIMAL_RE.test(s)) return { ok: false, why: 'not a number' };
  const value = Number(s);
  if (!Number.isFinite(value)) return { ok: false, why: 'too large' };
  return { ok: true, value };
}
