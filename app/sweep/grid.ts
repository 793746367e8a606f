/**
 * Pure helpers for the sweep grid: the paper's one-click grids, reading a typed list of values,
 * and aggregating finished cells over seeds (cells arrive one by one, so the charts aggregate
 * what has finished so far rather than wait for runSweep's final summary).
 */
import type { Band, SweepCell } from '../../src/engine/sweep';
import { LIMITS, type SweepSettings } from '../store/settings';

/** The paper's γc values (Figure 1, left). */
export const PAPER_GAMMAS = [0.1, 0.2, 0.3, 0.4, 0.5];
/** The paper's n1/n values (Figure 1, right). */
export const PAPER_FRACTIONS = [0.1, 0.2, 0.4, 0.6, 0.8];

/** A named one-click grid. */
export interface GridPreset {
  id: 'gamma' | 'fraction' | 'full';
  label: string;
  grid: Omit<SweepSettings, 'seeds'>;
}

/** The two grids of the paper's Figure 1 and their product. */
export const GRID_PRESETS: readonly GridPreset[] = [
  { id: 'gamma', label: 'γc ∈ {0.1…0.5} at n1/n = 0.1', grid: { gammas: PAPER_GAMMAS, fractions: [0.1] } },
  {
    id: 'fraction',
    label: 'n1/n ∈ {0.1…0.8} at γc = 0.2',
    grid: { gammas: [0.2], fractions: PAPER_FRACTIONS },
  },
  { id: 'full', label: 'Full grid (5 × 5)', grid: { gammas: PAPER_GAMMAS, fractions: PAPER_FRACTIONS } },
];

/** Result of reading a typed list: the values, or what is wrong with the text. */
export type ListParse = { ok: true; values: number[] } | { ok: false; error: string };

/**
 * Reads "0.1, 0.2 0.3" (commas and/or spaces) into sorted distinct numbers within [min, max],
 * or says which entry is wrong. `exclusive` makes both ends open (n1/n must leave n1, n2 ≥ 1).
 */
export function parseValueList(
  text: string,
  range: { min: number; max: number; exclusive?: boolean },
): ListParse {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'Enter at least one value.' };
  const values: number[] = [];
  for (const part of parts) {
    const v = Number(part);
    const inside = range.exclusive ? v > range.min && v < range.max : v >= range.min && v <= range.max;
    if (!Number.isFinite(v)) return { ok: false, error: `"${part}" is not a number.` };
    if (!inside) {
      const [lo, hi] = range.exclusive ? ['(', ')'] : ['[', ']'];
      return { ok: false, error: `${part} is outside ${lo}${range.min}, ${range.max}${hi}.` };
    }
    values.push(v);
  }
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length > LIMITS.sweepValuesMax)
    return { ok: false, error: `At most ${LIMITS.sweepValuesMax} values.` };
  return { ok: true, values: distinct };
}

/** The γc values a sweep solves: the list plus the γc = 0 baseline, sorted. */
export function sweepGammas(grid: Pick<SweepSettings, 'gammas'>): number[] {
  return [...new Set([0, ...grid.gammas])].sort((a, b) => a - b);
}

/** Number of cells (configurations in the one batch), baseline included. */
export function cellCount(grid: SweepSettings): number {
  return sweepGammas(grid).length * grid.fractions.length * grid.seeds;
}

/** min / mean / max of the finite values (NaN band when there are none). */
export function bandOf(values: number[]): Band {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { min: NaN, mean: NaN, max: NaN };
  let sum = 0;
  for (const v of finite) sum += v;
  return { min: Math.min(...finite), mean: sum / finite.length, max: Math.max(...finite) };
}

/** One finished (γc, n1/n) point aggregated over the seeds that have finished. */
export interface CellGroup {
  gammaC: number;
  fraction: number;
  tau: Band;
  l1PerN1: Band;
  l2PerN2: Band;
  baselineTau: Band;
  /** Seeds finished so far. */
  seeds: number;
  /** The first finished seed: what a click on the aggregated point loads. */
  firstSeed: number;
}

/** Groups finished cells by (γc, n1/n); groups come sorted by n1/n, then γc. */
export function groupCells(cells: readonly SweepCell[]): CellGroup[] {
  const groups = new Map<string, SweepCell[]>();
  for (const c of cells) {
    const key = `${c.fraction}/${c.gammaC}`;
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()]
    .map((list) => ({
      gammaC: list[0].gammaC,
      fraction: list[0].fraction,
      tau: bandOf(list.map((c) => c.tau)),
      l1PerN1: bandOf(list.map((c) => c.l1PerN1)),
      l2PerN2: bandOf(list.map((c) => c.l2PerN2)),
      baselineTau: bandOf(list.map((c) => c.baselineTau)),
      seeds: list.length,
      firstSeed: Math.min(...list.map((c) => c.seed)),
    }))
    .sort((a, b) => a.fraction - b.fraction || a.gammaC - b.gammaC);
}

/** Groups as CSV: one row per (γc, n1/n) with min/mean/max over seeds, full precision. */
export function groupsToCsv(groups: readonly CellGroup[]): string {
  const header = ['gammaC', 'fraction', 'seeds'];
  for (const m of ['tau', 'l1PerN1', 'l2PerN2', 'baselineTau']) header.push(`${m}Min`, `${m}Mean`, `${m}Max`);
  const lines = [header.join(',')];
  for (const g of groups) {
    const row: (number | string)[] = [g.gammaC, g.fraction, g.seeds];
    for (const b of [g.tau, g.l1PerN1, g.l2PerN2, g.baselineTau]) row.push(b.min, b.mean, b.max);
    lines.push(row.map(String).join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * Largest batch the page starts: every configuration keeps per-row vectors (n) and a d × d
 * Hessian, so n and d² times the number of cells bound the memory (about 200 MB of float64 each).
 */
export const BATCH_LIMITS = { cellsTimesN: 25_000_000, cellsTimesD2: 25_000_000 } as const;

/** Why this grid is too large to run on n × d data (what to shrink), or null when it fits. */
export function batchTooLarge(grid: SweepSettings, n: number, d: number): string | null {
  const cells = cellCount(grid);
  const byRows = cells * n > BATCH_LIMITS.cellsTimesN;
  const byFeatures = cells * d * d > BATCH_LIMITS.cellsTimesD2;
  if (!byRows && !byFeatures) return null;
  const what = byRows ? `${cells} cells × n = ${n} rows` : `${cells} cells × d² = ${d * d}`;
  return `This grid is too large to solve as one batch in the browser (${what}). Use fewer γc or n1/n values or seeds, or smaller data.`;
}

/** Why cells stopped early, counted by reason: "3 at the iteration limit, 1 diverged". */
export function stopReasons(cells: readonly SweepCell[]): string {
  const words: Record<string, string> = {
    'max-iter': 'at the iteration limit',
    stalled: "stalled: L stopped changing at the engine's precision",
    diverged: 'diverged',
    running: 'cancelled before finishing',
  };
  const counts = new Map<string, number>();
  for (const c of cells) if (!c.converged) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return [...counts].map(([status, k]) => `${k} ${words[status] ?? status}`).join(', ');
}
