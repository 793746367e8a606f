/**
 * An uploaded text as the LM corpus (issue 13): paragraphs are the passages, selected characters
 * are tagged exactly those characters, validation never holds tagged text, and a file the model
 * cannot take is refused with the line and column of the first problem.
 */
import { describe, expect, it } from 'vitest';
import { CANARY_PREFIX, makeCorpus, mergeSelections, paragraphs } from './corpus';
import { LM_TEXT_LIMITS, lineColumn, readLmText } from './text-file';

const utf8 = (s: string) => new TextEncoder().encode(s);

const CONTENT = [
  'First paragraph, about a quiet harbour.\nIt goes on over two lines.',
  'Second paragraph: the secret formula is forty two.',
  'Third paragraph is free text about weather.',
  'Fourth paragraph, also free, about a long walk.',
  'Fifth paragraph speaks of lanterns and of maps.',
  'Sixth paragraph ends the text.',
].join('\n\n');

const base = { seed: 3, passages: 0, sentences: 0, fraction: 0, canaries: 0, repeats: 1, validation: 0.25 };

describe('paragraphs and selections', () => {
  it('splits at blank lines, or at lines when there are none, without surrounding blanks', () => {
    expect(
      paragraphs('a b\nc\n\n  d\n \n\ne  ').map(([s, e]) => 'a b\nc\n\n  d\n \n\ne  '.slice(s, e)),
    ).toEqual(['a b\nc', 'd', 'e']);
    expect(paragraphs('one\ntwo\n\nthree'.replace('\n\n', '\n')).length).toBe(3);
  });

  it('clips, orders and merges selections into disjoint spans', () => {
    expect(
      mergeSelections(
        [
          [8, 3],
          [5, 12],
          [20, 30],
          [-4, 1],
          [40, 50],
        ],
        25,
      ),
    ).toEqual([
      [0, 1],
      [3, 12],
      [20, 25],
    ]);
  });
});

describe('an uploaded text as the corpus', () => {
  const secret = CONTENT.indexOf('the secret formula is forty two');
  const selection: [number, number] = [secret, secret + 'the secret formula is forty two'.length];

  it('tags exactly the selected characters in the training text, and each span is a protected passage', () => {
    const c = makeCorpus({ ...base, text: { content: CONTENT, selections: [selection] } });
    const at = c.text.indexOf('the secret formula is forty two');
    expect(at).toBeGreaterThan(0);
    const tagged = [...c.copyright].flatMap((m, i) => (m ? [i] : []));
    expect(tagged[0]).toBe(at);
    expect(tagged).toHaveLength(selection[1] - selection[0]);
    expect(tagged[tagged.length - 1]).toBe(at + selection[1] - selection[0] - 1);
    expect(c.protectedPassages.map((p) => p.text)).toEqual(['the secret formula is forty two']);
    // The paragraph with the selection is never held out; one of the 5 free paragraphs is.
    expect(c.validation).not.toContain('secret formula');
    expect(c.validation.trim().split('\n\n').length).toBe(1);
    expect(c.text).toContain('Second paragraph');
  });

  it('keeps the file order, tags whole paragraphs by the fraction, and inserts the canaries r times', () => {
    const c = makeCorpus({
      ...base,
      fraction: 2 / 6,
      canaries: 1,
      repeats: 3,
      text: { content: CONTENT, selections: [] },
    });
    const order = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth']
      .map((w) => c.text.indexOf(`${w} paragraph`))
      .filter((i) => i >= 0);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const whole = c.passages.filter((p) => p.copyright && p.secret === undefined);
    expect(whole).toHaveLength(2);
    for (const p of c.passages) {
      const marks = c.copyright.subarray(p.start, p.start + p.text.length);
      expect(marks.every((m) => m === (p.copyright ? 1 : 0))).toBe(true);
    }
    expect(c.passages.filter((p) => p.text.startsWith(CANARY_PREFIX))).toHaveLength(3);
    expect(c.protectedPassages).toHaveLength(3); // two paragraphs, one canary
    expect(
      makeCorpus({
        ...base,
        fraction: 2 / 6,
        canaries: 1,
        repeats: 3,
        text: { content: CONTENT, selections: [] },
      }),
    ).toEqual(c);
  });
});

