import { describe, expect, it } from 'vitest';
import { DataError } from './errors';
import { createRng } from './prng';
import { applyTagRule, countTagged, decodeMaskBitset, encodeMaskBitset } from './tagging';

const bits = (s: string): Uint8Array => Uint8Array.from(s, (c) => Number(c));

describe('applyTagRule: random', () => {
  it('tags exactly round(fraction·n) rows', () => {
    expect(countTagged(applyTagRule({ kind: 'random', fraction: 0.3, seed: 1 }, 10))).toBe(3);
    expect(countTagged(applyTagRule({ kind: 'random', fraction: 0.25, seed: 1 }, 1000))).toBe(250);
    expect(countTagged(applyTagRule({ kind: 'random', fraction: 0.5, seed: 1 }, 7))).toBe(4); // round(3.5)
    expect(countTagged(applyTagRule({ kind: 'random', fraction: 0, seed: 1 }, 10))).toBe(0);
    expect(countTagged(applyTagRule({ kind: 'random', fraction: 1, seed: 1 }, 10))).toBe(10);
  });

  it('keeps at least one tagged and one free row when 0 < fraction < 1', () => {
    expect(countTagged(applyTagRule({ kind: 'random', fraction: 0.01, seed: 3 }, 10))).toBe(1); // round(0.1) = 0 → 1
    expect(countTagged(applyTagRule({ kind: 'random', fraction: 0.99, seed: 3 }, 10))).toBe(9); // round(9.9) = 10 → 9
    expect(countTagged(applyTagRule({ kind: 'random', fraction: 0.4, seed: 3 }, 2))).toBe(1);
  });

  it('is deterministic in the seed and differs between seeds', () => {
    const a = applyTagRule({ kind: 'random', fraction: 0.2, seed: 5 }, 200);
    expect(applyTagRule({ kind: 'random', fraction: 0.2, seed: 5 }, 200)).toEqual(a);
    expect(applyTagRule({ kind: 'random', fraction: 0.2, seed: 6 }, 200)).not.toEqual(a);
  });

  it('nests: for one seed, a smaller fraction tags a subset of a larger one', () => {
    const small = applyTagRule({ kind: 'random', fraction: 0.1, seed: 8 }, 300);
    const large = applyTagRule({ kind: 'random', fraction: 0.6, seed: 8 }, 300);
    for (let i = 0; i < 300; i++) if (small[i]) expect(large[i]).toBe(1);
  });

  it('tags every row equally often across seeds', () => {
    const n = 5;
    const N = 5000;
    const hits = new Array<number>(n).fill(0);
    for (let seed = 0; seed < N; seed++) {
      const m = applyTagRule({ kind: 'random', fraction: 0.2, seed }, n); // one row each time
      for (let i = 0; i < n; i++) hits[i] += m[i];
    }
    for (const h of hits) expect(Math.abs(h - N / n)).toBeLessThan(5 * Math.sqrt((N / n) * (1 - 1 / n)));
  });

  it('rejects a fraction outside [0, 1] and a bad seed', () => {
    expect(() => applyTagRule({ kind: 'random', fraction: 1.5, seed: 1 }, 10)).toThrow(DataError);
    expect(() => applyTagRule({ kind: 'random', fraction: -0.1, seed: 1 }, 10)).toThrow(/fraction/);
    expect(() => applyTagRule({ kind: 'random', fraction: NaN, seed: 1 }, 10)).toThrow(/fraction/);
    expect(() => applyTagRule({ kind: 'random', fraction: 0.5, seed: -1 }, 10)).toThrow(/seed/);
  });
});

