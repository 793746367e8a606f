/**
 * Solvers for the copyright-regression objective, written against the Engine interface so the same
 * code drives the float64 CPU engine and the float32 GPU engine. Every solver runs a *batch* of
 * configurations in lock step (a run and its γc = 0 twin, or a whole sweep): each engine call
 * evaluates all of them at once, which is what lets a GPU read A once per step for all configs.
 *
 * - newton: damped Newton. Cholesky of ∇²L; if it fails, μI is added with μ ×10 until it succeeds
 *   (math.md §4.5); then Armijo backtracking on L.
 * - gd: gradient descent with Armijo backtracking (step grows ×2 after each accepted step), or a
 *   fixed step when `gdStep` is given.
 * - sketched: the DLS23 approximate Newton (math.md §2): the diagonal part of the Hessian is
 *   replaced by leverage-score row sampling, the low-rank part kept exact. The full step t = 1 is
 *   tried first (the DLS23 update), then backtracking guards it far from the optimum.
 *
 * Steps that make L non-finite or drive ℓ1 to 0 (where γc/ℓ1 blows up) are rejected. A run stops
 * on ‖∇L‖ ≤ tol, at maxIter, when the line search can make no progress, or with 'diverged' (and the
 * iteration and reason) on NaN/Inf, keeping the last good iterate.
 */
import type { Engine, EvalOptions, EvalRequest, HessianMode } from '../engine/engine';
import { dampedCholeskySolve, dot, lambdaMin, norm2 } from './linalg';
import type { Evaluation, LossParts, ObjectiveConfig } from './types';

export type SolverName = 'newton' | 'gd' | 'sketched';

export const SOLVER_NAMES: readonly SolverName[] = ['newton', 'gd', 'sketched'];

/** Default iteration limit of each solver: gradient descent needs many more, cheaper steps. */
export const DEFAULT_MAX_ITER: Readonly<Record<SolverName, number>> = {
  newton: 100,
  sketched: 100,
  gd: 5000,
};

export interface SolverOptions {
  solver: SolverName;
  /** Iteration limit (default 100 for newton/sketched, 5000 for gd). */
  maxIter?: number;
  /** Stop when ‖∇L‖₂ ≤ tol (default 1e-8). */
  tol?: number;
  /** Fixed GD step; omit for Armijo backtracking. */
  gdStep?: number;
  /** Expected number of rows the sketched Hessian samples (default min(n, 20·d + 100)). */
  sketchRows?: number;
  /** Seed for the sketch's row sampling (default 1). */
  seed?: number;
  /** Record λ_min(∇²L) on Newton iterations (default: when d ≤ 128; costs O(d³) per iteration). */
  trackLambdaMin?: boolean;
  /** Armijo sufficient-decrease constant (default 1e-4). */
  armijoC?: number;
  /** Smallest step the line search tries before giving up (default 1e-12). */
  minStep?: number;
  /** Trial points with ℓ1 ≤ this are rejected when γc > 0 (default 1e-12, or 1e-6 on a float32 engine). */
  l1Floor?: number;
  /**
   * Stop as 'stalled' when L changed by less than its resolution over this many iterations
   * (default 5): with a float32 engine ‖∇L‖ has a noise floor that a tight tol never reaches.
   */
  stallWindow?: number;
}

/** One row of a run's history. Iteration 0 is the starting point. */
export interface IterationRecord {
  iter: number;
  L: number;
  l: number;
  l1: number;
  l2: number;
  tau: number;
  gradNorm: number;
  /** Step length t accepted to reach this point (0 for iteration 0). */
  step: number;
  /** λ_min(∇²L) here (Newton with tracking). */
  lambdaMin?: number;
  /** Damping μ that the Newton solve needed at the previous point (0 = Hessian was PD). */
  damping?: number;
  /** Milliseconds since the solver started. */
  elapsedMs: number;
}

export type SolveStatus = 'running' | 'converged' | 'max-iter' | 'stalled' | 'diverged';

export interface SolveResult {
  /** The last good iterate. */
  x: Float64Array;
  parts: LossParts;
  iterations: number;
  converged: boolean;
  status: SolveStatus;
  /** Why the run stopped, for people (always set once stopped). */
  reason?: string;
  gradNorm: number;
  history: IterationRecord[];
}

interface RunState {
  config: ObjectiveConfig;
  x: Float64Array;
  ev: Evaluation | null;
  iter: number;
  status: SolveStatus;
  reason?: string;
  history: IterationRecord[];
  /** Last accepted GD step, to start the next line search from (×2). */
  lastStep: number;
  /** Damping used by the last Newton direction. */
  lastMu?: number;
}

