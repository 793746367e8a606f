/** Limits of an uploaded text for the LM view (its own module: the settings table needs only these). */

/** What an uploaded text may be: small enough that a measurement (CE over all of it) stays quick. */
export const LM_TEXT_LIMITS = {
  /** Characters after line endings are normalised (~1,600 windows of 32 per measurement). */
  charsMax: 50_000,
  /** Bytes of the file: 4 per character at most in UTF-8, so larger files cannot fit charsMax. */
  bytesMax: 4 * 50_000,
  /** Distinct characters (the model's vocabulary, with the ten digits canaries need). */
  vocabularyMax: 128,
  /** Spans tagged by selection. */
  selectionsMax: 32,
} as const;
