/**
 * Spans of an uploaded text tagged by selection (the LM view, its link's `lsel`, the CLI's
 * --select), in a module of their own so the settings table can read them without the corpus code.
 */

/** Selections clipped to the text, sorted and merged: disjoint [start, end) spans. */
export function mergeSelections(
  selections: readonly (readonly [number, number])[],
  length: number,
): [number, number][] {
  const spans = selections
    .map(([a, b]): [number, number] => [Math.max(0, Math.min(a, b)), Math.min(length, Math.max(a, b))])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}
