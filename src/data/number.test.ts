import { describe, expect, it } from 'vitest';
import { parseDecimal } from './number';

describe('parseDecimal, the one number grammar', () => {
  it('reads what people and String(number) write', () => {
    const cases: [string, number][] = [
      ['0', 0],
      ['-0', -0],
      [' 12 ', 12],
      ['+4.', 4],
      ['.25', 0.25],
      ['1e-7', 1e-7],
      ['-2.5E+3', -2500],
      ['5e-324', 5e-324],
      ['1.7976931348623157e308', Number.MAX_VALUE],
    ];
    for (const [text, want] of cases) {
      const r = parseDecimal(text);
      expect(r.ok && Object.is(r.value, want), text).toBe(true);
    }
  });

  it('refuses what Number() takes by accident, saying why', () => {
    const cases: [string, string][] = [
      ['', 'empty'],
      ['  ', 'empty'],
      ['0x20', 'not a number'],
      ['0b101', 'not a number'],
      ['1_000', 'not a number'],
      ['1,5', 'not a number'],
      ['1.5.', 'not a number'],
      ['Infinity', 'not finite'],
      ['-inf', 'not finite'],
      ['NaN', 'not finite'],
      ['1e400', 'too large'],
      ['-1e400', 'too large'],
    ];
    for (const [text, why] of cases) expect(parseDecimal(text), text).toEqual({ ok: false, why });
  });
});

describe('parseDecimal on long input', () => {
  it('reads or refuses a million digits in one linear pass (the old pattern backtracked quadratically)', () => {
    const digits = '7'.repeat(1_000_000);
    expect(parseDecimal(`${digits}x`)).toEqual({ ok: false, why: 'not a number' });
    expect(parseDecimal(`0.${digits}`)).toEqual({ ok: true, value: 0.7777777777777778 });
    expect(parseDecimal(digits)).toEqual({ ok: false, why: 'too large' });
  });
});
