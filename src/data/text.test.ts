import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { decodeDataFile, utf16Problem } from './text';

const csv = 'x,größe,b\n1,2,0.5\n3,4,0.5\n';
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const le = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf16le'));
const be = (s: string): Uint8Array => {
  const bytes = le(s);
  for (let k = 0; k + 1 < bytes.length; k += 2) [bytes[k], bytes[k + 1]] = [bytes[k + 1], bytes[k]];
  return bytes;
};

describe('decodeDataFile', () => {
  it('reads UTF-16 LE and BE by their byte order marks, and the CSV parses as its UTF-8 twin', () => {
    const want = parseCsv(csv);
    for (const [bytes, encoding, notice] of [
      [le(`\uFEFF${csv}`), 'utf-16le', 'read as UTF-16 LE (byte order mark FF FE)'],
      [be(`\uFEFF${csv}`), 'utf-16be', 'read as UTF-16 BE (byte order mark FE FF)'],
    ] as const) {
      expect([...bytes.subarray(0, 2)]).toEqual(encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff]);
      const decoded = decodeDataFile(bytes);
      expect(decoded.encoding).toBe(encoding);
      expect(decoded.text).toBe(csv); // the mark is dropped
      expect(decoded.notices).toEqual([notice]);
      const got = parseCsv(decoded.text);
      expect(got.featureNames).toEqual(['x', 'größe']);
      expect([...got.dataset.A]).toEqual([...want.dataset.A]);
    }
  });

  it('recognises UTF-16 without a byte order mark by its zero bytes', () => {
    expect(decodeDataFile(le(csv))).toMatchObject({ text: csv, encoding: 'utf-16le' });
    expect(decodeDataFile(be(csv))).toMatchObject({ text: csv, encoding: 'utf-16be' });
  });

  it('reads UTF-8 with or without its byte order mark, with no notice', () => {
    expect(decodeDataFile(utf8(csv))).toEqual({ text: csv, encoding: 'utf-8', notices: [] });
    expect(decodeDataFile(utf8(`\uFEFF${csv}`))).toEqual({ text: csv, encoding: 'utf-8', notices: [] });
  });

  it('leaves binary data with scattered zero bytes to the CSV reader (as UTF-8)', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]);
    expect(decodeDataFile(png).encoding).toBe('utf-8');
    expect(() => parseCsv(decodeDataFile(png).text)).toThrow(/binary/);
  });
});

describe('utf16Problem', () => {
  const asUtf8 = (bytes: Uint8Array): string => new TextDecoder('utf-8').decode(bytes);
  it('spots UTF-16 decoded as UTF-8 and nothing else', () => {
    expect(utf16Problem(asUtf8(le(`\uFEFF${csv}`)))).toBe('the file looks like UTF-16; save it as UTF-8');
    expect(utf16Problem(asUtf8(be(csv)))).toBe('the file looks like UTF-16; save it as UTF-8');
    // Non-ASCII UTF-16 has no zero bytes, but the mark still shows as two U+FFFD.
    expect(utf16Problem(asUtf8(le('\uFEFF数据,b\n1,1\n')))).not.toBeNull();
    expect(utf16Problem(csv)).toBeNull();
    expect(utf16Problem('')).toBeNull();
    expect(utf16Problem('\uFFFD\uFFFD\uFFFD\u0010JFIF')).toBeNull(); // a JPEG's start
  });
});
