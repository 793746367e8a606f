/**
 * Run histories (the curves of the live charts) as CSV: one row per iteration and configuration,
 * full precision, so a spreadsheet or a plotting script can redraw every chart.
 */
import type { IterationRecord } from '../../src/solve/solvers';

/** Columns of a history row, in order (also used by the manifest's compact history). */
export const HISTORY_COLUMNS = [
  'iter',
  'L',
  'l',
  'l1',
  'l2',
  'tau',
  'gradNorm',
  'step',
  'lambdaMin',
  'damping',
  'elapsedMs',
] as const;

/** One column name. */
export type HistoryColumn = (typeof HISTORY_COLUMNS)[number];

/** A record's value in a column; NaN where the solver did not record it. */
export function historyValue(r: IterationRecord, c: HistoryColumn): number {
  return r[c] ?? NaN;
}

/** Shortest text that parses back to the same double; empty for NaN (a missing value). */
function cell(v: number): string {
  return Number.isNaN(v) ? '' : String(v);
}

/**
 * CSV with a `config` column (e.g. "run", "twin") and the history columns.
 * @param runs one entry per configuration: its label and records.
 */
export function historyCsv(runs: readonly { label: string; records: readonly IterationRecord[] }[]): string {
  const lines = [['config', ...HISTORY_COLUMNS].join(',')];
  for (const { label, records } of runs) {
    for (const r of records)
      lines.push([label, ...HISTORY_COLUMNS.map((c) => cell(historyValue(r, c)))].join(','));
  }
  return lines.join('\n') + '\n';
}
