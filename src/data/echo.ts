/**
 * Bounds on what a message repeats back from the input: a 1 MB link or a header with a million
 * columns must give a one-line message, not a 10 MB one (and the page must not render it).
 */

/** Most characters of one input value quoted in a message. */
export const ECHO_CHARS_MAX = 60;
/** Most items of a list named in a message; the rest are counted. */
export const ECHO_ITEMS_MAX = 5;

/** `text` cut to {@link ECHO_CHARS_MAX} characters, with "… (N characters)" when cut. */
export function clipEcho(text: string, max = ECHO_CHARS_MAX): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** The first {@link ECHO_ITEMS_MAX} items joined by ", ", then "and N more". */
export function listSome(items: readonly string[], max = ECHO_ITEMS_MAX): string {
  if (items.length <= max) return items.join(', ');
  const more = items.length - max;
  return `${items.slice(0, max).join(', ')} and ${more.toLocaleString('en-US')} more`;
}

/**
 * Like {@link listSome}, with each shown item clipped and in double quotes (`"x1", "x2" and 3 more`).
 * Only the shown items are quoted, so naming a list of a million column names costs five.
 */
export function listSomeQuoted(items: readonly string[], max = ECHO_ITEMS_MAX): string {
  const shown = items.slice(0, max).map((s) => JSON.stringify(clipEcho(s)));
  if (items.length <= max) return shown.join(', ');
  return `${shown.join(', ')} and ${(items.length - max).toLocaleString('en-US')} more`;
}
