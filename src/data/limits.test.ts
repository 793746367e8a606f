import { describe, expect, it } from 'vitest';
import {
  DATA_LIMITS,
  dataShapeProblem,
  featureCountProblem,
  fileSizeProblem,
  formatBytes,
  rowCountProblem,
  tooFewRowsProblem,
} from './limits';

describe('data limits', () => {
  it('are what the engines hold: 1024 features, 2,000,000 rows, 2^25 entries, 256 MiB files', () => {
    expect(DATA_LIMITS).toMatchObject({
      nMin: 2,
      nMax: 2_000_000,
      dMax: 1024,
      cellsMax: 33_554_432,
      fileBytesMax: 268_435_456,
    });
  });

  it('name the limit, at each boundary', () => {
    expect(featureCountProblem(1024)).toBeNull();
    expect(featureCountProblem(20_000)).toBe('20,000 features is more than the limit of 1024');
    expect(rowCountProblem(2_000_000, 1)).toBeNull();
    expect(rowCountProblem(2_000_001, 1)).toBe('2,000,001 rows is more than the limit of 2,000,000');
    expect(rowCountProblem(32_768, 1024)).toBeNull(); // exactly 2^25 entries
    expect(rowCountProblem(32_769, 1024)).toBe(
      '32,769 rows × 1,024 features is 33,555,456 values, more than the limit of 33,554,432 (2^25)',
    );
    expect(tooFewRowsProblem(2)).toBeNull();
    expect(tooFewRowsProblem(1)).toBe('1 row is fewer than the 2 the loss needs');
    expect(tooFewRowsProblem(0)).toBe('0 rows is fewer than the 2 the loss needs');
  });

  it('dataShapeProblem reports width first, then rows, then too few', () => {
    expect(dataShapeProblem(3, 20_000)).toBe('20,000 features is more than the limit of 1024');
    expect(dataShapeProblem(3_000_000, 1)).toBe('3,000,000 rows is more than the limit of 2,000,000');
    expect(dataShapeProblem(1, 5)).toBe('1 row is fewer than the 2 the loss needs');
    expect(dataShapeProblem(200, 10)).toBeNull();
  });

  it('fileSizeProblem names both sizes', () => {
    expect(fileSizeProblem(256 * 1024 * 1024)).toBeNull();
    expect(fileSizeProblem(300 * 1024 * 1024)).toBe('the file is 300 MiB, more than the limit of 256 MiB');
    // Just over, both sizes would print as "256 MiB": the message gives the bytes.
    expect(fileSizeProblem(256 * 1024 * 1024 + 1)).toBe(
      'the file is 268,435,457 bytes, more than the limit of 268,435,456 bytes (256 MiB)',
    );
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12)).toBe('12 bytes');
  });
});