describe('applyTagRule: first, cluster, rows', () => {
  it('first k tags the leading block, clamped to n', () => {
    expect(applyTagRule({ kind: 'first', k: 3 }, 5)).toEqual(bits('11100'));
    expect(applyTagRule({ kind: 'first', k: 0 }, 5)).toEqual(bits('00000'));
    expect(applyTagRule({ kind: 'first', k: 9 }, 5)).toEqual(bits('11111'));
    expect(() => applyTagRule({ kind: 'first', k: -1 }, 5)).toThrow(DataError);
    expect(() => applyTagRule({ kind: 'first', k: 1.5 }, 5)).toThrow(DataError);
  });

  it('cluster tags the rows of the listed clusters', () => {
    const ids = Int32Array.from([0, 1, 2, 0, 1, 3]);
    expect(applyTagRule({ kind: 'cluster', clusters: [0, 2] }, 6, ids)).toEqual(bits('101100'));
    expect(applyTagRule({ kind: 'cluster', clusters: [] }, 6, ids)).toEqual(bits('000000'));
    expect(() => applyTagRule({ kind: 'cluster', clusters: [0] }, 6)).toThrow(/cluster ids/);
    expect(() => applyTagRule({ kind: 'cluster', clusters: [0] }, 5, ids)).toThrow(
      /6 cluster ids for 5 rows/,
    );
  });

  it('rows tags exactly the listed rows and rejects indices out of range', () => {
    expect(applyTagRule({ kind: 'rows', rows: [4, 0, 4] }, 5)).toEqual(bits('10001'));
    expect(() => applyTagRule({ kind: 'rows', rows: [5] }, 5)).toThrow(/row 5/);
    expect(() => applyTagRule({ kind: 'rows', rows: [-1] }, 5)).toThrow(DataError);
    expect(() => applyTagRule({ kind: 'rows', rows: [0.5] }, 5)).toThrow(DataError);
  });

  it('countTagged counts non-zero entries', () => {
    expect(countTagged(bits('0110101'))).toBe(4);
    expect(countTagged(new Uint8Array(0))).toBe(0);
    expect(countTagged(Uint8Array.from([0, 2, 255]))).toBe(2);
  });
});

describe('mask bitset codec', () => {
  it('encodes LSB-first bytes as unpadded base64url (hand-computed examples)', () => {
    expect(encodeMaskBitset(new Uint8Array(0))).toBe('');
    // bits 0 and 8 → bytes 0x01 0x01 → 000000|010000|0001(00) → A Q E
    expect(encodeMaskBitset(bits('100000001'))).toBe('AQE');
    // eight ones → 0xFF → 111111|11(0000) → _ w
    expect(encodeMaskBitset(bits('11111111'))).toBe('_w');
    // row 1 only → 0x02 → 000000|10(0000) → A g
    expect(encodeMaskBitset(bits('01'))).toBe('Ag');
    // 24 rows, rows 0..7 and 16..23 → FF 00 FF → 111111|110000|000011|111111 → _ w D _
    expect(encodeMaskBitset(bits('111111110000000011111111'))).toBe('_wD_');
  });

  it('decodes the same examples', () => {
    expect(decodeMaskBitset('AQE', 9)).toEqual(bits('100000001'));
    expect(decodeMaskBitset('_w', 8)).toEqual(bits('11111111'));
    expect(decodeMaskBitset('', 0)).toEqual(new Uint8Array(0));
  });

  it('round-trips random masks for every n from 0 to 70 (n not a multiple of 8 included)', () => {
    const rng = createRng(31);
    for (let n = 0; n <= 70; n++) {
      for (let rep = 0; rep < 5; rep++) {
        const mask = Uint8Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
        const s = encodeMaskBitset(mask);
        expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(s.length).toBe(Math.ceil((Math.ceil(n / 8) * 8) / 6));
        expect(decodeMaskBitset(s, n)).toEqual(mask);
      }
    }
  });

  it('rejects malformed strings with a DataError', () => {
    expect(() => decodeMaskBitset('AQ', 9)).toThrow(/2 characters; 3 expected for 9 rows/);
    expect(() => decodeMaskBitset('AQEA', 9)).toThrow(DataError);
    expect(() => decodeMaskBitset('A+E', 9)).toThrow(/"\+" at position 2 is not base64url/);
    expect(() => decodeMaskBitset('_w=', 8)).toThrow(DataError);
    expect(() => decodeMaskBitset('Aé', 8)).toThrow(/not base64url/);
    // 'x' = 49 = 110001: its low 4 bits fall beyond the single byte and must be zero.
    expect(() => decodeMaskBitset('_x', 8)).toThrow(/padding bits/);
    // 'AQI' → bytes 01 02: bit 9 is set, but only rows 0..8 exist.
    expect(() => decodeMaskBitset('AQI', 9)).toThrow(/beyond row 9/);
    expect(() => decodeMaskBitset('', -1)).toThrow(DataError);
  });
});
