import { describe, expect, it } from 'vitest';
import { clipEcho, listSome, listSomeQuoted } from './echo';

describe('bounded echoes', () => {
  it('clipEcho keeps short text and cuts long text, saying how long it was', () => {
    expect(clipEcho('abc')).toBe('abc');
    expect(clipEcho('x'.repeat(60))).toBe('x'.repeat(60));
    expect(clipEcho('x'.repeat(1_000_000))).toBe(`${'x'.repeat(60)}… (1,000,000 characters)`);
  });

  it('listSome and listSomeQuoted name five items and count the rest', () => {
    expect(listSome(['a', 'b'])).toBe('a, b');
    expect(listSome(['1', '2', '3', '4', '5', '6', '7'])).toBe('1, 2, 3, 4, 5 and 2 more');
    const many = Array.from({ length: 1_000_000 }, (_, k) => `c${k}`);
    expect(listSomeQuoted(many)).toBe('"c0", "c1", "c2", "c3", "c4" and 999,995 more');
    expect(listSomeQuoted(['y'.repeat(100)])).toBe(`"${'y'.repeat(60)}… (100 characters)"`);
  });
});
