/**
 * The JSON problem format: one self-contained problem (data and objective), for the CLI, for
 * "download problem" and for tests.
 *
 * ```json
 * { "A": [[1, 0], [0, 1], [1, 1]], "b": [0.2, 0.3, 0.5], "w": [0.1, 0.1, 0.1],
 *   "copyright": [0, 2], "gammaC": 0.1, "reading": "global" }
 * ```
 * - `A`: n×d array of rows (n ≥ 1, d ≥ 1, all rows the same length), finite numbers; n, d and n·d
 *   within DATA_LIMITS (src/data/limits.ts), checked before any array is built.
 * - `b`: n non-negative finite numbers, not all 0. Used exactly as given, even when Σb ≠ 1 (with a
 *   notice): a JSON problem pins down one objective, and an `eval` must match that objective to
 *   the last digit. (CSV uploads, by contrast, are normalised; see csv.ts.)
 * - `w`: optional, n non-negative finite numbers; default all 0.
 * - `copyright`: 0-based indices of the copyrighted rows, each in [0, n), no repeats; may be empty.
 * - `gammaC`: finite, ≥ 0.
 * - `reading`: optional, "global" (default, math.md reading A) or "separate" (reading B).
 * Other top-level fields are ignored with a notice.
 */
import type { Dataset, ObjectiveConfig, Reading } from '../math/types';
import { B_SUM_TOLERANCE, formatNumber } from './csv';
import { clipEcho, listSomeQuoted } from './echo';
import { DataError } from './errors';
import { DATA_LIMITS, featureCountProblem, rowCountProblem } from './limits';
import { parseDecimal } from './number';
import { neumaierSum } from './sum';
import { utf16Problem } from './text';

/** What {@link parseProblemJson} returns. */
export interface ParsedProblemJson {
  /** A, b (exactly as given) and w. */
  dataset: Dataset;
  /** γc, the copyright mask (from the index list) and the reading. */
  config: ObjectiveConfig;
  /** Human-readable notes on what was assumed or changed. */
  notices: string[];
}

const KNOWN_FIELDS = new Set(['A', 'b', 'w', 'copyright', 'gammaC', 'reading']);

/**
 * Parses and validates a problem JSON text.
 *
 * @throws DataError whose message starts with the field path, e.g. `A[3][1] is not a finite number`,
 *   `A[2] has 3 entries but A[0] has 4`, `copyright[1] = 9 is out of range [0, 4]`,
 *   `copyright[3] = 1 repeats copyright[0]`, `gammaC must be ≥ 0`, `reading must be …`; `path` is set
 *   to the same field path; `A[0][1] is too large (overflows float64)` for a 1e400; `A has 3,000,000
 *   rows, …: 3,000,000 rows is more than the limit of 2,000,000` for sizes beyond DATA_LIMITS.
 */
export function parseProblemJson(text: string): ParsedProblemJson {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Characters never outnumber the file's bytes, so a text this long came from a file over the limit.
  if (text.length > DATA_LIMITS.fileBytesMax) {
    throw new DataError(
      `the text has ${text.length.toLocaleString('en-US')} characters, more than the limit of ${DATA_LIMITS.fileBytesMax.toLocaleString('en-US')} (the largest file read)`,
    );
  }
  if (text.trim() === '') throw new DataError('the file is empty');
  const utf16 = utf16Problem(text);
  if (utf16) throw new DataError(utf16);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    // V8 quotes the text around the error; keep the message one short line.
    throw new DataError(`not valid JSON: ${clipEcho(e instanceof Error ? e.message : String(e), 200)}`);
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new DataError('the problem must be a JSON object with fields A, b, copyright and gammaC');
  }
  const obj = root as Record<string, unknown>;
  const notices: string[] = [];
  const unknown = Object.keys(obj).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) {
    notices.push(`ignored unknown field${unknown.length === 1 ? '' : 's'} ${listSomeQuoted(unknown)}`);
  }

  // A
  const rowsRaw = requireArray(obj, 'A');
  const n = rowsRaw.length;
  if (n === 0) throw fieldError('A', 'A has no rows');
  const first = rowsRaw[0];
  if (!Array.isArray(first)) throw fieldError('A[0]', 'A[0] is not an array');
  const d = first.length;
  if (d === 0) throw fieldError('A[0]', 'A[0] is empty: A needs at least one column');
  // The sizes are known from the arrays' lengths: refuse before building n·d numbers.
  const tooBig = featureCountProblem(d) ?? rowCountProblem(n, d);
  if (tooBig) {
    throw fieldError(
      'A',
      `A has ${n.toLocaleString('en-US')} rows of ${d.toLocaleString('en-US')}: ${tooBig}`,
    );
  }
  const A = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row: unknown = rowsRaw[i];
    if (!Array.isArray(row)) throw fieldError(`A[${i}]`, `A[${i}] is not an array`);
    if (row.length !== d) throw fieldError(`A[${i}]`, `A[${i}] has ${row.length} entries but A[0] has ${d}`);
    for (let j = 0; j < d; j++) A[i * d + j] = finite(row[j], `A[${i}][${j}]`);
  }

  // b
  const b = vectorOfLength(obj, 'b', n, true);
  const sum = neumaierSum(b);
  if (sum === 0) throw fieldError('b', 'b sums to 0; it must be a probability vector');
  if (!Number.isFinite(sum)) throw fieldError('b', `b sums to ${sum}; its entries are too large`);
  if (Math.abs(sum - 1) > B_SUM_TOLERANCE) {
    notices.push(`b sums to ${sum}, not 1; used as given (it is not a probability vector)`);
  }

  // w
  let w: Float64Array;
  if (obj.w === undefined) {
    w = new Float64Array(n);
    notices.push('no "w" field: w = 0 for every row (no regularisation)');
  } else {
    w = vectorOfLength(obj, 'w', n, true);
  }

  // copyright
  const idx = requireArray(obj, 'copyright');
  const mask = new Uint8Array(n);
  const firstAt = new Map<number, number>();
  for (let t = 0; t < idx.length; t++) {
    const v: unknown = idx[t];
    const path = `copyright[${t}]`;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw fieldError(path, `${path} = ${show(v)} is not an integer row index`);
    }
    if (v < 0 || v >= n)
      throw fieldError(path, `${path} = ${v} is out of range [0, ${n - 1}] (A has ${n} rows)`);
    const prev = firstAt.get(v);
    if (prev !== undefined) throw fieldError(path, `${path} = ${v} repeats copyright[${prev}]`);
    firstAt.set(v, t);
    mask[v] = 1;
  }

  // gammaC
  if (obj.gammaC === undefined)
    throw fieldError('gammaC', 'missing field "gammaC" (use 0 for no protection)');
  const gammaC = finite(obj.gammaC, 'gammaC');
  if (gammaC < 0) throw fieldError('gammaC', `gammaC must be ≥ 0, got ${gammaC}`);

  // reading
  let reading: Reading = 'global';
  if (obj.reading !== undefined) {
    if (obj.reading !== 'global' && obj.reading !== 'separate') {
      throw fieldError('reading', `reading must be "global" or "separate", got ${show(obj.reading)}`);
    }
    reading = obj.reading;
  }

  return { dataset: { n, d, A, b, w }, config: { gammaC, mask, reading }, notices };
}

