/**
 * Copyright tags. The mask (a Uint8Array of 0/1, one entry per row) is the source of truth; rules
 * are only ways to fill it, and the bitset codec is how a hand-edited mask travels in a link.
 */
import { DataError } from './errors';
import { createRng } from './prng';

/**
 * A way to choose the copyrighted rows.
 * - `random`: a seeded random subset of exactly round(fraction·n) rows (see {@link applyTagRule}).
 * - `first`: rows 0 … k − 1 (the paper's leading block A1).
 * - `cluster`: every row whose cluster id is listed (needs the generator's cluster ids).
 * - `rows`: exactly the listed 0-based row indices.
 */
export type TagRule =
  | { kind: 'random'; fraction: number; seed: number }
  | { kind: 'first'; k: number }
  | { kind: 'cluster'; clusters: number[] }
  | { kind: 'rows'; rows: number[] };

/**
 * Builds the mask a rule describes over n rows.
 *
 * - `random`: k = Math.round(fraction·n) rows, where 0 < fraction < 1 is clamped to give
 *   1 ≤ k ≤ n − 1 (so both ℓ1/n1 and ℓ2/n2, hence τ, are defined whenever n ≥ 2); fraction 0 gives
 *   no rows and 1 all rows. The rows are the first k of a seeded Fisher–Yates shuffle of 0 … n − 1,
 *   so the choice is reproducible and, for a fixed seed, a smaller fraction tags a subset of the
 *   rows a larger one tags.
 * - `first`: rows 0 … min(k, n) − 1.
 * - `cluster`: rows i with clusters[i] in the list.
 * - `rows`: the listed rows (duplicates are harmless).
 *
 * @throws DataError on a fraction outside [0, 1], a negative or non-integer k, a bad seed, a row
 *   index out of [0, n), or a cluster rule without cluster ids (or with a length other than n).
 */
export function applyTagRule(rule: TagRule, n: number, clusters?: Int32Array): Uint8Array {
  if (!Number.isInteger(n) || n < 0) throw new DataError(`n must be a non-negative integer, got ${n}`);
  const mask = new Uint8Array(n);
  switch (rule.kind) {
    case 'random': {
      const { fraction, seed } = rule;
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new DataError(`random tagging: fraction must be in [0, 1], got ${fraction}`);
      }
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw new DataError(`random tagging: seed must be an integer in [0, 2^53 - 1], got ${seed}`);
      }
      let k = Math.round(fraction * n);
      if (fraction > 0 && fraction < 1 && n >= 2) k = Math.min(Math.max(k, 1), n - 1);
      // Partial Fisher–Yates: after step i, order[0..i] is a uniform random i+1-subset, in order.
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      const rng = createRng(seed);
      for (let i = 0; i < k; i++) {
        const j = i + rng.int(n - i);
        const tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
        mask[order[i]] = 1;
      }
      return mask;
    }
    case 'first': {
      if (!Number.isInteger(rule.k) || rule.k < 0) {
        throw new DataError(`first-k tagging: k must be a non-negative integer, got ${rule.k}`);
      }
      mask.fill(1, 0, Math.min(rule.k, n));
      return mask;
    }
    case 'cluster': {
      if (!clusters)
        throw new DataError('cluster tagging needs cluster ids (only generated cluster data has them)');
      if (clusters.length !== n) {
        throw new DataError(`cluster tagging: ${clusters.length} cluster ids for ${n} rows`);
      }
      const wanted = new Set(rule.clusters);
      for (let i = 0; i < n; i++) if (wanted.has(clusters[i])) mask[i] = 1;
      return mask;
    }
    case 'rows': {
      for (let t = 0; t < rule.rows.length; t++) {
        const r = rule.rows[t];
        if (!Number.isInteger(r) || r < 0 || r >= n) {
          throw new DataError(`rows tagging: row ${r} (entry ${t}) is not an index in [0, ${n - 1}]`);
        }
        mask[r] = 1;
      }
      return mask;
    }
  }
}

/** Number of tagged rows (n1): entries that are not 0. */
export function countTagged(mask: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) count++;
  return count;
}

/** The base64url alphabet (RFC 4648 §5): URL- and filename-safe, no padding needed. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Packs a mask into a compact URL-safe string: bit i of the mask is bit (i mod 8) of byte ⌊i/8⌋
 * (least significant bit first), the ⌈n/8⌉ bytes are base64url-encoded without padding. Size:
 * ⌈⌈n/8⌉·4/3⌉ characters, e.g. 1 000 rows → 168 characters. Any non-zero entry counts as tagged.
 * n is not stored: the decoder is told it (it is the data set's row count).
 */
export function encodeMaskBitset(mask: Uint8Array): string {
  const bytes = new Uint8Array(Math.ceil(mask.length / 8));
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) bytes[i >> 3] |= 1 << (i & 7);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const triple = (b0 << 16) | (b1 << 8) | b2;
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6)); // 1 byte → 2, 2 → 3, 3 → 4
    for (let c = 0; c < chars; c++) out += ALPHABET[(triple >> (18 - 6 * c)) & 63];
  }
  return out;
}

/**
 * Inverse of {@link encodeMaskBitset} for a data set of n rows.
 *
 * Strict, so that a corrupted link fails loudly instead of tagging the wrong rows: the string must
 * have exactly the length the encoder produces for n, use only base64url characters, and have zero
 * padding bits (both the base64 tail bits and the mask bits beyond row n).
 *
 * @throws DataError on any of these.
 */
export function decodeMaskBitset(s: string, n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0) throw new DataError(`n must be a non-negative integer, got ${n}`);
  const byteCount = Math.ceil(n / 8);
  const expectedLength = Math.ceil((byteCount * 8) / 6);
  if (s.length !== expectedLength) {
    throw new DataError(
      `tag bitset has ${s.length} characters; ${expectedLength} expected for ${n} rows (is it from another data set?)`,
    );
  }
  const bytes = new Uint8Array(byteCount);
  let acc = 0; // bit accumulator, at most 6 + 7 bits wide
  let bits = 0;
  let out = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const v = code < 128 ? DECODE[code] : -1;
    if (v < 0) {
      throw new DataError(
        `tag bitset: character ${JSON.stringify(s[i])} at position ${i + 1} is not base64url`,
      );
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) throw new DataError('tag bitset: non-zero padding bits in the last character');
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = (bytes[i >> 3] >> (i & 7)) & 1;
  if (n % 8 !== 0 && bytes[byteCount - 1] >> (n % 8) !== 0) {
    throw new DataError(`tag bitset: bits set beyond row ${n}`);
  }
  return mask;
}
