import { describe, expect, it } from 'vitest';
import { DataError, formatDataError } from './errors';

describe('formatDataError', () => {
  it('joins the location parts that are present', () => {
    expect(
      formatDataError(new DataError('not a number: "abc"', { line: 7, column: 3, columnName: 'b' })),
    ).toBe('line 7, column 3 ("b"): not a number: "abc"');
    expect(formatDataError(new DataError('no data rows', { line: 1 }))).toBe('line 1: no data rows');
    expect(formatDataError(new DataError('x', { column: 2 }))).toBe('column 2: x');
    expect(formatDataError(new DataError('b sums to 0', { columnName: 'b' }))).toBe(
      'column "b": b sums to 0',
    );
    expect(formatDataError(new DataError('the file is empty'))).toBe('the file is empty');
  });

  it('handles other thrown values', () => {
    expect(formatDataError(new Error('boom'))).toBe('boom');
    expect(formatDataError('plain')).toBe('plain');
  });

  it('is an Error with name DataError and keeps the raw message', () => {
    const e = new DataError('m', { line: 2, path: 'A[0]' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DataError');
    expect(e.message).toBe('m');
    expect(e.path).toBe('A[0]');
    expect(e.column).toBeUndefined();
  });
});
