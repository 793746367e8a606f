import { describe, expect, it } from 'vitest';
import { parseValueList } from './grid';

describe('sweep lists read the one number grammar', () => {
  it('refuses hex, separators and non-finite values that Number() would take', () => {
    expect(Number('0x0')).toBe(0); // what the list used to accept as γc = 0
    expect(parseValueList('0.1, 0x0', { min: 0, max: 1 })).toEqual({
      ok: false,
      error: '"0x0" is not a number.',
    });
    expect(parseValueList('1_0', { min: 0, max: 100 })).toEqual({
      ok: false,
      error: '"1_0" is not a number.',
    });
    expect(parseValueList('Infinity', { min: 0, max: 100 })).toEqual({
      ok: false,
      error: '"Infinity" is not a finite number.',
    });
    expect(parseValueList('1e400', { min: 0, max: 100 })).toEqual({
      ok: false,
      error: '"1e400" is too large.',
    });
  });

  it('still reads exponents and leading dots', () => {
    expect(parseValueList('1e-1 .2', { min: 0, max: 1 })).toEqual({ ok: true, values: [0.1, 0.2] });
  });

  it('quotes a huge entry at most ECHO_CHARS_MAX characters', () => {
    const r = parseValueList(`0.1 ${'9'.repeat(100_000)}x`, { min: 0, max: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeLessThan(120);
  });
});
