/**
 * CSV import and export.
 *
 * Format: a header row, then one row per data point. Columns are matched by name, trimmed and
 * case-insensitively: `b` (required, the target), `copyright` (optional tag), `w` (optional
 * regularisation weight, default 0); every other column is a feature (a column of A), in file order.
 * The delimiter is guessed among `,`, `;` and tab. Errors name the 1-based line and column.
 */
import Papa from 'papaparse';
import type { Dataset } from '../math/types';
import { clipEcho, listSomeQuoted } from './echo';
import { DataError } from './errors';
import { DATA_LIMITS, featureCountProblem, rowCountProblem, tooFewRowsProblem } from './limits';
import { parseDecimal } from './number';
import { neumaierSum } from './sum';
import { utf16Problem } from './text';

/** What {@link parseCsv} returns. */
export interface ParsedCsv {
  /** A (n×d, row-major, features in file order), b (normalised to sum 1 if it did not) and w. */
  dataset: Dataset;
  /** Copyright tags, length n; all 0 without a `copyright` column. */
  mask: Uint8Array;
  /** Feature column names as written in the header (trimmed). */
  featureNames: string[];
  /** Whether the file had a `copyright` column. */
  hasCopyrightColumn: boolean;
  /** Human-readable notes on what was assumed or changed (normalised b, default w, delimiter). */
  notices: string[];
}

/** |Σb − 1| above this (relative to 1) makes the parser normalise b, with a notice. */
export const B_SUM_TOLERANCE = 1e-9;

/** Options of {@link parseCsv}. */
export interface ParseCsvOptions {
  /**
   * Called with the share of the text parsed so far (0 to 1), at most about
   * {@link PROGRESS_STEPS} times, in increasing order; for a progress bar.
   */
  onProgress?(fraction: number): void;
}

/** How many progress reports a parse makes at most (one per 1 % of the text). */
export const PROGRESS_STEPS = 100;

/** Tag values accepted in the `copyright` column (lower-cased). */
const TAG_VALUES: ReadonlyMap<string, 0 | 1> = new Map([
  ['1', 1],
  ['0', 0],
  ['true', 1],
  ['false', 0],
  ['yes', 1],
  ['no', 0],
]);

/** Role of each column of the file. */
type Role = 'feature' | 'b' | 'w' | 'copyright';

/** How many characters at the start are checked for binary content (enough to be representative). */
const BINARY_SNIFF_CHARS = 65536;
/** Share of control or U+FFFD characters above which the text is taken for binary data. */
const BINARY_RATIO = 0.01;

