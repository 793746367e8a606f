/**
 * A seeded, platform-independent pseudo-random number generator.
 *
 * Why not Math.random: runs must be reproducible from a link (the seed is part of the URL state),
 * in Node (CLI, tests) and in every browser, bit for bit.
 *
 * - The core is sfc32 (Chris Doty-Humphrey's "small fast counting" generator, PractRand-clean), run
 *   on 32-bit integers only (`Math.imul`, `| 0`, `>>>`), so its output is identical on every engine.
 * - Seeding: a seed is any integer in [0, 2^53 − 1]. Its low and high 32-bit halves are each passed
 *   through the bijective murmur3 finaliser into two different state words, so distinct seeds give
 *   distinct states (large seeds do not collapse onto small ones, as `seed | 0` would make them).
 *   A third word takes an optional `stream` number, so one seed can feed several independent,
 *   individually reproducible streams (the generators use one stream per ingredient).
 * - {@link Rng.normal} uses the polar form of Box–Muller with a logarithm written here in plain
 *   IEEE-754 arithmetic ({@link deterministicLog}). `Math.log`, `Math.cos` and `Math.sin` are
 *   allowed to differ in the last bit between JavaScript engines; +, −, ×, ÷ and `Math.sqrt` are
 *   not (they are correctly rounded), so normals too are identical everywhere.
 */

/** A stream of pseudo-random numbers. All methods advance the same underlying state. */
export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits (every multiple of 2^−53 equally likely). */
  next(): number;
  /** Uniform 32-bit unsigned integer in [0, 2^32). */
  nextUint32(): number;
  /** Standard normal N(0, 1) draw (polar Box–Muller; draws come in pairs, the second is cached). */
  normal(): number;
  /** Uniform double in [a, b) (or (b, a] when b < a). */
  uniform(a: number, b: number): number;
  /** Uniform integer in {0, …, n − 1}; n a positive integer ≤ 2^53. Unbiased for n ≤ 2^32. */
  int(n: number): number;
  /** Shuffles `items` in place (Fisher–Yates, uniform over permutations) and returns it. */
  shuffle<T extends MutableArrayLike>(items: T): T;
}

/** Anything indexable and writable with a length: plain arrays and typed arrays. */
export interface MutableArrayLike {
  length: number;
  [index: number]: unknown;
}

/** 2^32, as a double. */
const TWO_POW_32 = 4294967296;
/** 2^−53: the spacing of the doubles {@link Rng.next} returns. */
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/**
 * The murmur3 32-bit finaliser: a bijection on 32-bit integers with good avalanche. Because it is a
 * bijection, distinct inputs give distinct state words. Maps 0 to 0, hence the constants XORed in by
 * the caller.
 */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * Creates a generator.
 *
 * @param seed Integer in [0, 2^53 − 1] (`Number.MAX_SAFE_INTEGER`). Throws RangeError otherwise.
 * @param stream Optional integer in [0, 2^32 − 1] selecting an independent stream for the same seed.
 */
export function createRng(seed: number, stream = 0): Rng {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be an integer in [0, 2^53 - 1], got ${seed}`);
  }
  if (!Number.isInteger(stream) || stream < 0 || stream >= TWO_POW_32) {
    throw new RangeError(`stream must be an integer in [0, 2^32 - 1], got ${stream}`);
  }
  const lo = seed >>> 0; // seed mod 2^32, exact for safe integers
  const hi = Math.floor(seed / TWO_POW_32); // < 2^21, exact
  let a = fmix32(lo ^ 0x9e3779b9);
  let b = fmix32(hi ^ 0x7f4a7c15);
  let c = fmix32(stream ^ 0x6a09e667);
  let d = 1; // sfc32's counter; guarantees a period of at least 2^32 from any state

  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm-up recommended for sfc32 so that similar seeds have decorrelated outputs.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => {
    const high27 = nextUint32() >>> 5;
    const low26 = nextUint32() >>> 6;
    return (high27 * 67108864 + low26) * TWO_POW_MINUS_53; // (27 + 26 = 53 bits) / 2^53
  };

  let spare = 0;
  let hasSpare = false;
  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * next() - 1;
      v = 2 * next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * deterministicLog(s)) / s);
    spare = v * m;
    hasSpare = true;
    return u * m;
  };

  const int = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > 9007199254740992) {
      throw new RangeError(`int(n) needs an integer n in [1, 2^53], got ${n}`);
    }
    if (n <= TWO_POW_32) {
      // Rejection sampling: accept only the largest multiple of n below 2^32, so x mod n is uniform.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      for (;;) {
        const x = nextUint32();
        if (x < limit) return x % n;
      }
    }
    return Math.floor(next() * n); // bias ≤ n / 2^53, irrelevant at these sizes
  };

  return {
    next,
    nextUint32,
    normal,
    uniform: (from: number, to: number): number => from + (to - from) * next(),
    int,
    shuffle<T extends MutableArrayLike>(items: T): T {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
  };
}

// ---- A logarithm in plain IEEE arithmetic -------------------------------------------------------

const scratch = new DataView(new ArrayBuffer(8));
/** ln 2 split so that e·LN2_HI is exact for |e| < 2^11 (fdlibm's split). */
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
/** Coefficients 1/(2k+1), k = 1..12, of the atanh series; divisions are correctly rounded. */
const ATANH_COEFFS: readonly number[] = Array.from({ length: 12 }, (_, k) => 1 / (2 * k + 3));

/**
 * Natural logarithm of a positive finite double, using only +, −, ×, ÷ and bit manipulation, so the
 * result is the same on every JavaScript engine. Accuracy: a few ulp (tested against Math.log).
 * Writes x = m·2^e with m in [√½, √2], then ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172,
 * summing the series to s^25 (remainder < 1e-19).
 *
 * @returns NaN for x ≤ 0 or non-finite x (never needed by the callers here, but not garbage).
 */
export function deterministicLog(x: number): number {
  if (!(x > 0) || x === Infinity) return x === 0 ? -Infinity : x === Infinity ? Infinity : NaN;
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: lift subnormals into the normal range
    e = -54;
  }
  scratch.setFloat64(0, x);
  const hi = scratch.getUint32(0);
  e += ((hi >>> 20) & 0x7ff) - 1023;
  scratch.setUint32(0, (hi & 0x800fffff) | 0x3ff00000); // exponent field 0 → m in [1, 2)
  let m = scratch.getFloat64(0);
  if (m > Math.SQRT2) {
    m /= 2; // exact
    e += 1;
  }
  const s = (m - 1) / (m + 1); // m − 1 is exact (Sterbenz)
  const s2 = s * s;
  let poly = 0;
  for (let k = ATANH_COEFFS.length - 1; k >= 0; k--) poly = ATANH_COEFFS[k] + s2 * poly;
  const lnM = 2 * s + 2 * s * s2 * poly;
  return e * LN2_HI + (e * LN2_LO + lnM);
}
