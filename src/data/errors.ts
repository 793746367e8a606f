/**
 * The one error type of the data layer. Every problem found in user input (a CSV, a problem JSON, a
 * bitset from a link, a generator spec that cannot be honoured) is a {@link DataError}, so the UI can
 * show a single precise line instead of a stack trace or a silent NaN.
 */
import { clipEcho } from './echo';

/** Where in the input a {@link DataError} was found. All positions are 1-based, as editors show them. */
export interface DataErrorLocation {
  /** 1-based line of the input text (physical lines: a quoted field spanning lines counts them all). */
  line?: number;
  /** 1-based field (column) index within the row; not a character offset. */
  column?: number;
  /** The column's header name as written in the file (trimmed), when known. */
  columnName?: string;
  /** A field path such as `A[3][1]` for JSON inputs. */
  path?: string;
}

/**
 * An error in input data. `message` holds only the description ("not a number: \"abc\""); the
 * location lives in the fields, and {@link formatDataError} joins both into one line for display.
 */
export class DataError extends Error {
  /** 1-based line of the input, when the error has one. */
  line?: number;
  /** 1-based field index within the row, when the error concerns one field or column. */
  column?: number;
  /** Header name of that column, when known. */
  columnName?: string;
  /** Field path for JSON inputs, e.g. `copyright[2]`. */
  path?: string;

  /**
   * @param message What is wrong, without the location (that goes in `location`).
   * @param location Where it is wrong; every part optional.
   */
  constructor(message: string, location: DataErrorLocation = {}) {
    super(message);
    this.name = 'DataError';
    if (location.line !== undefined) this.line = location.line;
    if (location.column !== undefined) this.column = location.column;
    if (location.columnName !== undefined) this.columnName = location.columnName;
    if (location.path !== undefined) this.path = location.path;
  }
}

/**
 * One human-readable line for any thrown value, e.g. `line 7, column 3 ("b"): not a number: "abc"`.
 * Location parts that are absent are left out (`line 4: …`, `column 2 ("b"): …`, or just the
 * message). Non-DataError errors give their message; anything else is stringified. A column name is
 * quoted at most {@link clipEcho} long: a file's header can hold a megabyte-long name.
 */
export function formatDataError(e: unknown): string {
  if (e instanceof DataError) {
    const parts: string[] = [];
    if (e.line !== undefined) parts.push(`line ${e.line}`);
    if (e.column !== undefined) {
      parts.push(
        e.columnName !== undefined
          ? `column ${e.column} (${JSON.stringify(clipEcho(e.columnName))})`
          : `column ${e.column}`,
      );
    } else if (e.columnName !== undefined) {
      parts.push(`column ${JSON.stringify(clipEcho(e.columnName))}`);
    }
    return parts.length > 0 ? `${parts.join(', ')}: ${e.message}` : e.message;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}
