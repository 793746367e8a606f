import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../math/types';
import { PROGRESS_STEPS, parseCsv, writeCsv } from './csv';
import { DataError, formatDataError } from './errors';
import { DEFAULT_CLUSTERS_GENERATOR, generate } from './generators';
import { applyTagRule } from './tagging';

/** Element-wise Object.is: bit-identical doubles, −0 distinguished from +0. */
function expectSameBits(got: Float64Array, want: Float64Array): void {
  expect(got.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    if (!Object.is(got[k], want[k])) throw new Error(`entry ${k}: got ${got[k]}, want ${want[k]}`);
  }
}

/** Parses text that must fail and returns the DataError. */
function failure(text: string): DataError {
  try {
    parseCsv(text);
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('parseCsv did not throw');
}

describe('writeCsv → parseCsv round trip', () => {
  it('is bit-identical for generated data (A, b, w, mask, names)', () => {
    const g = generate({ ...DEFAULT_CLUSTERS_GENERATOR, n: 300, d: 7, seed: 12 });
    const mask = applyTagRule({ kind: 'cluster', clusters: [1] }, 300, g.clusters);
    const parsed = parseCsv(writeCsv(g.dataset, mask, g.featureNames));
    expect(parsed.dataset.n).toBe(300);
    expect(parsed.dataset.d).toBe(7);
    expectSameBits(parsed.dataset.A, g.dataset.A);
    expectSameBits(parsed.dataset.b, g.dataset.b);
    expectSameBits(parsed.dataset.w, g.dataset.w);
    expect(parsed.mask).toEqual(mask);
    expect(parsed.featureNames).toEqual(g.featureNames);
    expect(parsed.hasCopyrightColumn).toBe(true);
    expect(parsed.notices).toEqual([]); // b already sums to 1, w present, comma delimiter
  });

  it('is bit-identical for extreme values, negative zero and awkward feature names', () => {
    const ds: Dataset = {
      n: 3,
      d: 2,
      A: Float64Array.from([-0, 5e-324, Number.MAX_VALUE, 0.1, -1e-7, 123456789.12345679]),
      b: Float64Array.from([0.1, 0.2, 0.7]),
      w: Float64Array.from([0, 0.5, 1e-300]),
    };
    const mask = Uint8Array.from([1, 0, 1]);
    const text = writeCsv(ds, mask, ['alpha, "the first"', 'beta;2']);
    const parsed = parseCsv(text);
    expectSameBits(parsed.dataset.A, ds.A);
    expectSameBits(parsed.dataset.b, ds.b);
    expectSameBits(parsed.dataset.w, ds.w);
    expect(parsed.mask).toEqual(mask);
    expect(parsed.featureNames).toEqual(['alpha, "the first"', 'beta;2']);
  });

  it('writes the documented header and default names', () => {
    const ds: Dataset = {
      n: 2,
      d: 2,
      A: Float64Array.from([1, 2, 3, 4]),
      b: Float64Array.from([0.5, 0.5]),
      w: new Float64Array(2),
    };
    expect(writeCsv(ds, Uint8Array.from([0, 1]))).toBe('x1,x2,b,w,copyright\n1,2,0.5,0,0\n3,4,0.5,0,1\n');
  });

  it('refuses what could not be read back', () => {
    const ds: Dataset = {
      n: 1,
      d: 1,
      A: Float64Array.from([NaN]),
      b: Float64Array.from([1]),
      w: new Float64Array(1),
    };
    expect(() => writeCsv(ds, new Uint8Array(1))).toThrow(/non-finite/);
    const ok: Dataset = { ...ds, A: Float64Array.from([1]) };
    expect(() => writeCsv(ok, new Uint8Array(2))).toThrow(/mask has 2 entries/);
    expect(() => writeCsv(ok, new Uint8Array(1), ['B'])).toThrow(/reserved/);
    expect(() => writeCsv(ok, new Uint8Array(1), ['x', 'y'])).toThrow(/2 feature names for 1/);
  });
});

describe('parseCsv dialects', () => {
  it('reads semicolon-separated files', () => {
    const r = parseCsv('x1;x2;b\n1;2;0.25\n3;4;0.75\n');
    expect([...r.dataset.A]).toEqual([1, 2, 3, 4]);
    expect([...r.dataset.b]).toEqual([0.25, 0.75]);
    expect(r.notices).toContain('delimiter: ";"');
  });

  it('reads tab-separated files', () => {
    const r = parseCsv('x1\tx2\tb\n1\t2\t0.25\n3\t4\t0.75\n');
    expect([...r.dataset.A]).toEqual([1, 2, 3, 4]);
    expect(r.notices).toContain('delimiter: tab');
  });

  it('strips a BOM and reads CRLF line ends and blank trailing lines', () => {
    const r = parseCsv('\uFEFFx,b\r\n1,0.5\r\n2,0.5\r\n\r\n\r\n');
    expect(r.featureNames).toEqual(['x']);
    expect([...r.dataset.A]).toEqual([1, 2]);
    expect(r.dataset.n).toBe(2);
  });

  it('reads quoted fields containing delimiters, quotes and line breaks', () => {
    const r = parseCsv('"size, in cm","say ""hi""",b\n"1.5","2",0.5\n"3",4,"0.5"\n');
    expect(r.featureNames).toEqual(['size, in cm', 'say "hi"']);
    expect([...r.dataset.A]).toEqual([1.5, 2, 3, 4]);
    const multi = parseCsv('x,b\n"1\n",0.5\n2,0.5\n');
    expect([...multi.dataset.A]).toEqual([1, 2]);
  });

  it('reads tags as 0/1, true/false, yes/no in any case and with spaces', () => {
    const r = parseCsv('x,b,copyright\n1,0.2,TRUE\n2,0.2,false\n3,0.2, Yes \n4,0.2,NO\n5,0.1,1\n6,0.1,0\n');
    expect([...r.mask]).toEqual([1, 0, 1, 0, 1, 0]);
    expect(r.hasCopyrightColumn).toBe(true);
  });

  it('matches column names trimmed and case-insensitively, in any order', () => {
    const r = parseCsv(' B ,feat,COPYRIGHT, W ,other\n0.5,1,1,0.25,2\n0.5,3,0,0.75,4\n');
    expect(r.featureNames).toEqual(['feat', 'other']);
    expect([...r.dataset.A]).toEqual([1, 2, 3, 4]);
    expect([...r.dataset.w]).toEqual([0.25, 0.75]);
    expect([...r.mask]).toEqual([1, 0]);
  });

  it('defaults w to 0 and tags to 0, with a notice for w', () => {
    const r = parseCsv('x,b\n1,0.5\n2,0.5\n');
    expect([...r.dataset.w]).toEqual([0, 0]);
    expect([...r.mask]).toEqual([0, 0]);
    expect(r.hasCopyrightColumn).toBe(false);
    expect(r.notices.join(' ')).toMatch(/no "w" column/);
  });

  it('accepts the number spellings String(number) produces and leading + or .', () => {
    const r = parseCsv('x,b\n1e-7,0.5\n-2.5E+3,.25\n+4.,0.25\n');
    expect([...r.dataset.A]).toEqual([1e-7, -2500, 4]);
  });

  it('normalises a b that does not sum to 1 and reports the original sum', () => {
    const r = parseCsv('x,b\n1,1\n2,3\n');
    expect([...r.dataset.b]).toEqual([0.25, 0.75]);
    expect(r.notices.join(' ')).toMatch(/b summed to 4, not 1/);
  });

  it('keeps a b whose sum is within 1e-9 of 1 unchanged', () => {
    const r = parseCsv('x,b\n1,0.5\n2,0.5000000005\n');
    expect([...r.dataset.b]).toEqual([0.5, 0.5000000005]);
    expect(r.notices.join(' ')).not.toMatch(/summed/);
    const off = parseCsv('x,b\n1,0.5\n2,0.500000002\n');
    expect(off.notices.join(' ')).toMatch(/b summed to 1.000000002/);
  });
});

describe('parseCsv errors (one per kind, exact line and column)', () => {
  /** [name, text, line, column, columnName, message fragment] */
  const corpus: [string, string, number | undefined, number | undefined, string | undefined, RegExp][] = [
    ['too many fields', 'x,b\n1,0.5\n2,0.5,9\n', 3, 3, undefined, /too many fields: 3, but the header has 2/],
    ['too few fields', 'x,y,b\n1,2,0.5\n3,0.5\n', 3, 3, 'b', /too few fields: 2, but the header has 3/],
    ['non-numeric value', 'x,b\n1,0.5\nabc,0.5\n', 3, 1, 'x', /^not a number: "abc"$/],
    ['hex is not accepted', 'x,b\n0x1F,0.5\n', 2, 1, 'x', /not a number: "0x1F"/],
    ['decimal comma', 'x;b\n1,5;0,5\n', 2, 1, 'x', /not a number: "1,5"/],
    ['empty value', 'x,b\n1,\n', 2, 2, 'b', /empty value/],
    ['NaN', 'x,b\n1,0.5\nNaN,0.5\n', 3, 1, 'x', /not a finite number: "NaN"/],
    ['Infinity in b', 'x,b\n1,-Infinity\n', 2, 2, 'b', /not a finite number: "-Infinity"/],
    ['overflow', 'x,y,b\n1,1e999,1\n', 2, 2, 'y', /not a finite number: "1e999"/],
    ['missing b', 'x,y\n1,2\n', 1, undefined, undefined, /no "b" column/],
    [
      'no feature columns',
      'b,w,copyright\n0.5,0,1\n0.5,0,0\n',
      1,
      undefined,
      undefined,
      /no feature columns/,
    ],
    ['duplicate column', 'x,b,X\n1,1,2\n', 1, 3, 'X', /duplicate column name \(same as column 1\)/],
    ['empty column name', 'x,,b\n1,2,1\n', 1, 2, undefined, /empty column name/],
    ['negative b', 'x,b\n1,0.5\n2,-0.5\n', 3, 2, 'b', /b must be non-negative, got -0.5/],
    ['b sums to 0', 'x,b\n1,0\n2,0\n', undefined, 2, 'b', /b sums to 0/],
    ['bad tag', 'x,b,copyright\n1,0.5,1\n2,0.5,maybe\n', 3, 3, 'copyright', /bad copyright tag "maybe"/],
    ['empty tag', 'x,b,copyright\n1,0.5,\n', 2, 3, 'copyright', /bad copyright tag ""/],
    ['negative w', 'x,w,b\n1,0.1,0.5\n2,-1,0.5\n', 3, 2, 'w', /w must be non-negative, got -1/],
    ['non-finite w', 'x,w,b\n1,inf,0.5\n', 2, 2, 'w', /not a finite number: "inf"/],
    ['no data rows', 'x,b\n', 1, undefined, undefined, /no data rows/],
    ['no data rows, blank lines', 'x,b\n\n\n', 1, undefined, undefined, /no data rows/],
    ['empty file', '', undefined, undefined, undefined, /empty/],
    ['whitespace only', '\n  \r\n\t\n', undefined, undefined, undefined, /empty/],
    ['BOM only', '\uFEFF', undefined, undefined, undefined, /empty/],
    ['NUL bytes', 'x,b\n1,0.5\n\0\0\0', 3, undefined, undefined, /binary file \(it contains NUL bytes\)/],
    ['PNG header', '\u0089PNG\r\n\u001a\n\0\0\0\rIHDR', 3, undefined, undefined, /binary/],
    [
      'control characters',
      'x,b\n1,0.5\n\u0001\u0002\u0003\u0004,1\n',
      3,
      undefined,
      undefined,
      /binary file or a text in another encoding/,
    ],
    ['invalid UTF-8 decoded', 'x,b\n\uFFFD\uFFFD,\uFFFD\n', 2, undefined, undefined, /another encoding/],
    ['unterminated quote', 'x,b\n1,0.5\n"2,0.5\n3,0.5\n', 3, undefined, undefined, /malformed quotes/],
    ['text after closing quote', 'x,b\n1,0.5\n2,"0.5"x\n', 3, undefined, undefined, /malformed quotes/],
  ];

  for (const [name, text, line, column, columnName, fragment] of corpus) {
    it(name, () => {
      const e = failure(text);
      expect(e.line).toBe(line);
      expect(e.column).toBe(column);
      expect(e.columnName).toBe(columnName);
      expect(e.message).toMatch(fragment);
    });
  }

  it('counts blank lines, CRLF and line breaks inside quoted fields in line numbers', () => {
    expect(failure('x,b\n\n1,0.5\n\n\n2,oops\n').line).toBe(6);
    expect(failure('x,b\r\n1,0.5\r\n\r\n2,zz\r\n').line).toBe(4);
    expect(failure('x,b\n"1\n\n",0.5\n2,bad\n').line).toBe(5); // row 2 spans lines 2-4
    expect(failure('\n\nx,b\nq,1\n').line).toBe(4); // blank lines before the header
  });

  it('formats as one line with location', () => {
    expect(formatDataError(failure('x,a,b\n1,2,0.5\n1,2,abc\n'))).toBe(
      'line 3, column 3 ("b"): not a number: "abc"',
    );
    expect(formatDataError(failure('x,b\n1,0\n'))).toBe(
      'column 2 ("b"): b sums to 0; it must be a probability vector',
    );
  });
});

describe('public sample files', () => {
  const read = (name: string): string =>
    readFileSync(fileURLToPath(new URL(`../../public/${name}`, import.meta.url)), 'utf8');

  it('sample-small.csv parses: 40 rows, 4 features, 10 tagged, w present, b already normalised', () => {
    const r = parseCsv(read('sample-small.csv'));
    expect(r.dataset.n).toBe(40);
    expect(r.dataset.d).toBe(4);
    expect(r.mask.reduce((a, v) => a + v, 0)).toBe(10);
    expect(r.featureNames).toEqual(['x1', 'x2', 'x3', 'x4']);
    expect(r.notices).toEqual([]);
  });

  it('sample-malformed.csv fails at line 4, column 2', () => {
    expect(formatDataError(failure(read('sample-malformed.csv')))).toBe(
      'line 4, column 2 ("x2"): not a number: "abc"',
    );
  });
});

describe('parseCsv size limits (DATA_LIMITS), checked before memory is taken', () => {
  const header = (d: number, extra = ',b'): string =>
    Array.from({ length: d }, (_, j) => `x${j + 1}`).join(',') + extra;

  it('refuses a 3 × 20,000-feature file on line 1, before reading its rows', () => {
    // The rows are not numbers: the header alone decides.
    const e = failure(`${header(20_000)}\nnot,numbers\nat,all\nhere,x\n`);
    expect(e.line).toBe(1);
    expect(formatDataError(e)).toBe('line 1: 20,000 features is more than the limit of 1024');
  });

  it('refuses a 2 × 999,999-feature file with the limit (not "Invalid typed array length")', () => {
    const e = failure(`${header(999_999)}\n1,1\n`);
    expect(formatDataError(e)).toBe('line 1: 999,999 features is more than the limit of 1024');
  });

  it('takes exactly DATA_LIMITS.dMax features', () => {
    const row = new Array(1025).fill('1').join(',');
    const r = parseCsv(`${header(1024)}\n${row}\n${row}\n`);
    expect(r.dataset.d).toBe(1024);
    expect(r.dataset.A.length).toBe(2048);
  });

  it('refuses the row past DATA_LIMITS.nMax on its own line', () => {
    const e = failure(`x,b\n${'0,1\n'.repeat(2_000_001)}`);
    expect(formatDataError(e)).toBe('line 2000002: 2,000,001 rows is more than the limit of 2,000,000');
  });

  it('refuses a single data row, naming the minimum', () => {
    expect(formatDataError(failure('x,b\n1,1\n'))).toBe('line 1: 1 row is fewer than the 2 the loss needs');
  });

  it('says a value beyond float64 is too large', () => {
    expect(formatDataError(failure('x,b\n1e400,1\n2,1\n'))).toBe(
      'line 2, column 1 ("x"): not a finite number: "1e400" is too large (overflows float64)',
    );
  });
});

describe('parseCsv messages stay short whatever the input', () => {
  it('a 1,000,000-column header without b gives a message under 500 characters', () => {
    const names = Array.from({ length: 1_000_000 }, (_, j) => `c${j}`).join(',');
    const e = failure(`${names}\n`);
    const message = formatDataError(e);
    expect(message.length).toBeLessThan(500);
    expect(message).toBe(
      'line 1: no "b" column (the header has: "c0", "c1", "c2", "c3", "c4" and 999,995 more)',
    );
  });

  it('clips a megabyte-long column name and value', () => {
    const longName = 'n'.repeat(1_000_000);
    const byName = formatDataError(failure(`${longName},b\nabc,1\n`));
    expect(byName.length).toBeLessThan(500);
    expect(byName).toContain('(1,000,000 characters)');
    const longValue = 'v'.repeat(1_000_000);
    const byValue = formatDataError(failure(`x,b\n${longValue},1\n`));
    expect(byValue.length).toBeLessThan(500);
    expect(byValue).toMatch(/^line 2, column 1 \("x"\): not a number: "v{60}… \(1,000,000 characters\)"$/);
    const byTag = formatDataError(failure(`x,b,copyright\n1,1,${longValue}\n`));
    expect(byTag.length).toBeLessThan(500);
  });
});

describe('parseCsv and UTF-16', () => {
  const utf8Text = 'x,b\n1,0.5\n2,0.5\n';
  /** What reading a UTF-16 file as UTF-8 gives (the CLI reads files as UTF-8). */
  const asUtf8 = (bytes: Uint8Array): string => new TextDecoder('utf-8').decode(bytes);
  const le = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf16le'));
  const be = (s: string): Uint8Array => {
    const bytes = le(s);
    for (let k = 0; k + 1 < bytes.length; k += 2) [bytes[k], bytes[k + 1]] = [bytes[k + 1], bytes[k]];
    return bytes;
  };
  const UTF16 = 'the file looks like UTF-16; save it as UTF-8';

  it('says "looks like UTF-16", not "binary", for UTF-16 LE and BE read as UTF-8, with or without a BOM', () => {
    for (const bytes of [le(`\uFEFF${utf8Text}`), be(`\uFEFF${utf8Text}`), le(utf8Text), be(utf8Text)]) {
      const e = failure(asUtf8(bytes));
      expect(formatDataError(e)).toBe(UTF16);
    }
  });

  it('still calls NUL-laden binary data binary', () => {
    expect(failure('x,b\n1,0.5\n\0\0\0').message).toMatch(/binary/);
    // A JPEG starts FF D8 FF: three U+FFFD as UTF-8, not the two of a UTF-16 byte order mark.
    const jpeg = asUtf8(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]));
    expect(failure(jpeg).message).toMatch(/binary/);
  });
});

describe('parseCsv progress', () => {
  it('reports increasing fractions up to 1, at most once per 1 % of the text', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},1`).join('\n');
    const seen: number[] = [];
    const r = parseCsv(`x,b\n${rows}\n`, { onProgress: (f) => seen.push(f) });
    expect(r.dataset.n).toBe(5000);
    expect(seen.length).toBeGreaterThan(50);
    expect(seen.length).toBeLessThanOrEqual(PROGRESS_STEPS + 1);
    for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThanOrEqual(seen[k - 1]);
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[seen.length - 1]).toBe(1);
  });
});
