/**
 * Sweep runner: a grid over γc (or, for the other protection methods of math.md §9, their
 * strengths s) × n1/n × tag seeds on one data set, every cell solved from the same
 * x0, all cells as ONE batched solve (so a GPU engine reads A once per step for the whole grid),
 * plus the γc = 0 baseline for every (n1/n, seed). Reports per-cell rows and min/mean/max over
 * seeds — the layout of the paper's Figure 1, for softmax regression. Any solver strategy works
 * (newton-cg batches its Hessian-vector products over the grid too).
 */
import { applyTagRule } from '../data/tagging';
import {
  BatchSolver,
  type SolveResult,
  type SolverOptions,
  type SolveStatus,
  type StopCause,
} from '../solve/solvers';
import { METHODS, type MethodName } from '../math/methods';
import type { ObjectiveConfig, Reading } from '../math/types';
import type { Engine } from './engine';

export interface SweepSpec {
  /** The paper's γc values; 0 is added as the baseline (the plain fit) when absent. */
  gammas: number[];
  /**
   * The protection methods to solve (default the paper's only). The paper's strengths are
   * `gammas`; every other method's are in `strengths`. The baseline (the plain fit: the paper's
   * γc = 0) is solved for every (n1/n, seed) whatever the methods.
   */
  methods?: readonly MethodName[];
  /** Strengths s of the methods other than the paper's (math.md §9; s = 0 allowed). */
  strengths?: Partial<Record<MethodName, readonly number[]>>;
  /** τ-target's target gap t (absent: the objective's default). */
  tauTarget?: number;
  /** n1/n values in (0, 1). */
  fractions: number[];
  /** Number of tag seeds per (γc, n1/n): seeds seedBase, seedBase+1, … */
  seeds: number;
  /** First tag seed (default 1). */
  seedBase?: number;
  reading: Reading;
  solver: SolverOptions;
  /** Start point for every cell (default 0). */
  x0?: Float64Array;
}

/** One solved cell. */
export interface SweepCell {
  /** The protection method (the baseline is the paper's at γc = 0: the plain fit). */
  method: MethodName;
  /** γc for the paper's method, else the method's strength s. */
  gammaC: number;
  fraction: number;
  seed: number;
  n1: number;
  tau: number;
  l1PerN1: number;
  l2PerN2: number;
  L: number;
  iterations: number;
  converged: boolean;
  status: SolveStatus;
  reason?: string;
  /** Why the cell stopped, for code (e.g. 'precision': converged to the engine's precision). */
  cause?: StopCause;
  /** τ of the γc = 0 baseline with the same tags. */
  baselineTau: number;
}

/** min / mean / max over seeds. */
export interface Band {
  min: number;
  mean: number;
  max: number;
}

/** One (method, strength, n1/n) point aggregated over seeds. */
export interface SweepSummaryRow {
  method: MethodName;
  gammaC: number;
  fraction: number;
  tau: Band;
  l1PerN1: Band;
  l2PerN2: Band;
  baselineTau: Band;
  converged: number;
  seeds: number;
}

export interface SweepResult {
  cells: SweepCell[];
  summary: SweepSummaryRow[];
  /** Number of configurations solved in the one batch (grid + baselines). */
  batchSize: number;
  elapsedMs: number;
}

export interface SweepProgress {
  done: number;
  total: number;
  iteration: number;
}

interface Slot {
  method: MethodName;
  gammaC: number;
  fraction: number;
  seed: number;
}

/** The methods a spec solves, the paper's first (the default: the paper's only). */
export function sweepMethods(spec: Pick<SweepSpec, 'methods'>): MethodName[] {
  const asked = spec.methods ?? ['paper'];
  return (Object.keys(METHODS) as MethodName[]).filter((m) => asked.includes(m));
}

/**
 * Every (method, strength) a spec solves, in order: the baseline (the paper's γc = 0) first, the
 * paper's γc values, then each other method's strengths, sorted and de-duplicated.
 */
export function sweepStrengthSlots(
  spec: Pick<SweepSpec, 'gammas' | 'methods' | 'strengths'>,
): { method: MethodName; gammaC: number }[] {
  const slots: { method: MethodName; gammaC: number }[] = [{ method: 'paper', gammaC: 0 }];
  for (const method of sweepMethods(spec)) {
    const list = method === 'paper' ? spec.gammas : (spec.strengths?.[method] ?? []);
    for (const s of [...new Set(list)].sort((a, b) => a - b))
      if (!(method === 'paper' && s === 0)) slots.push({ method, gammaC: s });
  }
  return slots;
}

/** Validates a spec, throwing an Error that says what is wrong. */
export function validateSweepSpec(spec: SweepSpec): void {
  const methods = sweepMethods(spec);
  for (const m of spec.methods ?? []) if (!(m in METHODS)) throw new Error(`sweep: unknown method "${m}"`);
  if (methods.length === 0) throw new Error('sweep: give at least one method');
  if (methods.includes('paper') && !spec.gammas.length) throw new Error('sweep: give at least one γc value');
  for (const m of methods) {
    if (m === 'paper') continue;
    const list = spec.strengths?.[m] ?? [];
    if (!list.length) throw new Error(`sweep: give at least one strength for ${m}`);
    const { min, max } = METHODS[m].strength;
    for (const v of list)
      if (!(v >= min && v <= max))
        throw new Error(`sweep: ${m} strengths must be in [${min}, ${max}], got ${v}`);
    if (!METHODS[m].bothReadings && spec.reading !== 'global')
      throw new Error(`sweep: ${m} is defined under the global reading only`);
  }
  if (!spec.fractions.length) throw new Error('sweep: give at least one n1/n value');
  for (const g of spec.gammas)
    if (!(g >= 0) || !Number.isFinite(g)) throw new Error(`sweep: γc must be ≥ 0, got ${g}`);
  for (const f of spec.fractions)
    if (!(f > 0 && f < 1)) throw new Error(`sweep: n1/n must be in (0, 1), got ${f}`);
  if (!Number.isInteger(spec.seeds) || spec.seeds < 1)
    throw new Error(`sweep: seeds must be a positive integer, got ${spec.seeds}`);
}

