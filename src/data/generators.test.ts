import { describe, expect, it } from 'vitest';
import { DataError } from './errors';
import {
  DEFAULT_CLUSTERS_GENERATOR,
  DEFAULT_GENERATOR,
  MAX_GENERATED_CELLS,
  generate,
  validateGeneratorSpec,
  type GeneratorSpec,
} from './generators';
import { DATA_LIMITS, dataShapeProblem } from './limits';

const small: GeneratorSpec = { ...DEFAULT_GENERATOR, n: 60, d: 5, seed: 9 };

describe('generate (gaussian)', () => {
  it('is deterministic: the same spec gives bit-identical arrays', () => {
    const a = generate(small);
    const b = generate({ ...small });
    expect(b.dataset.A).toEqual(a.dataset.A);
    expect(b.dataset.b).toEqual(a.dataset.b);
    expect(b.dataset.w).toEqual(a.dataset.w);
    expect(b.xTrue).toEqual(a.xTrue);
  });

  it('gives different data for a different seed, including seeds that differ only above bit 32', () => {
    const a = generate(small);
    const b = generate({ ...small, seed: 10 });
    expect(b.dataset.A).not.toEqual(a.dataset.A);
    expect(b.dataset.b).not.toEqual(a.dataset.b);
    const hi1 = generate({ ...small, seed: 2 ** 40 + 9 });
    expect(hi1.dataset.A).not.toEqual(a.dataset.A);
  });

  it('has the documented shapes, feature names and no cluster ids', () => {
    const g = generate(small);
    expect(g.dataset.n).toBe(60);
    expect(g.dataset.d).toBe(5);
    expect(g.dataset.A.length).toBe(300);
    expect(g.dataset.b.length).toBe(60);
    expect(g.dataset.w.length).toBe(60);
    expect(g.xTrue.length).toBe(5);
    expect(g.featureNames).toEqual(['x1', 'x2', 'x3', 'x4', 'x5']);
    expect(g.clusters).toBeUndefined();
  });

  it('makes b a positive probability vector', () => {
    for (const seed of [0, 1, 2, 3]) {
      const { b } = generate({ ...DEFAULT_GENERATOR, n: 500, d: 20, seed }).dataset;
      let sum = 0;
      for (const v of b) {
        expect(v).toBeGreaterThan(0);
        sum += v;
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
    }
  });

  it('makes b = softmax(A·x_true) exactly in log-ratios when noise = 0', () => {
    const g = generate({ ...small, noise: 0 });
    const { A, b, d, n } = g.dataset;
    const logit = (i: number): number => {
      let u = 0;
      for (let j = 0; j < d; j++) u += A[i * d + j] * g.xTrue[j];
      return u;
    };
    for (let i = 1; i < n; i++) {
      expect(Math.log(b[i] / b[0])).toBeCloseTo(logit(i) - logit(0), 9);
    }
  });

  it('gives uniform b = 1/n when xScale = 0 and noise = 0', () => {
    const g = generate({ ...small, xScale: 0, noise: 0 });
    for (const v of g.dataset.b) expect(v).toBe(1 / 60);
    for (const v of g.xTrue) expect(v).toBe(0);
  });

  it('draws w in [0.5, 1.5)·reg/n and A, x_true with the stated moments', () => {
    const g = generate({ ...DEFAULT_GENERATOR, n: 20_000, d: 5, reg: 2, xScale: 0.7, seed: 4 });
    // w_i = 2·u_i/20,000 with u_i in [0.5, 1.5): in [5e-5, 1.5e-4).
    for (const v of g.dataset.w) expect(v >= 5e-5 && v < 1.5e-4).toBe(true);
    const { A } = g.dataset;
    let s1 = 0;
    let s2 = 0;
    for (const v of A) {
      s1 += v;
      s2 += v * v;
    }
    const N = A.length; // 1e5 draws of N(0, 1)
    expect(Math.abs(s1 / N)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(s2 / N - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    // x_true ~ N(0, 0.49): with d = 1000 its sample variance is within 5·0.49·√(2/1000).
    const x = generate({ ...DEFAULT_GENERATOR, n: 2, d: 1000, xScale: 0.7 }).xTrue;
    const xv = x.reduce((acc, v) => acc + v * v, 0) / x.length;
    expect(Math.abs(xv - 0.49)).toBeLessThan(5 * 0.49 * Math.sqrt(2 / 1000));
  });

  it('keeps x_true and the first rows of A when only n changes (one PRNG stream per ingredient)', () => {
    const a = generate({ ...small, n: 10 });
    const b = generate({ ...small, n: 50 });
    expect(b.xTrue).toEqual(a.xTrue);
    expect(b.dataset.A.subarray(0, 50)).toEqual(a.dataset.A);
    // w_i = ρ·u_i/n: the same draws u_i, scaled by the new n.
    a.dataset.w.forEach((v, i) => expect(b.dataset.w[i] * 50).toBeCloseTo(v * 10, 14));
  });

  it('throws a DataError for a spec that would need clamping', () => {
    expect(() => generate({ ...small, n: 1 })).toThrow(DataError);
    expect(() => generate({ ...small, noise: -1 })).toThrow(/noise/);
  });
});

describe('generate (clusters)', () => {
  const spec: GeneratorSpec = {
    ...DEFAULT_CLUSTERS_GENERATOR,
    n: 103,
    d: 3,
    clusters: 4,
    spread: 0.5,
    seed: 2,
  };

  it('assigns every row a cluster id, in equal shares (sizes differ by at most one)', () => {
    const g = generate(spec);
    expect(g.clusters).toBeDefined();
    const ids = g.clusters!;
    expect(ids.length).toBe(103);
    const sizes = [0, 0, 0, 0];
    for (const c of ids) sizes[c]++;
    expect(sizes.sort()).toEqual([25, 26, 26, 26]); // 103 = 3·26 + 25
    expect(generate(spec).clusters).toEqual(ids);
  });

  it('puts the rows of a cluster around a common centre with the given spread', () => {
    const tight = generate({ ...spec, spread: 0 });
    const ids = tight.clusters!;
    const { A, d } = tight.dataset;
    // spread 0: all rows of a cluster are the centre itself.
    for (let i = 0; i < 103; i++) {
      const first = ids.indexOf(ids[i]);
      for (let j = 0; j < d; j++) expect(A[i * d + j]).toBe(A[first * d + j]);
    }
    // spread 0.5: within-cluster deviations from the centre have variance 0.25.
    const g = generate({ ...spec, n: 4000, spread: 0.5 });
    const centres = generate({ ...spec, n: 4000, spread: 0 }).dataset.A;
    let s2 = 0;
    for (let k = 0; k < g.dataset.A.length; k++) s2 += (g.dataset.A[k] - centres[k]) ** 2;
    const N = g.dataset.A.length;
    expect(Math.abs(s2 / N - 0.25)).toBeLessThan(5 * 0.25 * Math.sqrt(2 / N));
  });

  it('makes a positive b that sums to 1', () => {
    const { b } = generate(spec).dataset;
    expect(Math.abs(b.reduce((x, y) => x + y, 0) - 1)).toBeLessThan(1e-12);
    for (const v of b) expect(v).toBeGreaterThan(0);
  });
});

describe('validateGeneratorSpec', () => {
  it('accepts the defaults without notices', () => {
    expect(validateGeneratorSpec(DEFAULT_GENERATOR)).toEqual({ spec: DEFAULT_GENERATOR, notices: [] });
    expect(validateGeneratorSpec(DEFAULT_CLUSTERS_GENERATOR).notices).toEqual([]);
  });

  it('fills in missing fields from the defaults, with a notice only for a missing kind', () => {
    const r = validateGeneratorSpec({ kind: 'gaussian', n: 50 });
    expect(r.spec).toEqual({ ...DEFAULT_GENERATOR, n: 50 });
    expect(r.notices).toEqual([]);
    const noKind = validateGeneratorSpec({});
    expect(noKind.spec.kind).toBe('gaussian');
    expect(noKind.notices).toHaveLength(1);
  });

  it('clamps each out-of-range value and says so', () => {
    const cases: [Record<string, unknown>, string, number, RegExp][] = [
      [{ n: 5_000_000 }, 'n', 2_000_000, /n: 5000000 is above the maximum 2000000/],
      [{ n: 1 }, 'n', 2, /n: 1 is below the minimum 2/],
      [{ d: 0 }, 'd', 1, /d: 0 is below/],
      [{ d: 4096 }, 'd', 1024, /d: 4096 is above/],
      [{ noise: -0.1 }, 'noise', 0, /noise/],
      [{ xScale: 1e6 }, 'xScale', 10, /xScale/],
      [{ reg: -2 }, 'reg', 0, /reg/],
      [{ seed: -5 }, 'seed', 0, /seed/],
      [{ seed: 2 ** 60 }, 'seed', Number.MAX_SAFE_INTEGER, /seed/],
      [{ seed: 2.6 }, 'seed', 3, /seed: 2.6 is not an integer; using 3/],
      [{ n: 'abc' }, 'n', DEFAULT_GENERATOR.n, /n: "abc" is not a finite number/],
      [{ noise: NaN }, 'noise', 0.3, /noise: NaN/],
    ];
    for (const [patch, field, want, message] of cases) {
      const r = validateGeneratorSpec({ ...DEFAULT_GENERATOR, ...patch });
      expect((r.spec as unknown as Record<string, number>)[field]).toBe(want);
      expect(r.notices).toHaveLength(1);
      expect(r.notices[0]).toMatch(message);
    }
  });

  it('caps n so that n·d fits the cell budget, and clusters to n', () => {
    const r = validateGeneratorSpec({ ...DEFAULT_GENERATOR, n: 2_000_000, d: 1024 });
    expect(r.spec.n).toBe(MAX_GENERATED_CELLS / 1024); // 2^25 / 2^10 = 32768
    expect(r.spec.n).toBe(32768);
    expect(r.notices[0]).toMatch(/exceeds/);
    const c = validateGeneratorSpec({ ...DEFAULT_CLUSTERS_GENERATOR, n: 3, clusters: 10 });
    expect(c.spec.kind === 'clusters' && c.spec.clusters).toBe(3);
    expect(c.notices.join(' ')).toMatch(/clusters: 10 is more than n = 3/);
  });

  it('takes its n, d and n·d limits from DATA_LIMITS, so whatever it makes every reader accepts', () => {
    expect(MAX_GENERATED_CELLS).toBe(DATA_LIMITS.cellsMax);
    const wide = validateGeneratorSpec({ ...DEFAULT_GENERATOR, n: 10, d: 20_000 });
    expect(wide.spec.d).toBe(DATA_LIMITS.dMax);
    expect(wide.notices[0]).toBe('d: 20000 is above the maximum 1024; using 1024');
    const tall = validateGeneratorSpec({ ...DEFAULT_GENERATOR, n: 3_000_000, d: 1 });
    expect(tall.spec.n).toBe(DATA_LIMITS.nMax);
    const tiny = validateGeneratorSpec({ ...DEFAULT_GENERATOR, n: 1, d: 1 });
    expect(tiny.spec.n).toBe(DATA_LIMITS.nMin);
    for (const r of [wide, tall, tiny]) expect(dataShapeProblem(r.spec.n, r.spec.d)).toBeNull();
  });

  it('quotes a huge bad value at most ECHO_CHARS_MAX characters in its notice', () => {
    const huge = 'z'.repeat(1_000_000);
    const r = validateGeneratorSpec({ ...DEFAULT_GENERATOR, kind: huge, noise: huge });
    expect(r.notices).toHaveLength(2);
    for (const notice of r.notices) {
      expect(notice.length).toBeLessThan(200);
      expect(notice).toContain('(1,000,000 characters)');
    }
  });

  it('replaces an unknown kind by gaussian', () => {
    const r = validateGeneratorSpec({ ...DEFAULT_GENERATOR, kind: 'spiral' });
    expect(r.spec.kind).toBe('gaussian');
    expect(r.notices[0]).toMatch(/unknown generator "spiral"/);
  });
});