interface Trial {
  state: RunState;
  dir: Float64Array;
  slope: number;
  t: number;
  accepted?: { x: Float64Array };
}

function allFinite(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : String(v);
}

/** Runs a batch of configurations in lock step; see the module comment. */
export class BatchSolver {
  private engine: Engine;
  private readonly states: RunState[];
  private readonly opts: Required<Omit<SolverOptions, 'gdStep'>> & { gdStep?: number };
  /** Unit roundoff of the engine's arithmetic. */
  private readonly eps: number;
  private readonly start = now();
  private initialized = false;

  /**
   * @param x0 one start for all configs, or one per config.
   */
  constructor(
    engine: Engine,
    configs: readonly ObjectiveConfig[],
    x0: Float64Array | Float64Array[],
    options: SolverOptions,
  ) {
    this.engine = engine;
    const { n, d } = engine.dataset;
    const f32 = engine.precision === 'float32';
    this.eps = f32 ? 2 ** -24 : 2 ** -53;
    const defaults = {
      maxIter: DEFAULT_MAX_ITER[options.solver],
      tol: 1e-8,
      sketchRows: Math.min(n, 20 * d + 100),
      seed: 1,
      trackLambdaMin: d <= 128,
      armijoC: 1e-4,
      minStep: 1e-12,
      l1Floor: f32 ? 1e-6 : 1e-12,
      stallWindow: 5,
    };
    this.opts = { ...defaults, ...stripUndefined(options) } as typeof this.opts;
    this.states = configs.map((config, k) => ({
      config,
      x: new Float64Array(Array.isArray(x0) ? x0[k] : x0),
      ev: null,
      iter: 0,
      status: 'running',
      history: [],
      lastStep: 1,
    }));
  }

  /** True when every configuration has stopped. */
  get done(): boolean {
    return this.states.every((s) => s.status !== 'running');
  }

  /**
   * Swaps the engine (e.g. to CpuEngine after a lost GPU device) without losing the runs: current
   * iterates and histories are kept, and the next step re-evaluates at the current points.
   */
  replaceEngine(engine: Engine): void {
    this.engine = engine;
    for (const s of this.states) s.ev = null;
  }

  /** Stops every run still going, with a reason (e.g. the user pressed stop). */
  cancel(reason = 'stopped by the user'): void {
    for (const s of this.states) {
      if (s.status === 'running') {
        s.status = 'stalled';
        s.reason = reason;
      }
    }
  }

  private hessianMode(iter: number): HessianMode {
    if (this.opts.solver === 'newton') return 'exact';
    if (this.opts.solver === 'sketched') {
      // A fresh sample each iteration, reproducible from (seed, iteration).
      const seed = Number.isSafeInteger(this.opts.seed + iter) ? this.opts.seed + iter : iter;
      return { sketch: { rows: this.opts.sketchRows, seed } };
    }
    return 'none';
  }

  private async evaluate(
    states: RunState[],
    xs: Float64Array[],
    options: EvalOptions,
  ): Promise<Evaluation[]> {
    const batch: EvalRequest[] = states.map((s, k) => ({ x: xs[k], config: s.config }));
    return this.engine.evaluate(batch, options);
  }

  /** Records the evaluation at the state's current point and checks the stopping rules. */
  private record(s: RunState, ev: Evaluation, step: number): IterationRecord | null {
    const grad = ev.grad;
    if (!grad || !Number.isFinite(ev.L) || !allFinite(grad) || (ev.hessian && !allFinite(ev.hessian))) {
      s.status = 'diverged';
      s.reason = `iteration ${s.iter}: ${
        !Number.isFinite(ev.L) ? `L is ${ev.L}` : 'the gradient or Hessian has NaN/Inf entries'
      }; kept the last finite iterate`;
      return null;
    }
    s.ev = ev;
    const gradNorm = norm2(grad);
    const rec: IterationRecord = {
      iter: s.iter,
      L: ev.L,
      l: ev.l,
      l1: ev.l1,
      l2: ev.l2,
      tau: ev.tau,
      gradNorm,
      step,
      elapsedMs: now() - this.start,
    };
    if (ev.hessian && this.opts.solver === 'newton' && this.opts.trackLambdaMin) {
      rec.lambdaMin = lambdaMin(ev.hessian, this.engine.dataset.d);
    }
    if (s.lastMu !== undefined) rec.damping = s.lastMu;
    s.history.push(rec);
    if (gradNorm <= this.opts.tol) {
      s.status = 'converged';
      s.reason = `‖∇L‖ = ${fmt(gradNorm)} ≤ tol ${fmt(this.opts.tol)} after ${s.iter} iterations`;
    } else if (s.iter >= this.opts.maxIter) {
      s.status = 'max-iter';
      s.reason = `reached the iteration limit (${this.opts.maxIter}) with ‖∇L‖ = ${fmt(gradNorm)}`;
    } else if (this.noProgress(s)) {
      s.status = 'stalled';
      s.reason = `iteration ${s.iter}: L changed by less than its ${
        this.engine.precision ?? 'float64'
      } resolution over ${this.opts.stallWindow} iterations; stopped at ‖∇L‖ = ${fmt(gradNorm)} (tol ${fmt(this.opts.tol)})`;
    }
    return rec;
  }

