import { describe, expect, it } from 'vitest';
import type { Dataset, ObjectiveConfig } from '../math/types';
import { DataError } from './errors';
import { generate, DEFAULT_GENERATOR } from './generators';
import { parseProblemJson, writeProblemJson } from './problem-json';
import { applyTagRule } from './tagging';

const base = {
  A: [
    [1, 2],
    [3, 4],
    [5, 6],
  ],
  b: [0.2, 0.3, 0.5],
  copyright: [2, 0],
  gammaC: 0.5,
};
const text = (patch: Record<string, unknown>): string => JSON.stringify({ ...base, ...patch });

function failure(s: string): DataError {
  try {
    parseProblemJson(s);
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('parseProblemJson did not throw');
}

describe('parseProblemJson', () => {
  it('reads a valid problem with defaults for w and reading', () => {
    const r = parseProblemJson(JSON.stringify(base));
    expect(r.dataset.n).toBe(3);
    expect(r.dataset.d).toBe(2);
    expect([...r.dataset.A]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...r.dataset.b]).toEqual([0.2, 0.3, 0.5]);
    expect([...r.dataset.w]).toEqual([0, 0, 0]);
    expect([...r.config.mask]).toEqual([1, 0, 1]);
    expect(r.config.gammaC).toBe(0.5);
    expect(r.config.reading).toBe('global');
    expect(r.notices.join(' ')).toMatch(/no "w" field/);
  });

  it('reads w, reading "separate", an empty copyright list and a BOM', () => {
    const r = parseProblemJson('\uFEFF' + text({ w: [0.1, 0, 2], reading: 'separate', copyright: [] }));
    expect([...r.dataset.w]).toEqual([0.1, 0, 2]);
    expect(r.config.reading).toBe('separate');
    expect([...r.config.mask]).toEqual([0, 0, 0]);
    expect(r.notices).toEqual([]);
  });

  it('keeps b exactly as given with a notice quoting the sum, and notes unknown fields', () => {
    const r = parseProblemJson(text({ b: [1, 1, 2], w: [0, 0, 0], extra: true }));
    expect([...r.dataset.b]).toEqual([1, 1, 2]);
    expect(r.notices.join(' ')).toMatch(/b sums to 4, not 1; used as given/);
    expect(r.notices.join(' ')).toMatch(/ignored unknown field "extra"/);
  });

  const corpus: [string, string, string | undefined, RegExp][] = [
    ['invalid JSON', '{"A": [[1]', undefined, /not valid JSON/],
    ['empty text', '  ', undefined, /empty/],
    ['root not an object', '[1, 2]', undefined, /must be a JSON object/],
    ['missing A', JSON.stringify({ b: [1], copyright: [], gammaC: 0 }), 'A', /missing field "A"/],
    ['A not an array', text({ A: 'x' }), 'A', /A must be an array/],
    ['A without rows', text({ A: [] }), 'A', /A has no rows/],
    ['A[0] empty', text({ A: [[], [], []] }), 'A[0]', /needs at least one column/],
    ['A row not an array', text({ A: [[1, 2], 7, [5, 6]] }), 'A[1]', /A\[1\] is not an array/],
    ['ragged A', text({ A: [[1, 2], [3, 4], [5]] }), 'A[2]', /A\[2\] has 1 entries but A\[0\] has 2/],
    [
      'entry not a number',
      text({
        A: [
          [1, 2],
          [3, 'x'],
          [5, 6],
        ],
      }),
      'A[1][1]',
      /^A\[1\]\[1\] is not a finite number: "x"$/,
    ],
    [
      'entry null (NaN in JSON.stringify)',
      text({
        A: [
          [1, 2],
          [3, 4],
          [NaN, 6],
        ],
      }),
      'A[2][0]',
      /A\[2\]\[0\] is not a finite number: null/,
    ],
    [
      'entry overflows',
      '{"A": [[1e400]], "b": [1], "copyright": [], "gammaC": 0}',
      'A[0][0]',
      /^A\[0\]\[0\] is too large \(overflows float64\)$/,
    ],
    ['b wrong length', text({ b: [0.5, 0.5] }), 'b', /b has 2 entries but A has 3 rows/],
    ['b negative', text({ b: [0.5, -0.1, 0.6] }), 'b[1]', /b\[1\] must be non-negative, got -0.1/],
    ['b all zero', text({ b: [0, 0, 0] }), 'b', /b sums to 0/],
    ['b missing', JSON.stringify({ A: [[1]], copyright: [], gammaC: 0 }), 'b', /missing field "b"/],
    ['w negative', text({ w: [0, -2, 0] }), 'w[1]', /w\[1\] must be non-negative/],
    ['w not finite', text({ w: [0, 'inf', 0] }), 'w[1]', /w\[1\] is not a finite number/],
    [
      'copyright missing',
      JSON.stringify({ A: [[1]], b: [1], gammaC: 0 }),
      'copyright',
      /missing field "copyright"/,
    ],
    [
      'copyright out of range',
      text({ copyright: [0, 3] }),
      'copyright[1]',
      /copyright\[1\] = 3 is out of range \[0, 2\]/,
    ],
    ['copyright negative', text({ copyright: [-1] }), 'copyright[0]', /out of range/],
    [
      'copyright duplicated',
      text({ copyright: [2, 0, 2] }),
      'copyright[2]',
      /copyright\[2\] = 2 repeats copyright\[0\]/,
    ],
    ['copyright not an integer', text({ copyright: [1.5] }), 'copyright[0]', /not an integer row index/],
    [
      'gammaC missing',
      JSON.stringify({ A: [[1]], b: [1], copyright: [] }),
      'gammaC',
      /missing field "gammaC"/,
    ],
    ['gammaC negative', text({ gammaC: -0.1 }), 'gammaC', /gammaC must be ≥ 0, got -0.1/],
    ['gammaC a string', text({ gammaC: '0.1' }), 'gammaC', /gammaC is not a finite number: "0.1"/],
    [
      'unknown reading',
      text({ reading: 'both' }),
      'reading',
      /reading must be "global" or "separate", got "both"/,
    ],
  ];
  for (const [name, input, path, fragment] of corpus) {
    it(`rejects: ${name}`, () => {
      const e = failure(input);
      expect(e.path).toBe(path);
      expect(e.message).toMatch(fragment);
    });
  }
});