/**
 * Parses a CSV text (the whole file as a string) into a data set and tags.
 *
 * Accepted: a UTF-8 BOM, LF / CRLF / CR line ends, quoted fields (with delimiters, quotes or line
 * breaks inside), blank lines anywhere (skipped; line numbers still count them), surrounding spaces
 * in fields. Tags: 0/1, true/false, yes/no in any case. A b that does not sum to 1 within
 * {@link B_SUM_TOLERANCE} is divided by its sum, with a notice quoting the original sum; a b that
 * does is kept bit for bit, so `parseCsv(writeCsv(…))` round-trips exactly.
 *
 * @throws DataError with 1-based `line` and `column` (field index) wherever they are meaningful:
 *   empty file, binary input, unbalanced quotes, duplicate / empty column names, missing `b`, no
 *   feature column, ragged rows, empty / non-numeric / non-finite values, negative b, b summing to 0,
 *   bad copyright tags, negative w, no data rows, fewer than DATA_LIMITS.nMin rows, UTF-16 text
 *   decoded as UTF-8, and sizes beyond {@link DATA_LIMITS}: too many features (found on the header
 *   line, before any row is read), too many rows or entries (found on the first row past the limit,
 *   before memory for it is taken). Messages quote the input through clipEcho / listSomeQuoted, so
 *   they stay one short line whatever the file holds.
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): ParsedCsv {
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
  checkNotBinary(text);
  const { onProgress } = options;
  const progressStep = Math.max(1, Math.ceil(text.length / PROGRESS_STEPS));
  let nextProgress = progressStep;

  const notices: string[] = [];
  const lines = new LineCounter(text);

  let header: { names: string[]; roles: Role[]; line: number } | undefined;
  let featureCols: number[] = [];
  let bCol = -1;
  let wCol = -1;
  let tagCol = -1;
  let n = 0;
  // Capacities are capped at the limits, and every row is checked against them before it is
  // stored, so no buffer ever grows past what a data set may hold.
  const A = new GrowableF64(DATA_LIMITS.cellsMax);
  const b = new GrowableF64(DATA_LIMITS.nMax);
  const w = new GrowableF64(DATA_LIMITS.nMax);
  const tags = new GrowableU8(DATA_LIMITS.nMax);
  let delimiter = ',';

  Papa.parse<string[]>(text, {
    delimitersToGuess: [',', ';', '\t'],
    // 'greedy' also drops whitespace-only lines, and it makes the delimiter guess ignore trailing
    // blank lines (without it, Papa falls back to ',' for "a;b\n1;2\n").
    skipEmptyLines: 'greedy',
    step(result) {
      const fields = result.data;
      const cursor = result.meta.cursor;
      const line = lines.lineOfRow(cursor, fields);
      delimiter = result.meta.delimiter;
      if (onProgress && cursor >= nextProgress) {
        onProgress(Math.min(cursor / text.length, 1));
        nextProgress = (Math.floor(cursor / progressStep) + 1) * progressStep;
      }
      for (const err of result.errors) {
        if (err.type === 'Quotes') {
          // An unterminated quote swallows the rest of the file, line breaks included, so the row's
          // line is unreliable here; Papa's index points just after the offending quote.
          const quoteLine =
            typeof err.index === 'number' ? new LineCounter(text).lineAt(Math.max(err.index - 1, 0)) : line;
          throw new DataError(`malformed quotes: ${clipEcho(err.message)}`, { line: quoteLine });
        }
      }

      if (!header) {
        header = readHeader(fields, line);
        const roles = header.roles;
        featureCols = roles.flatMap((r, c) => (r === 'feature' ? [c] : []));
        bCol = roles.indexOf('b');
        wCol = roles.indexOf('w');
        tagCol = roles.indexOf('copyright');
        // Before any row is read: a 20,000-column file must not be parsed (let alone solved) first.
        const tooWide = featureCountProblem(featureCols.length);
        if (tooWide) throw new DataError(tooWide, { line: header.line });
        return;
      }

      const names = header.names;
      const tooMany = rowCountProblem(n + 1, featureCols.length);
      if (tooMany) throw new DataError(tooMany, { line });
      if (fields.length !== names.length) {
        const column = Math.min(fields.length, names.length) + 1;
        throw new DataError(
          fields.length > names.length
            ? `too many fields: ${fields.length}, but the header has ${names.length} columns`
            : `too few fields: ${fields.length}, but the header has ${names.length} columns`,
          { line, column, ...(column <= names.length ? { columnName: names[column - 1] } : {}) },
        );
      }
      for (const c of featureCols) A.push(readNumber(fields[c], line, c, names[c]));
      const bv = readNumber(fields[bCol], line, bCol, names[bCol]);
      if (bv < 0)
        throw new DataError(
          `b must be non-negative, got ${clipEcho(fields[bCol].trim())}`,
          at(line, bCol, names),
        );
      b.push(bv);
      if (wCol >= 0) {
        const wv = readNumber(fields[wCol], line, wCol, names[wCol]);
        if (wv < 0)
          throw new DataError(
            `w must be non-negative, got ${clipEcho(fields[wCol].trim())}`,
            at(line, wCol, names),
          );
        w.push(wv);
      } else {
        w.push(0);
      }
      if (tagCol >= 0) {
        const raw = fields[tagCol].trim();
        const tag = TAG_VALUES.get(raw.toLowerCase());
        if (tag === undefined) {
          throw new DataError(
            `bad copyright tag ${JSON.stringify(clipEcho(raw))} (use 0/1, true/false or yes/no)`,
            at(line, tagCol, names),
          );
        }
        tags.push(tag);
      } else {
        tags.push(0);
      }
      n++;
    },
  });

  if (!header) throw new DataError('the file is empty');
  const headerLine = header.line;
  const headerNames = header.names;
  if (n === 0) throw new DataError('no data rows after the header', { line: headerLine });
  onProgress?.(1);

  const bArr = b.toArray();
  const sum = neumaierSum(bArr);
  if (sum === 0) {
    throw new DataError('b sums to 0; it must be a probability vector', {
      column: bCol + 1,
      columnName: header.names[bCol],
    });
  }
  if (!Number.isFinite(sum)) {
    throw new DataError(`b sums to ${sum}; its entries are too large`, {
      column: bCol + 1,
      columnName: header.names[bCol],
    });
  }
  if (Math.abs(sum - 1) > B_SUM_TOLERANCE) {
    for (let i = 0; i < n; i++) bArr[i] /= sum;
    notices.push(`b summed to ${sum}, not 1; divided by the sum so that it is a probability vector`);
  }
  if (wCol < 0) notices.push('no "w" column: w = 0 for every row (no regularisation)');
  if (delimiter !== ',') notices.push(`delimiter: ${delimiter === '\t' ? 'tab' : JSON.stringify(delimiter)}`);
  // After the checks of b, whose messages say more about a one-row file than its row count does.
  const tooFew = tooFewRowsProblem(n);
  if (tooFew) throw new DataError(tooFew, { line: headerLine });

  return {
    dataset: { n, d: featureCols.length, A: A.toArray(), b: bArr, w: w.toArray() },
    mask: tags.toArray(),
    featureNames: featureCols.map((c) => headerNames[c]),
    hasCopyrightColumn: tagCol >= 0,
    notices,
  };
}

/** Location of field `col` (0-based) on `line`, for DataError. */
function at(
  line: number,
  col: number,
  names: string[],
): { line: number; column: number; columnName: string } {
  return { line, column: col + 1, columnName: names[col] };
}

