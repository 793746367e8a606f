/** Free samples and the protected stretches highlighted in them (issue 13). */
import { describe, expect, it } from 'vitest';
import { createRng } from '../data/prng';
import type { Corpus } from './corpus';
import { MATCH_CHARS_MIN, protectedSpans, sampleTokens } from './generation';
import { forwardSequence, initParams } from './transformer';

/** A corpus of given free and copyrighted lines (only what protectedSpans reads). */
function corpusOf(lines: [string, boolean][]): Corpus {
  const text = lines.map(([t]) => t + '\n').join('');
  const copyright = new Uint8Array(text.length);
  let at = 0;
  for (const [t, c] of lines) {
    if (c) copyright.fill(1, at, at + t.length);
    at += t.length + 1;
  }
  return { text, copyright, passages: [], protectedPassages: [], validation: '', vocabulary: '' };
}

describe('protected stretches in a sample', () => {
  const corpus = corpusOf([
    ['the cat follows a quiet road today.', false],
    ['my secret number is 271828.', true],
    ['the cat follows the winter sea again.', true],
  ]);

  it('marks text found only in the copyrighted lines, not text the free lines share, nor short stretches', () => {
    const sample = 'xx my secret number is 271828. the cat follows a quiet road. number 27';
    const spans = protectedSpans(sample, corpus);
    expect(spans.map(([a, b]) => sample.slice(a, b))).toEqual(['my secret number is 271828.']);
    // "the cat follows " is in both the free and the copyrighted text: never marked on its own.
    expect(protectedSpans('the cat follows ', corpus)).toEqual([]);
    // Copyrighted-only, but shorter than the minimum.
    expect(protectedSpans('271828.', corpus)).toEqual([]);
    expect(protectedSpans('s the winter sea again', corpus).map(([a, b]) => b - a)).toEqual([22]);
  });

  it('agrees with a brute-force reading of the definition on random texts', () => {
    const rng = createRng(11);
    const word = (n: number) => Array.from({ length: n }, () => 'ab c'[Math.floor(rng.next() * 4)]).join('');
    let marked = 0;
    for (let trial = 0; trial < 40; trial++) {
      const c = corpusOf([
        [word(60), false],
        [word(60), true],
        [word(40), false],
      ]);
      const prot = c.text.slice(61, 121);
      const free = c.text.slice(0, 60) + '\0' + c.text.slice(122, 162);
      // Half the samples copy a stretch of the copyrighted line.
      const sample = trial % 2 ? word(10) + prot.slice(10, 40) + word(10) : word(50);
      const expected: [number, number][] = [];
      for (let i = 0; i < sample.length; i++) {
        let L = 0;
        for (let l = 1; i + l <= sample.length; l++) if (prot.includes(sample.slice(i, i + l))) L = l;
        if (L < MATCH_CHARS_MIN || free.includes(sample.slice(i, i + L))) continue;
        const last = expected[expected.length - 1];
        if (last && i <= last[1]) last[1] = Math.max(last[1], i + L);
        else expected.push([i, i + L]);
      }
      expect(protectedSpans(sample, c)).toEqual(expected);
      marked += expected.length;
    }
    expect(marked).toBeGreaterThan(0);
  });
});

describe('sampling from the model', () => {
  it('draws the next character with the softmax probabilities of the logits', () => {
    const p = initParams({ vocab: 5, width: 8, heads: 2, layers: 1, context: 8, tiedHead: true }, 4);
    const prompt = Int32Array.from([1, 3, 2]);
    const row = forwardSequence(p, prompt).logits.subarray(2 * 5, 3 * 5);
    const z = row.reduce((a, v) => a + Math.exp(v), 0);
    const probs = Array.from(row, (v) => Math.exp(v) / z);
    const counts = new Array(5).fill(0);
    const rng = createRng(5);
    const N = 4000;
    for (let k = 0; k < N; k++) counts[sampleTokens(p, prompt, 1, rng)[0]]++;
    for (let j = 0; j < 5; j++) {
      const sd = Math.sqrt(N * probs[j] * (1 - probs[j]));
      expect(Math.abs(counts[j] - N * probs[j])).toBeLessThan(4 * sd + 1);
    }
    // Seeded: the same stream gives the same sample.
    expect(sampleTokens(p, prompt, 20, createRng(9))).toEqual(sampleTokens(p, prompt, 20, createRng(9)));
  });
});
