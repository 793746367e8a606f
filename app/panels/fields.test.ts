import { describe, expect, it } from 'vitest';
import { parseNumberDraft } from './fields';

describe('number fields read the one number grammar', () => {
  it('accepts decimals and exponents within the range', () => {
    expect(parseNumberDraft(' 0.25 ', {})).toEqual({ ok: true, value: 0.25 });
    expect(parseNumberDraft('1e-3', { min: 0, max: 1 })).toEqual({ ok: true, value: 0.001 });
    expect(parseNumberDraft('32', { min: 1, max: 256, integer: true })).toEqual({ ok: true, value: 32 });
  });

  it('refuses hex, separators and non-finite spellings that Number() would take', () => {
    expect(Number('0x20')).toBe(32); // what the field used to commit
    expect(parseNumberDraft('0x20', { min: 1, max: 256, integer: true })).toEqual({
      ok: false,
      error: 'Enter a decimal number, such as 0.25 or 1e-3.',
    });
    expect(parseNumberDraft('1_000', {}).ok).toBe(false);
    expect(parseNumberDraft('1.5.', {}).ok).toBe(false);
    expect(parseNumberDraft('Infinity', {})).toEqual({ ok: false, error: 'Enter a finite number.' });
    expect(parseNumberDraft('1e400', {})).toEqual({ ok: false, error: 'That number is too large.' });
    expect(parseNumberDraft('  ', {})).toEqual({ ok: false, error: 'Enter a number.' });
  });

  it('still checks whole numbers and the range', () => {
    expect(parseNumberDraft('2.5', { integer: true })).toEqual({ ok: false, error: 'Enter a whole number.' });
    expect(parseNumberDraft('300', { min: 1, max: 256 })).toEqual({
      ok: false,
      error: 'Enter a value from 1 to 256.',
    });
  });
});