function readHeader(fields: string[], line: number): { names: string[]; roles: Role[]; line: number } {
  const names = fields.map((f) => f.trim());
  const roles: Role[] = [];
  const seen = new Map<string, number>();
  names.forEach((name, c) => {
    if (name === '') throw new DataError('empty column name in the header', { line, column: c + 1 });
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new DataError(`duplicate column name (same as column ${first + 1})`, {
        line,
        column: c + 1,
        columnName: name,
      });
    }
    seen.set(key, c);
    roles.push(key === 'b' || key === 'w' || key === 'copyright' ? key : 'feature');
  });
  if (!roles.includes('b')) {
    throw new DataError(`no "b" column (the header has: ${listSomeQuoted(names)})`, { line });
  }
  if (!roles.includes('feature')) {
    throw new DataError('no feature columns: every column other than b, w and copyright is a feature', {
      line,
    });
  }
  return { names, roles, line };
}

/** A field read with the project's one number grammar (src/data/number.ts). */
function readNumber(raw: string, line: number, col: number, name: string): number {
  const r = parseDecimal(raw);
  if (r.ok) return r.value;
  const loc = { line, column: col + 1, columnName: name };
  const shown = JSON.stringify(clipEcho(raw.trim()));
  switch (r.why) {
    case 'empty':
      throw new DataError('empty value', loc);
    case 'not finite':
      throw new DataError(`not a finite number: ${shown}`, loc);
    case 'too large':
      throw new DataError(`not a finite number: ${shown} is too large (overflows float64)`, loc);
    case 'not a number':
      throw new DataError(`not a number: ${shown}`, loc);
  }
}

/**
 * Rejects binary or badly decoded input before parsing, where it would otherwise surface as a
 * confusing "not a number" somewhere: any NUL character, or more than {@link BINARY_RATIO} of the
 * first {@link BINARY_SNIFF_CHARS} characters being control characters (other than tab and line
 * breaks) or U+FFFD (what a decoder makes of invalid UTF-8).
 */
function checkNotBinary(text: string): void {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    throw new DataError('this looks like a binary file (it contains NUL bytes), not a CSV text', {
      line: new LineCounter(text).lineAt(nul),
    });
  }
  const len = Math.min(text.length, BINARY_SNIFF_CHARS);
  let bad = 0;
  let firstBad = -1;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f || c === 0xfffd) {
      bad++;
      if (firstBad < 0) firstBad = i;
    }
  }
  if (bad > BINARY_RATIO * len) {
    throw new DataError(
      `this looks like a binary file or a text in another encoding (${bad} of the first ${len} characters are control or invalid characters), not a CSV text`,
      { line: new LineCounter(text).lineAt(firstBad) },
    );
  }
}

/**
 * Turns Papa's character cursor into 1-based physical line numbers. Papa reports, for each row, the
 * offset just after it (after its line break); the row's first line is the line of its last
 * character minus the line breaks inside its quoted fields. Counting is incremental, so a whole file
 * costs O(length).
 */
class LineCounter {
  private pos = 0;
  private line = 1;
  constructor(private readonly text: string) {}