function fieldError(path: string, message: string): DataError {
  return new DataError(message, { path });
}

/** A JSON value quoted back in a message, clipped (JSON.stringify(Infinity) would say "null"). */
function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return clipEcho(JSON.stringify(v) ?? String(v));
}

function requireArray(obj: Record<string, unknown>, key: string): unknown[] {
  const v = obj[key];
  if (v === undefined) throw fieldError(key, `missing field ${JSON.stringify(key)}`);
  if (!Array.isArray(v)) throw fieldError(key, `${key} must be an array, got ${show(v)}`);
  return v;
}

/**
 * A finite JSON number. JSON.parse turns a literal beyond float64 (1e400) into ±Infinity, which is
 * said as such; a number written as a string gets a hint when it would read as one.
 */
function finite(v: unknown, path: string): number {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
    throw fieldError(path, `${path} is too large (overflows float64)`);
  }
  if (typeof v === 'string' && parseDecimal(v).ok) {
    throw fieldError(
      path,
      `${path} is not a finite number: ${show(v)} is a string; write the number without quotes`,
    );
  }
  throw fieldError(path, `${path} is not a finite number: ${show(v)}`);
}

function vectorOfLength(
  obj: Record<string, unknown>,
  key: string,
  n: number,
  nonNegative: boolean,
): Float64Array {
  const raw = requireArray(obj, key);
  if (raw.length !== n) throw fieldError(key, `${key} has ${raw.length} entries but A has ${n} rows`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const path = `${key}[${i}]`;
    const v = finite(raw[i], path);
    if (nonNegative && v < 0) throw fieldError(path, `${path} must be non-negative, got ${v}`);
    out[i] = v;
  }
  return out;
}

/**
 * Writes a problem as JSON in the format {@link parseProblemJson} reads, one row of A per line.
 * Numbers use the shortest round-trip form (and `-0` keeps its sign), so parsing the output gives
 * bit-identical arrays. `copyright` lists the tagged rows in increasing order.
 *
 * @throws DataError when the mask length is not n or a value is not finite.
 */
export function writeProblemJson(dataset: Dataset, config: ObjectiveConfig): string {
  const { n, d, A, b, w } = dataset;
  if (config.mask.length !== n) throw new DataError(`mask has ${config.mask.length} entries for ${n} rows`);
  const vec = (v: ArrayLike<number>, from = 0, to = v.length): string => {
    const parts: string[] = [];
    for (let k = from; k < to; k++) parts.push(formatNumber(v[k]));
    return `[${parts.join(', ')}]`;
  };
  const rows: string[] = [];
  for (let i = 0; i < n; i++) rows.push(`    ${vec(A, i * d, (i + 1) * d)}`);
  const copyright: number[] = [];
  for (let i = 0; i < n; i++) if (config.mask[i] !== 0) copyright.push(i);
  return [
    '{',
    `  "A": [\n${rows.join(',\n')}\n  ],`,
    `  "b": ${vec(b)},`,
    `  "w": ${vec(w)},`,
    `  "copyright": [${copyright.join(', ')}],`,
    `  "gammaC": ${formatNumber(config.gammaC)},`,
    `  "reading": ${JSON.stringify(config.reading)}`,
    '}',
    '',
  ].join('\n');
}