  /** True when L moved by less than ~16 ulps over the last `stallWindow` iterations. */
  private noProgress(s: RunState): boolean {
    const h = s.history;
    const w = this.opts.stallWindow;
    if (w <= 0 || h.length <= w) return false;
    const now = h[h.length - 1].L;
    return Math.abs(h[h.length - 1 - w].L - now) <= 16 * this.eps * Math.abs(now);
  }

  /** Evaluates (with derivatives) every running state that has no evaluation yet. */
  private async refresh(): Promise<(IterationRecord | null)[]> {
    const stale = this.states.filter((s) => s.status === 'running' && !s.ev);
    const out: (IterationRecord | null)[] = this.states.map(() => null);
    if (!stale.length) return out;
    const evs = await this.evaluate(
      stale,
      stale.map((s) => s.x),
      { gradient: true, hessian: this.hessianMode(0) },
    );
    stale.forEach((s, k) => {
      // Only the very first evaluation is a history row; a refresh after replaceEngine is not.
      if (s.history.length === 0) out[this.states.indexOf(s)] = this.record(s, evs[k], 0);
      else if (evs[k].grad && allFinite(evs[k].grad!) && Number.isFinite(evs[k].L)) s.ev = evs[k];
      else {
        s.status = 'diverged';
        s.reason = `iteration ${s.iter}: the new engine returned non-finite values`;
      }
    });
    return out;
  }

  /** Search direction for one state, or null when none can be computed. */
  private direction(s: RunState): Float64Array | null {
    const ev = s.ev!;
    const g = ev.grad!;
    const d = g.length;
    if (this.opts.solver === 'gd' || !ev.hessian) {
      return g.map((v) => -v);
    }
    const neg = g.map((v) => -v);
    const sol = dampedCholeskySolve(ev.hessian, d, neg);
    if (!sol) return null;
    s.lastMu = sol.mu;
    // A damped solve of an SPD system always gives a descent direction; guard rounding anyway.
    return dot(sol.x, g) < 0 ? sol.x : neg;
  }

  private acceptable(s: RunState, trial: Trial, ev: Evaluation): boolean {
    if (!Number.isFinite(ev.L)) return false;
    if (s.config.gammaC > 0 && !(ev.l1 > this.opts.l1Floor)) return false;
    const L0 = s.ev!.L;
    // Accept steps that are not worse than L's own rounding (≈1e-15·|L| in float64).
    const slack = Math.max(1e-15, 8 * this.eps) * Math.abs(L0);
    return ev.L <= L0 + this.opts.armijoC * trial.t * trial.slope + slack;
  }

