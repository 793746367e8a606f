/**
 * Free samples of the LM view's models (issue 13) and where they repeat protected text: text drawn
 * from the model (temperature 1, seeded, the same random stream for the run and its twin) and the
 * stretches of it, at least {@link MATCH_CHARS_MIN} characters long, that occur in the copyrighted
 * training text and nowhere in the free training text — text only the protected passages could
 * have taught the model. DOM-free.
 */
import type { Rng } from '../data/prng';
import { mergeSelections, type Corpus } from './corpus';
import { forwardSequence, type LmParams } from './transformer';

/** Shortest stretch worth highlighting: shorter ones (a word or two) occur by chance. */
export const MATCH_CHARS_MIN = 12;

/**
 * `length` tokens after `prompt`, each chosen by `choose` from the logits of the next position (the
 * last `context` tokens as context): greedy decoding and sampling differ only in `choose`.
 */
export function continueTokens(
  p: LmParams,
  prompt: Int32Array,
  length: number,
  choose: (logits: Float64Array) => number,
): Int32Array {
  const T = p.config.context;
  const V = p.config.vocab;
  const seq = Array.from(prompt);
  for (let k = 0; k < length; k++) {
    const inputs = Int32Array.from(seq.slice(-T));
    seq.push(choose(forwardSequence(p, inputs).logits.subarray((inputs.length - 1) * V, inputs.length * V)));
  }
  return Int32Array.from(seq.slice(prompt.length));
}

/** `length` tokens drawn from the model after `prompt` (softmax of the logits, temperature 1). */
export function sampleTokens(p: LmParams, prompt: Int32Array, length: number, rng: Rng): Int32Array {
  const probs = new Float64Array(p.config.vocab);
  return continueTokens(p, prompt, length, (row) => {
    const V = row.length;
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let z = 0;
    for (let j = 0; j < V; j++) z += probs[j] = Math.exp(row[j] - max);
    // Inverse CDF; the last token takes any rounding left over.
    let u = rng.next() * z;
    for (let j = 0; j < V - 1; j++) {
      u -= probs[j];
      if (u < 0) return j;
    }
    return V - 1;
  });
}

/** The copyrighted and the free training text, each as runs joined by '\0' (never in a text). */
const split = new WeakMap<Corpus, { protectedText: string; freeText: string }>();

function textsOf(corpus: Corpus): { protectedText: string; freeText: string } {
  let got = split.get(corpus);
  if (!got) {
    const prot: string[] = [];
    const free: string[] = [];
    for (let i = 0; i < corpus.text.length; i++) {
      const into = corpus.copyright[i] ? prot : free;
      const other = corpus.copyright[i] ? free : prot;
      if (other.length && other[other.length - 1] !== '\0') other.push('\0');
      into.push(corpus.text[i]);
    }
    got = { protectedText: prot.join(''), freeText: free.join('') };
    split.set(corpus, got);
  }
  return got;
}

/**
 * Disjoint [start, end) stretches of `text` of at least MATCH_CHARS_MIN characters that occur in
 * the corpus's copyrighted text and not in its free text: from each position, the longest stretch
 * found in the copyrighted text (found by bisection: a substring of a match is a match), kept when
 * the free text lacks it; overlapping stretches are merged.
 */
export function protectedSpans(text: string, corpus: Corpus): [number, number][] {
  const { protectedText, freeText } = textsOf(corpus);
  const found: [number, number][] = [];
  for (let i = 0; i + MATCH_CHARS_MIN <= text.length; i++) {
    if (!protectedText.includes(text.slice(i, i + MATCH_CHARS_MIN))) continue;
    let lo = MATCH_CHARS_MIN;
    let hi = text.length - i;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (protectedText.includes(text.slice(i, i + mid))) lo = mid;
      else hi = mid - 1;
    }
    if (!freeText.includes(text.slice(i, i + lo))) found.push([i, i + lo]);
  }
  return mergeSelections(found, text.length);
}