describe('writeProblemJson → parseProblemJson', () => {
  it('round-trips generated data bit for bit, with config', () => {
    const g = generate({ ...DEFAULT_GENERATOR, n: 50, d: 6, seed: 3 });
    const config: ObjectiveConfig = {
      gammaC: 0.125,
      mask: applyTagRule({ kind: 'random', fraction: 0.3, seed: 3 }, 50),
      reading: 'separate',
    };
    const r = parseProblemJson(writeProblemJson(g.dataset, config));
    expect(r.notices).toEqual([]);
    for (const key of ['A', 'b', 'w'] as const) {
      const got = r.dataset[key];
      const want = g.dataset[key];
      expect(got.length).toBe(want.length);
      for (let k = 0; k < want.length; k++) expect(Object.is(got[k], want[k])).toBe(true);
    }
    expect(r.config).toEqual(config);
  });

  it('keeps negative zero and extreme values, and lists copyright rows in order', () => {
    const ds: Dataset = {
      n: 2,
      d: 2,
      A: Float64Array.from([-0, 5e-324, Number.MAX_VALUE, -1e-300]),
      b: Float64Array.from([0.25, 0.75]),
      w: Float64Array.from([0, 3]),
    };
    const out = writeProblemJson(ds, { gammaC: 0, mask: Uint8Array.from([0, 1]), reading: 'global' });
    expect(out).toContain('"copyright": [1]');
    expect(out).toContain('[-0, 5e-324]');
    const r = parseProblemJson(out);
    expect(Object.is(r.dataset.A[0], -0)).toBe(true);
    expect([...r.dataset.A.subarray(1)]).toEqual([5e-324, Number.MAX_VALUE, -1e-300]);
  });
});

describe('parseProblemJson: overflow, sizes and bounded messages', () => {
  it('says a number beyond float64 is too large, naming the field and index (not "null")', () => {
    const big = '{"A": [[1e400], [2]], "b": [0.5, 0.5], "copyright": [], "gammaC": 0}';
    expect(failure(big).message).toBe('A[0][0] is too large (overflows float64)');
    const gamma = '{"A": [[1], [2]], "b": [0.5, 0.5], "copyright": [], "gammaC": 1e400}';
    expect(failure(gamma).message).toBe('gammaC is too large (overflows float64)');
    const e = failure('{"A": [[1], [2]], "b": [0.5, -1e400], "copyright": [], "gammaC": 0}');
    expect(e.path).toBe('b[1]');
    expect(e.message).toBe('b[1] is too large (overflows float64)');
    expect(e.message).not.toContain('null');
  });

  it('says a number written as a string should lose its quotes', () => {
    const e = failure(text({ b: [0.2, '0.3', 0.5] }));
    expect(e.path).toBe('b[1]');
    expect(e.message).toBe('b[1] is not a finite number: "0.3" is a string; write the number without quotes');
    // A string that is no number in the one grammar gets no such hint.
    expect(failure(text({ b: [0.2, '0x1F', 0.5] })).message).toBe('b[1] is not a finite number: "0x1F"');
  });

  it('refuses more features than DATA_LIMITS.dMax from A[0] alone, naming the limit', () => {
    // The second row is garbage: the width is refused before any row is read into an array.
    const wide = `{"A": [[${new Array(1025).fill(0).join(',')}], "junk"], "b": [1, 1], "copyright": [], "gammaC": 0}`;
    const e = failure(wide);
    expect(e.path).toBe('A');
    expect(e.message).toBe('A has 2 rows of 1,025: 1,025 features is more than the limit of 1024');
  });

  it('refuses more rows than DATA_LIMITS.nMax before building A', () => {
    const rows = 2_000_001;
    const e = failure(`{"A": [${'[0],'.repeat(rows - 1)}[0]], "b": [], "copyright": [], "gammaC": 0}`);
    expect(e.path).toBe('A');
    expect(e.message).toBe('A has 2,000,001 rows of 1: 2,000,001 rows is more than the limit of 2,000,000');
  });

  it('names 100,000 unknown fields in one short notice', () => {
    const extra: Record<string, number> = {};
    for (let k = 0; k < 100_000; k++) extra[`field${k}`] = k;
    const r = parseProblemJson(text(extra));
    expect(r.notices).toHaveLength(2); // the unknown fields, and no "w"
    expect(r.notices[0]).toBe(
      'ignored unknown fields "field0", "field1", "field2", "field3", "field4" and 99,995 more',
    );
  });

  it('quotes a huge value at most ECHO_CHARS_MAX characters', () => {
    const e = failure(text({ gammaC: 'x'.repeat(1_000_000) }));
    expect(e.message.length).toBeLessThan(200);
    expect(e.message).toContain('(1,000,002 characters)');
  });

  it('says UTF-16 read as UTF-8 is UTF-16', () => {
    const utf8ofUtf16 = new TextDecoder('utf-8').decode(Buffer.from(`\uFEFF${text({})}`, 'utf16le'));
    expect(failure(utf8ofUtf16).message).toBe('the file looks like UTF-16; save it as UTF-8');
  });
});