  /** 1-based line of character offset `offset`. Fast when offsets do not decrease between calls. */
  lineAt(offset: number): number {
    const t = this.text;
    if (offset < this.pos) {
      this.pos = 0;
      this.line = 1;
    }
    for (; this.pos < offset; this.pos++) {
      const c = t.charCodeAt(this.pos);
      // CRLF counts once: count the LF, and a CR only when no LF follows.
      if (c === 10 || (c === 13 && t.charCodeAt(this.pos + 1) !== 10)) this.line++;
    }
    return this.line;
  }

  /** First line of a row that ends (line break included) at `cursor`. */
  lineOfRow(cursor: number, fields: string[]): number {
    let end = cursor;
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    let inner = 0;
    for (const f of fields) inner += countLineBreaks(f);
    return this.lineAt(end) - inner;
  }
}

function countLineBreaks(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) count++;
  }
  return count;
}

/**
 * An append-only buffer that doubles its capacity up to `max` entries, to collect rows of unknown
 * count. The caller checks the limits before pushing; pushing past `max` is a bug, not bad input.
 */
class Growable<T extends Float64Array | Uint8Array> {
  private buf: T;
  private len = 0;
  constructor(
    private readonly make: (length: number) => T,
    private readonly max: number,
  ) {
    this.buf = make(Math.min(1024, max));
  }
  push(v: number): void {
    if (this.len === this.buf.length) {
      if (this.len >= this.max) throw new Error(`internal: buffer full at its limit of ${this.max}`);
      const next = this.make(Math.min(this.buf.length * 2, this.max));
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = v;
  }
  /** The pushed entries: the buffer itself when it is full (no copy), else a trimmed copy. */
  toArray(): T {
    return this.len === this.buf.length ? this.buf : (this.buf.slice(0, this.len) as T);
  }
}

class GrowableF64 extends Growable<Float64Array> {
  constructor(max: number) {
    super((length) => new Float64Array(length), max);
  }
}

class GrowableU8 extends Growable<Uint8Array> {
  constructor(max: number) {
    super((length) => new Uint8Array(length), max);
  }
}

/**
 * Writes a data set and its tags as CSV: header `x1 … xd` (or `featureNames`), then `b,w,copyright`;
 * one row per data point; `\n` line ends and a final newline. Numbers are written with
 * `String(v)`, the shortest text that reads back to the same double (and `-0` for negative zero),
 * so `parseCsv(writeCsv(ds, mask))` gives bit-identical A, b, w and mask. Names are quoted when
 * they contain a delimiter, a quote or a line break (the parser trims names, so surrounding spaces
 * do not survive).
 *
 * @throws DataError when featureNames has the wrong length, an empty or duplicate name, or a name
 *   that the parser would read as `b`, `w` or `copyright`; when the mask length is not n; or when a
 *   value is not finite (it could not be read back).
 */
export function writeCsv(dataset: Dataset, mask: Uint8Array, featureNames?: string[]): string {
  const { n, d, A, b, w } = dataset;
  if (mask.length !== n) throw new DataError(`mask has ${mask.length} entries for ${n} rows`);
  const names = featureNames ?? Array.from({ length: d }, (_, j) => `x${j + 1}`);
  if (names.length !== d) throw new DataError(`${names.length} feature names for ${d} features`);
  const seen = new Set(['b', 'w', 'copyright']);
  for (const name of names) {
    const key = name.trim().toLowerCase();
    if (key === '' || seen.has(key)) {
      throw new DataError(
        `feature name ${JSON.stringify(name)} is empty, repeated or reserved (b, w, copyright)`,
      );
    }
    seen.add(key);
  }
  const parts: string[] = [[...names.map(quoteName), 'b', 'w', 'copyright'].join(',')];
  const row: string[] = new Array<string>(d + 3);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = formatNumber(A[i * d + j]);
    row[d] = formatNumber(b[i]);
    row[d + 1] = formatNumber(w[i]);
    row[d + 2] = mask[i] !== 0 ? '1' : '0';
    parts.push(row.join(','));
  }
  return parts.join('\n') + '\n';
}

/** Shortest round-trip decimal; keeps the sign of zero, refuses NaN and ±Infinity. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) throw new DataError(`cannot write the non-finite value ${v}`);
  return Object.is(v, -0) ? '-0' : String(v);
}

function quoteName(name: string): string {
  return /[",;\t\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}
