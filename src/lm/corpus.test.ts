/** The LM corpus, its tags and the exposure tail: deterministic, disjoint, and as defined. */
import { describe, expect, it } from 'vitest';
import { CANARY_PREFIX, encode, makeCorpus } from './corpus';
import { logUpperTail } from './training';

const spec = {
  seed: 7,
  passages: 30,
  sentences: 2,
  fraction: 0.2,
  canaries: 2,
  repeats: 5,
  validation: 0.25,
};

describe('LM corpus', () => {
  it('is the same for the same seed; tags cover the copyrighted passages; canaries repeat r times', () => {
    const a = makeCorpus(spec);
    expect(makeCorpus(spec)).toEqual(a);
    expect(makeCorpus({ ...spec, seed: 8 }).text).not.toBe(a.text);
    for (const p of a.passages) {
      const marks = a.copyright.subarray(p.start, p.start + p.text.length);
      expect(marks.every((m) => m === (p.copyright ? 1 : 0))).toBe(true);
      expect(a.text.slice(p.start, p.start + p.text.length)).toBe(p.text);
    }
    const canaries = a.protectedPassages.filter((p) => p.secret !== undefined);
    expect(canaries).toHaveLength(2);
    for (const c of canaries) {
      expect(c.text.startsWith(CANARY_PREFIX)).toBe(true);
      expect(a.passages.filter((p) => p.text === c.text)).toHaveLength(spec.repeats);
    }
    // 20 % of 30 passages tagged, plus the canaries.
    expect(a.protectedPassages).toHaveLength(6 + 2);
    // Held-out text is never trained on, and every character (and digit) is in the vocabulary.
    for (const line of a.validation.trim().split('\n')) expect(a.text).not.toContain(line);
    expect(() => encode(a.text + a.validation + '0123456789', a.vocabulary)).not.toThrow();
  });

  it('logUpperTail: P(Z ≥ z) of a standard normal, in its far tail too', () => {
    expect(Math.exp(logUpperTail(0))).toBeCloseTo(0.5, 7);
    expect(Math.exp(logUpperTail(1.959963984540054))).toBeCloseTo(0.025, 8);
    expect(Math.exp(logUpperTail(-1))).toBeCloseTo(0.8413447460685429, 7);
    // P(Z ≥ 10) = 7.6198530241605e-24; the asymptotic branch beyond 10 joins smoothly.
    expect(logUpperTail(10) / Math.log(7.6198530241605e-24)).toBeCloseTo(1, 5);
    expect(logUpperTail(10.0001)).toBeLessThan(logUpperTail(9.9999));
  });
});