describe('reading an uploaded .txt', () => {
  it('normalises line endings and trailing blanks, and reads UTF-16 with a byte order mark', () => {
    expect(readLmText(utf8('a\r\nb\rc  \n\n'))).toEqual({ ok: true, text: 'a\nb\nc', notices: [] });
    const le = new Uint8Array([0xff, 0xfe, 0x68, 0, 0x69, 0]);
    const got = readLmText(le);
    expect(got.ok && got.text).toBe('hi');
  });

  it('names the line and column of invalid UTF-8, a control character and an astral character', () => {
    const bad = new Uint8Array([...utf8('ok line\nab'), 0xff, ...utf8('c')]);
    expect(readLmText(bad)).toEqual({
      ok: false,
      message: expect.stringMatching(/^line 2, column 3: .*not UTF-8/),
    });
    expect(readLmText(utf8('x\n\ny\u0007'))).toEqual({
      ok: false,
      message: expect.stringMatching(/^line 3, column 2: the control character U\+0007/),
    });
    expect(readLmText(utf8('tab\tis fine 😀'))).toEqual({
      ok: false,
      message: expect.stringMatching(/^line 1, column 13: .*outside the Basic Multilingual Plane/),
    });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('refuses a file over the byte limit before decoding it, an empty file, too many characters or distinct characters', () => {
    const big = new Uint8Array(LM_TEXT_LIMITS.bytesMax + 1);
    expect(readLmText(big)).toEqual({
      ok: false,
      message: expect.stringContaining('takes text files up to'),
    });
    expect(readLmText(utf8(' \n\t'))).toEqual({ ok: false, message: 'The file has no text.' });
    expect(readLmText(utf8('a'.repeat(LM_TEXT_LIMITS.charsMax + 1)))).toEqual({
      ok: false,
      message: expect.stringContaining('takes up to 50,000'),
    });
    const many = Array.from({ length: 200 }, (_, i) => String.fromCharCode(0x100 + i)).join('');
    expect(readLmText(utf8(many))).toEqual({
      ok: false,
      message: expect.stringMatching(/^The text uses 210 distinct characters/),
    });
  });
});

describe('the regurgitation test on a long upload', () => {
  it('continues at most REGURGITATION_LIMITS.passages passages (every canary among them) for at most REGURGITATION_LIMITS.chars characters', async () => {
    const { REGURGITATION_LIMITS, makeRunAndTwin, measure, regurgitationPassages } =
      await import('./training');
    const { defaultLmSpec } = await import('./lm-defaults');
    const long = Array.from(
      { length: 40 },
      (_, i) => `Paragraph ${i} ${'is long and winding '.repeat(12)}`,
    ).join('\n\n');
    const spec = defaultLmSpec(2);
    spec.model = { ...spec.model, width: 8, heads: 1 };
    spec.candidates = 5;
    spec.corpus = {
      ...spec.corpus,
      fraction: 0.9,
      canaries: 2,
      repeats: 2,
      text: { content: long, selections: [] },
    };
    const { corpus, run } = makeRunAndTwin(spec);
    expect(corpus.protectedPassages.length).toBe(36 + 2);
    const tested = regurgitationPassages(corpus);
    expect(tested).toHaveLength(REGURGITATION_LIMITS.passages);
    expect(tested.filter((p) => p.secret !== undefined)).toHaveLength(2);
    const m = measure(run);
    expect(m.passages).toBe(REGURGITATION_LIMITS.passages);
    expect(Math.max(...m.samples.map((s) => s.continuation.length))).toBe(REGURGITATION_LIMITS.chars);
    expect(m.exposure).toHaveLength(2);
  });
});