  /**
   * One iteration for every running configuration. The first call evaluates the starting points
   * (iteration 0). Returns, per configuration (in constructor order), the new history row, or null
   * for configurations that did not produce one (already stopped, or stopped now).
   */
  async step(): Promise<(IterationRecord | null)[]> {
    if (!this.initialized) {
      this.initialized = true;
      return this.refresh();
    }
    await this.refresh();
    const out: (IterationRecord | null)[] = this.states.map(() => null);
    const trials: Trial[] = [];
    for (const s of this.states) {
      if (s.status !== 'running') continue;
      const dir = this.direction(s);
      if (!dir || !allFinite(dir)) {
        s.status = 'diverged';
        s.reason = `iteration ${s.iter}: could not compute a search direction (non-finite Hessian)`;
        continue;
      }
      const slope = dot(s.ev!.grad!, dir);
      const fixed = this.opts.solver === 'gd' && this.opts.gdStep !== undefined;
      const t = fixed ? this.opts.gdStep! : this.opts.solver === 'gd' ? s.lastStep * 2 : 1;
      trials.push({ state: s, dir, slope, t });
    }

    // Backtracking line search, all pending configurations evaluated together.
    let pending = trials;
    while (pending.length) {
      const xs = pending.map((tr) => tr.state.x.map((xi, j) => xi + tr.t * tr.dir[j]));
      const evs = await this.evaluate(
        pending.map((tr) => tr.state),
        xs,
        { gradient: false, hessian: 'none' },
      );
      const next: Trial[] = [];
      pending.forEach((tr, k) => {
        const s = tr.state;
        const fixed = this.opts.solver === 'gd' && this.opts.gdStep !== undefined;
        if (fixed) {
          const ev = evs[k];
          if (!Number.isFinite(ev.L) || (s.config.gammaC > 0 && !(ev.l1 > this.opts.l1Floor))) {
            s.status = 'diverged';
            s.reason = `iteration ${s.iter + 1}: the fixed step ${fmt(tr.t)} gave ${
              Number.isFinite(ev.L) ? `ℓ1 = ${fmt(ev.l1)} (γc/ℓ1 blows up)` : `L = ${ev.L}`
            }; kept the last finite iterate`;
          } else tr.accepted = { x: xs[k] };
          return;
        }
        if (this.acceptable(s, tr, evs[k])) {
          tr.accepted = { x: xs[k] };
          return;
        }
        tr.t /= 2;
        if (tr.t < this.opts.minStep) {
          s.status = 'stalled';
          s.reason = `iteration ${s.iter + 1}: the line search found no decrease of L down to step ${fmt(
            this.opts.minStep,
          )} (‖∇L‖ = ${fmt(norm2(s.ev!.grad!))}); L is flat at this precision`;
          return;
        }
        next.push(tr);
      });
      pending = next;
    }

    const moved = trials.filter((tr) => tr.accepted);
    if (moved.length) {
      // The sketch's sample is seeded by the iteration the new points will be.
      const nextIter = Math.max(...moved.map((tr) => tr.state.iter + 1));
      const evs = await this.evaluate(
        moved.map((tr) => tr.state),
        moved.map((tr) => tr.accepted!.x),
        { gradient: true, hessian: this.hessianMode(nextIter) },
      );
      moved.forEach((tr, k) => {
        const s = tr.state;
        const prevX = s.x;
        s.x = tr.accepted!.x;
        s.iter += 1;
        s.lastStep = tr.t;
        const rec = this.record(s, evs[k], tr.t);
        if (!rec) {
          s.x = prevX;
          s.iter -= 1;
        }
        out[this.states.indexOf(s)] = rec;
      });
    }
    return out;
  }

  /** Steps until every configuration stops; `onIteration` sees each step's rows. */
  async run(onIteration?: (records: (IterationRecord | null)[]) => void): Promise<SolveResult[]> {
    while (!this.done) {
      const recs = await this.step();
      onIteration?.(recs);
    }
    return this.results();
  }

  /** Current state of every run (final once `done`). */
  results(): SolveResult[] {
    return this.states.map((s) => {
      const last = s.history[s.history.length - 1];
      const ev = s.ev;
      const parts: LossParts = ev
        ? { L: ev.L, l: ev.l, l1: ev.l1, l2: ev.l2, reg: ev.reg, tau: ev.tau, n1: ev.n1, n2: ev.n2 }
        : { L: NaN, l: NaN, l1: NaN, l2: NaN, reg: NaN, tau: NaN, n1: NaN, n2: NaN };
      return {
        x: new Float64Array(s.x),
        parts,
        iterations: s.iter,
        converged: s.status === 'converged',
        status: s.status,
        reason: s.reason,
        gradNorm: last ? last.gradNorm : NaN,
        history: s.history.slice(),
      };
    });
  }
}

/** Solves one configuration from x0. */
export async function solve(
  engine: Engine,
  config: ObjectiveConfig,
  x0: Float64Array,
  options: SolverOptions,
  onIteration?: (record: IterationRecord) => void,
): Promise<SolveResult> {
  const solver = new BatchSolver(engine, [config], x0, options);
  const [result] = await solver.run((recs) => {
    if (recs[0] && onIteration) onIteration(recs[0]);
  });
  return result;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function now(): number {
  return globalThis.performance ? globalThis.performance.now() : Date.now();
}
