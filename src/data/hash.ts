/**
 * SHA-256 for run manifests: "this run used exactly this data". Uses the Web Crypto API
 * (`crypto.subtle`), available in browsers (secure contexts, which includes localhost) and Node ≥ 20.
 */
import type { Dataset } from '../math/types';

/**
 * Lower-case hex SHA-256 of the bytes, or of a string's UTF-8 encoding.
 */
export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  // Copy into a plain ArrayBuffer-backed array: digest() does not take SharedArrayBuffer views.
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(data));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * SHA-256 of a data set's numbers, independent of how it was loaded (CSV dialect, JSON, generator).
 * Bytes hashed: the ASCII tag `crdata1`, then n and d as little-endian uint32, then A (row-major),
 * b and w as little-endian float64. Tags and γc are not included: they are part of the config.
 */
export async function datasetHash(dataset: Dataset): Promise<string> {
  const { n, d, A, b, w } = dataset;
  const tag = new TextEncoder().encode('crdata1');
  const bytes = new Uint8Array(tag.length + 8 + 8 * (n * d + 2 * n));
  bytes.set(tag, 0);
  const view = new DataView(bytes.buffer);
  let off = tag.length;
  view.setUint32(off, n, true);
  view.setUint32(off + 4, d, true);
  off += 8;
  for (const arr of [A.subarray(0, n * d), b.subarray(0, n), w.subarray(0, n)]) {
    for (let k = 0; k < arr.length; k++, off += 8) view.setFloat64(off, arr[k], true);
  }
  return sha256Hex(bytes);
}