function band(values: number[]): Band {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return { min: NaN, mean: NaN, max: NaN };
  return {
    min: Math.min(...finite),
    mean: finite.reduce((a, b) => a + b, 0) / finite.length,
    max: Math.max(...finite),
  };
}

/**
 * Runs the sweep as one batched solve. `onProgress` is called after every batched iteration;
 * `onCell` once per grid cell when it stops (cells finish at different iterations).
 * `signal` aborts between iterations (remaining cells are reported as stopped).
 */
export async function runSweep(
  engine: Engine,
  spec: SweepSpec,
  hooks: {
    onProgress?: (p: SweepProgress) => void;
    onCell?: (c: SweepCell) => void;
    signal?: AbortSignal;
  } = {},
): Promise<SweepResult> {
  validateSweepSpec(spec);
  const start = globalThis.performance.now();
  const { n, d } = engine.dataset;
  const seedBase = spec.seedBase ?? 1;
  const strengthSlots = sweepStrengthSlots(spec);
  const slots: Slot[] = [];
  const configs: ObjectiveConfig[] = [];
  const masks = new Map<string, Uint8Array>();
  for (const fraction of spec.fractions) {
    for (let s = 0; s < spec.seeds; s++) {
      const seed = seedBase + s;
      // One mask object per (fraction, seed), shared by its γc values so engines can cache it.
      const mask = applyTagRule({ kind: 'random', fraction, seed }, n);
      masks.set(`${fraction}/${seed}`, mask);
      for (const { method, gammaC } of strengthSlots) {
        slots.push({ method, gammaC, fraction, seed });
        const config: ObjectiveConfig = { gammaC, mask, reading: spec.reading };
        if (method !== 'paper') config.method = method;
        if (method === 'tau-target' && spec.tauTarget !== undefined) config.tauTarget = spec.tauTarget;
        configs.push(config);
      }
    }
  }
  const x0 = spec.x0 ?? new Float64Array(d);
  const solver = new BatchSolver(engine, configs, x0, spec.solver);
  const reported = new Set<number>();
  // Index of each cell's γc = 0 baseline (same fraction and seed), found once.
  const baselineOf = slots.map((slot) =>
    slots.findIndex(
      (o) => o.method === 'paper' && o.gammaC === 0 && o.fraction === slot.fraction && o.seed === slot.seed,
    ),
  );

  const toCell = (k: number, results: SolveResult[]): SweepCell => {
    const r = results[k];
    const slot = slots[k];
    const { n1, n2 } = r.parts;
    return {
      ...slot,
      n1,
      tau: r.parts.tau,
      l1PerN1: r.parts.l1 / n1,
      l2PerN2: r.parts.l2 / n2,
      L: r.parts.L,
      iterations: r.iterations,
      converged: r.converged,
      status: r.status,
      reason: r.reason,
      cause: r.cause,
      baselineTau: results[baselineOf[k]].parts.tau,
    };
  };

  let iteration = 0;
  while (!solver.done) {
    if (hooks.signal?.aborted) solver.cancel('sweep cancelled');
    else {
      await solver.step();
      iteration++;
    }
    const results = solver.results();
    results.forEach((r, k) => {
      // A cell is reported once it and its baseline have both stopped.
      if (!reported.has(k) && r.status !== 'running' && results[baselineOf[k]].status !== 'running') {
        reported.add(k);
        hooks.onCell?.(toCell(k, results));
      }
    });
    hooks.onProgress?.({ done: reported.size, total: slots.length, iteration });
  }
  const results = solver.results();
  const cells = slots.map((_, k) => toCell(k, results));
  const summary: SweepSummaryRow[] = [];
  for (const fraction of spec.fractions) {
    for (const { method, gammaC } of strengthSlots) {
      const group = cells.filter(
        (c) => c.fraction === fraction && c.method === method && c.gammaC === gammaC,
      );
      summary.push({
        method,
        gammaC,
        fraction,
        tau: band(group.map((c) => c.tau)),
        l1PerN1: band(group.map((c) => c.l1PerN1)),
        l2PerN2: band(group.map((c) => c.l2PerN2)),
        baselineTau: band(group.map((c) => c.baselineTau)),
        converged: group.filter((c) => c.converged).length,
        seeds: group.length,
      });
    }
  }
  return { cells, summary, batchSize: configs.length, elapsedMs: globalThis.performance.now() - start };
}

/** Cells as CSV (header + one row per cell), numbers at full precision. */
export function sweepCellsToCsv(cells: SweepCell[]): string {
  const cols = [
    'method',
    'gammaC',
    'fraction',
    'seed',
    'n1',
    'tau',
    'l1PerN1',
    'l2PerN2',
    'L',
    'iterations',
    'converged',
    'status',
    'baselineTau',
  ] as const;
  const lines = [cols.join(',')];
  for (const c of cells) lines.push(cols.map((k) => String(c[k])).join(','));
  return lines.join('\n') + '\n';
}
