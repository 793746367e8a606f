/**
 * Pure helpers for the sweep grid: the paper's one-click grids, reading a typed list of values,
 * and aggregating finished cells over seeds (cells arrive one by one, so the charts aggregate
 * what has finished so far rather than wait for runSweep's final summary).
 */
import { clipEcho } from '../../src/data/echo';
import { parseDecimal } from '../../src/data/number';
import { sweepCellsToCsv, sweepStrengthSlots, type Band, type SweepCell } from '../../src/engine/sweep';
import type { MethodName } from '../../src/math/methods';
import { SWEEP_SEED_BASE } from '../run/run-config';
import { LIMITS, type SweepSettings } from '../store/settings';
import type { SweepStatus } from './sweep-store';

/** The paper's γc values (Figure 1, left). */
export const PAPER_GAMMAS = [0.1, 0.2, 0.3, 0.4, 0.5];
/** The paper's n1/n values (Figure 1, right). */
export const PAPER_FRACTIONS = [0.1, 0.2, 0.4, 0.6, 0.8];

/** A named one-click grid. */
export interface GridPreset {
  id: 'gamma' | 'fraction' | 'full';
  label: string;
  grid: Pick<SweepSettings, 'gammas' | 'fractions'>;
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
 * Entries are read with the one number grammar (src/data/number.ts): "0x20" is not 32 here either.
 */
export function parseValueList(
  text: string,
  range: { min: number; max: number; exclusive?: boolean },
): ListParse {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'Enter at least one value.' };
  const values: number[] = [];
  for (const part of parts) {
    const r = parseDecimal(part);
    if (!r.ok) {
      const why =
        r.why === 'not finite' ? 'not a finite number' : r.why === 'too large' ? 'too large' : 'not a number';
      return { ok: false, error: `"${clipEcho(part)}" is ${why}.` };
    }
    const v = r.value;
    const inside = range.exclusive ? v > range.min && v < range.max : v >= range.min && v <= range.max;
    if (!inside) {
      const [lo, hi] = range.exclusive ? ['(', ')'] : ['[', ']'];
      return { ok: false, error: `${clipEcho(part)} is outside ${lo}${range.min}, ${range.max}${hi}.` };
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

/**
 * Every (method, strength) the grid solves per (n1/n, seed): the baseline (the paper's γc = 0,
 * the plain fit) first, the paper's γc values, then the other methods' strengths (src/engine/sweep.ts).
 */
export function gridSlots(grid: SweepSettings): { method: MethodName; gammaC: number }[] {
  return sweepStrengthSlots(grid);
}

/** Number of cells (configurations in the one batch), baseline included. */
export function cellCount(grid: SweepSettings): number {
  return gridSlots(grid).length * grid.fractions.length * grid.seeds;
}

/** min / mean / max of the finite values (NaN band when there are none). */
export function bandOf(values: number[]): Band {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { min: NaN, mean: NaN, max: NaN };
  let sum = 0;
  for (const v of finite) sum += v;
  return { min: Math.min(...finite), mean: sum / finite.length, max: Math.max(...finite) };
}

/** One (method, γc or strength, n1/n) point of the grid, aggregated over the seeds that have finished. */
export interface CellGroup {
  /** The protection method (the baseline is the paper's at γc = 0). */
  method: MethodName;
  /** γc for the paper's method, else the method's strength s. */
  gammaC: number;
  fraction: number;
  /** Bands over the finished seeds (NaN when none finished). */
  tau: Band;
  l1PerN1: Band;
  l2PerN2: Band;
  baselineTau: Band;
  /** Seeds finished so far. */
  seeds: number;
  /** Seeds the grid asks for at this point. */
  seedsTotal: number;
  /**
   * Every seed finished. Only complete points are drawn or given numbers: cells that finish
   * first (e.g. those that converge fastest) are not a fair sample of the seeds.
   */
  complete: boolean;
  /** The first finished seed (what a click on the point loads), or null before any finished. */
  firstSeed: number | null;
}

const pointKey = (method: MethodName, fraction: number, gammaC: number): string =>
  `${method}/${fraction}/${gammaC}`;

/**
 * Every (γc, n1/n) point of the grid with the finished cells grouped over seeds, sorted by n1/n,
 * then γc. Points with no finished seed are listed too (seeds = 0), so a cancelled sweep's
 * missing points can be shown as missing rather than left out.
 */
export function groupCells(cells: readonly SweepCell[], grid: SweepSettings): CellGroup[] {
  const byPoint = new Map<string, SweepCell[]>();
  for (const c of cells) {
    const key = pointKey(c.method, c.fraction, c.gammaC);
    const list = byPoint.get(key);
    if (list) list.push(c);
    else byPoint.set(key, [c]);
  }
  const fractions = [...grid.fractions].sort((a, b) => a - b);
  const slots = gridSlots(grid);
  return fractions.flatMap((fraction) =>
    slots.map(({ method, gammaC }): CellGroup => {
      const list = byPoint.get(pointKey(method, fraction, gammaC)) ?? [];
      return {
        method,
        gammaC,
        fraction,
        tau: bandOf(list.map((c) => c.tau)),
        l1PerN1: bandOf(list.map((c) => c.l1PerN1)),
        l2PerN2: bandOf(list.map((c) => c.l2PerN2)),
        baselineTau: bandOf(list.map((c) => c.baselineTau)),
        seeds: list.length,
        seedsTotal: grid.seeds,
        complete: list.length >= grid.seeds,
        firstSeed: list.length ? Math.min(...list.map((c) => c.seed)) : null,
      };
    }),
  );
}

/** The paper's points (and the baseline): what the Figure 1 charts and tables show. */
export function paperGroups(groups: readonly CellGroup[]): CellGroup[] {
  return groups.filter((g) => g.method === 'paper');
}

/** The `status` of a cell or point that never finished, in the CSVs. */
export const NOT_RUN = 'not-run';

/** "3 of 5 seeds": how much of a point has finished, for hovers, tables and the heatmap. */
export function seedsText(g: Pick<CellGroup, 'seeds' | 'seedsTotal'>): string {
  return g.seeds === 0 ? 'not run' : `${g.seeds} of ${g.seedsTotal} seed${g.seedsTotal === 1 ? '' : 's'}`;
}

/** A summary row's `status`: every seed finished, some did, or none. */
export function pointStatus(
  g: Pick<CellGroup, 'seeds' | 'complete'>,
): 'complete' | 'partial' | typeof NOT_RUN {
  return g.complete ? 'complete' : g.seeds > 0 ? 'partial' : NOT_RUN;
}

/**
 * Groups as CSV: one row per (γc, n1/n) of the grid, full precision. `status` says whether every
 * seed finished; the min/mean/max columns are empty unless it did (as on the charts), and the
 * finished cells of a partial point are in the cells CSV.
 */
export function groupsToCsv(groups: readonly CellGroup[]): string {
  const header = ['method', 'gammaC', 'fraction', 'seeds', 'seedsTotal', 'status'];
  for (const m of ['tau', 'l1PerN1', 'l2PerN2', 'baselineTau']) header.push(`${m}Min`, `${m}Mean`, `${m}Max`);
  const lines = [header.join(',')];
  for (const g of groups) {
    const row: (number | string)[] = [g.method, g.gammaC, g.fraction, g.seeds, g.seedsTotal, pointStatus(g)];
    for (const b of [g.tau, g.l1PerN1, g.l2PerN2, g.baselineTau])
      row.push(...(g.complete ? [b.min, b.mean, b.max] : ['', '', '']));
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
  return `This grid is too large to solve as one batch in the browser (${what}). Use fewer methods, strengths, n1/n values or seeds, or smaller data.`;
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

/** The tag seeds of a grid, as app/run/run-config.ts's sweepSpec runs them. */
export function gridSeeds(grid: Pick<SweepSettings, 'seeds'>): number[] {
  return Array.from({ length: grid.seeds }, (_, k) => SWEEP_SEED_BASE + k);
}

/** A sweep that stopped before every cell finished: how far it got and why it stopped. */
export interface PartialSweep {
  reason: 'cancelled' | 'error';
  finished: number;
  total: number;
}

/**
 * The sweep's results are partial when it was cancelled or failed with cells missing; null while
 * it runs (its charts fill in as cells finish), when it finished, and before the first sweep.
 */
export function partialSweep(
  status: SweepStatus,
  cells: readonly SweepCell[],
  grid: SweepSettings | null,
): PartialSweep | null {
  if (!grid || (status !== 'cancelled' && status !== 'error')) return null;
  const total = cellCount(grid);
  if (cells.length >= total) return null;
  return { reason: status, finished: cells.length, total };
}

/** The line over the charts of a partial sweep. */
export function partialText(p: PartialSweep): string {
  const why = p.reason === 'cancelled' ? 'Cancelled' : 'Stopped by an error';
  return `${why}: ${p.finished} of ${p.total} cells finished; points with missing seeds are not drawn.`;
}

/** The short form in a chart's title, so a saved PNG says it is partial too. */
export function partialTitle(p: PartialSweep): string {
  return `partial sweep (${p.reason === 'cancelled' ? 'cancelled' : 'stopped by an error'}): ${p.finished} of ${p.total} cells`;
}

/**
 * Cells as CSV (src/engine/sweep.ts's columns). For a partial sweep every cell that did not
 * finish gets a row too, with `status` = not-run, `converged` = false and empty numbers, so the
 * file says by itself which cells are missing (a comment line would break plain CSV readers).
 */
export function cellsCsv(
  cells: readonly SweepCell[],
  grid: SweepSettings,
  partial: PartialSweep | null,
): string {
  const csv = sweepCellsToCsv([...cells]);
  if (!partial) return csv;
  const header = csv.slice(0, csv.indexOf('\n')).split(',');
  const finished = new Set(cells.map((c) => `${c.method}/${c.fraction}/${c.gammaC}/${c.seed}`));
  const rows: string[] = [];
  for (const fraction of [...grid.fractions].sort((a, b) => a - b))
    for (const { method, gammaC } of gridSlots(grid))
      for (const seed of gridSeeds(grid)) {
        if (finished.has(`${method}/${fraction}/${gammaC}/${seed}`)) continue;
        const value: Record<string, string> = {
          method,
          gammaC: String(gammaC),
          fraction: String(fraction),
          seed: String(seed),
          converged: 'false',
          status: NOT_RUN,
        };
        rows.push(header.map((col) => value[col] ?? '').join(','));
      }
  return csv + rows.map((r) => r + '\n').join('');
}
