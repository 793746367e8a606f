import { describe, expect, it } from 'vitest';
import { thin } from './charts';

describe('thin', () => {
  it('keeps short histories whole and long ones under the cap with the last point', () => {
    const short = Array.from({ length: 10 }, (_, i) => i);
    expect(thin(short)).toBe(short);
    const long = Array.from({ length: 10_001 }, (_, i) => i);
    const out = thin(long);
    expect(out.length).toBeLessThanOrEqual(1501);
    expect(out[0]).toBe(0);
    expect(out[out.length - 1]).toBe(10_000);
  });
});
