import { describe, expect, it } from 'vitest';
import { createRng, deterministicLog } from './prng';

/**
 * An independent BigInt model of the documented algorithm (murmur3-fmix32 seeding of sfc32, 12
 * warm-up outputs), so the fast Math.imul implementation is checked against the specification
 * rather than against itself.
 */
function referenceStream(seed: bigint, stream: bigint, count: number): number[] {
  const M = (1n << 32n) - 1n;
  const fmix = (h: bigint): bigint => {
    h ^= h >> 16n;
    h = (h * 0x85ebca6bn) & M;
    h ^= h >> 13n;
    h = (h * 0xc2b2ae35n) & M;
    h ^= h >> 16n;
    return h;
  };
  let a = fmix((seed & M) ^ 0x9e3779b9n);
  let b = fmix((seed >> 32n) ^ 0x7f4a7c15n);
  let c = fmix(stream ^ 0x6a09e667n);
  let d = 1n;
  const step = (): bigint => {
    const t = (a + b + d) & M;
    d = (d + 1n) & M;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & M;
    c = ((c << 21n) | (c >> 11n)) & M;
    c = (c + t) & M;
    return t;
  };
  for (let i = 0; i < 12; i++) step();
  return Array.from({ length: count }, () => Number(step()));
}

describe('createRng', () => {
  it('matches an independent BigInt model of seeded sfc32, for small and large seeds and streams', () => {
    const cases: [number, number][] = [
      [0, 0],
      [1, 0],
      [42, 7],
      [2 ** 32, 0],
      [Number.MAX_SAFE_INTEGER, 0],
      [Number.MAX_SAFE_INTEGER, 2 ** 32 - 1],
    ];
    for (const [seed, stream] of cases) {
      const rng = createRng(seed, stream);
      const got = Array.from({ length: 50 }, () => rng.nextUint32());
      expect(got).toEqual(referenceStream(BigInt(seed), BigInt(stream), 50));
    }
  });

  it('builds next() from 27 + 26 bits of two consecutive 32-bit outputs', () => {
    const ref = referenceStream(5n, 0n, 20);
    const rng = createRng(5);
    for (let k = 0; k < 20; k += 2) {
      const expected = (Math.floor(ref[k] / 32) * 2 ** 26 + Math.floor(ref[k + 1] / 64)) / 2 ** 53;
      expect(rng.next()).toBe(expected);
    }
  });

  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    const draw = (seed: number, stream = 0): number[] => {
      const r = createRng(seed, stream);
      return Array.from({ length: 8 }, () => r.next());
    };
    expect(draw(123)).toEqual(draw(123));
    const seeds = [0, 1, 2, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 2 ** 32];
    const firsts = new Set(seeds.map((s) => draw(s).join(',')));
    expect(firsts.size).toBe(seeds.length); // large seeds do not collapse onto small ones
    expect(draw(9, 1)).not.toEqual(draw(9, 2));
  });

  it('rejects seeds that are negative, fractional or beyond 2^53 - 1', () => {
    for (const bad of [-1, 1.5, 2 ** 53, NaN, Infinity]) expect(() => createRng(bad)).toThrow(RangeError);
    expect(() => createRng(1, -1)).toThrow(RangeError);
    expect(() => createRng(1, 2 ** 32)).toThrow(RangeError);
  });

  it('next() is uniform on [0, 1): range, mean 1/2, variance 1/12', () => {
    const rng = createRng(2024);
    const N = 100_000;
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let i = 0; i < N; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / N;
    const variance = sumSq / N - mean * mean;
    // Standard error of the mean is sqrt(1/12/N) ≈ 9.1e-4; allow 5 standard errors.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    // Var(u²) for U(0,1) is 4/45; the variance estimate's standard error is about sqrt(1/180/N).
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / N));
  });

  it('normal() has mean 0, variance 1, kurtosis 3 and 68.27% within one sigma over 1e5 draws', () => {
    const rng = createRng(77);
    const N = 100_000;
    let s1 = 0;
    let s2 = 0;
    let s4 = 0;
    let within = 0;
    let nonFinite = 0;
    for (let i = 0; i < N; i++) {
      const z = rng.normal();
      if (!Number.isFinite(z)) nonFinite++;
      s1 += z;
      s2 += z * z;
      s4 += z ** 4;
      if (Math.abs(z) < 1) within++;
    }
    expect(nonFinite).toBe(0);
    const mean = s1 / N;
    const variance = s2 / N - mean * mean;
    // Bounds are 5 standard errors: sd(mean) = 1/√N, sd(s2/N) = √(2/N), sd(s4/N) = √(96/N).
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(s4 / N - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
    const p = 0.682689492; // P(|Z| < 1)
    expect(Math.abs(within / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
  });

  it('uniform(a, b) stays in [a, b)', () => {
    const rng = createRng(3);
    for (let i = 0; i < 10_000; i++) {
      const v = rng.uniform(0.5, 1.5);
      expect(v >= 0.5 && v < 1.5).toBe(true);
    }
  });

  it('int(n) covers 0..n-1 uniformly (chi-square) and rejects bad n', () => {
    const rng = createRng(11);
    const n = 10;
    const N = 100_000;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < N; i++) counts[rng.int(n)]++;
    expect(counts.reduce((x, y) => x + y, 0)).toBe(N); // every draw landed in 0..n-1
    const expected = N / n;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(33.7); // χ²(9) at p = 1e-4
    expect(rng.int(1)).toBe(0);
    const big = rng.int(2 ** 40);
    expect(Number.isInteger(big) && big >= 0 && big < 2 ** 40).toBe(true);
    for (const bad of [0, -3, 2.5, NaN]) expect(() => rng.int(bad)).toThrow(RangeError);
  });

  it('shuffle returns a permutation, uniformly distributed over the 6 orders of 3 items', () => {
    const rng = createRng(5);
    const arr = Int32Array.from({ length: 100 }, (_, i) => i);
    rng.shuffle(arr);
    expect([...arr].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const counts = new Map<string, number>();
    const N = 60_000;
    for (let t = 0; t < N; t++) {
      const key = rng.shuffle(['a', 'b', 'c']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values())
      expect(Math.abs(c - N / 6)).toBeLessThan(5 * Math.sqrt((N / 6) * (5 / 6)));
  });
});

describe('deterministicLog', () => {
  it('agrees with Math.log to within 4 ulp from subnormals to the largest double', () => {
    const rng = createRng(8);
    const xs = [
      5e-324,
      2.2250738585072014e-308,
      1e-300,
      0.5,
      0.7071067811865476,
      1 - 2 ** -53,
      1.4142135623730951,
    ];
    xs.push(1.4142135623730954, 2, 3, 10, 1e300, Number.MAX_VALUE);
    for (let i = 0; i < 20_000; i++)
      xs.push(Math.exp((rng.next() - 0.5) * 1400), rng.next(), 0.5 + rng.next());
    let worstUlps = 0;
    for (const x of xs) {
      const want = Math.log(x);
      const ulp = Math.max(Math.abs(want) * 2 ** -52, 2 ** -1074);
      worstUlps = Math.max(worstUlps, Math.abs(deterministicLog(x) - want) / ulp);
    }
    expect(worstUlps).toBeLessThanOrEqual(4);
  });

  it('is exact where the answer is representable', () => {
    expect(deterministicLog(1)).toBe(0);
    expect(deterministicLog(2)).toBe(Math.LN2);
    expect(deterministicLog(0)).toBe(-Infinity);
    expect(deterministicLog(Infinity)).toBe(Infinity);
    expect(deterministicLog(-1)).toBeNaN();
    expect(deterministicLog(NaN)).toBeNaN();
  });
});
