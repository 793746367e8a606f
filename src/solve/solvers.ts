/**
 * Solvers for the copyright-regression objective, written against the Engine interface so the same
 * code drives the float64 CPU engine and the float32 GPU engine. Every solver runs a *batch* of
 * configurations in lock step (a run and its γc = 0 twin, or a whole sweep): each engine call
 * evaluates all of them at once, which is what lets a GPU read A once per step for all configs.
 *
 * The methods (newton, gd, sketched, newton-cg) are strategies (solver-strategies.ts): each says
 * which Hessian it wants, its search direction and its first trial step. BatchSolver owns the rest:
 * an Armijo backtracking line search on L, the ℓ1 guard and the stopping rules.
 *
 * Steps that make L non-finite or drive ℓ1 to 0 (where γc/ℓ1 blows up) are rejected. A run stops
 * on ‖∇L‖ ≤ tol, at maxIter, when it can make no more progress at the engine's precision (then
 * 'converged' to that precision when ‖∇L‖ is within the precision floor, see
 * {@link effectiveTolerance}, else 'stalled'), or with 'diverged' (and the iteration and reason) on
 * NaN/Inf, keeping the last good iterate. A start where γc > 0 and ℓ1 = 0 (to the engine's
 * precision) cannot be run at all (γc/ℓ1 is infinite there) and says so.
 *
 * Everything derived from the engine's precision (line-search slack, ℓ1 guard, no-progress test,
 * precision floor) is read from the engine in use at the time, so it follows replaceEngine.
 */
import type { Engine, EvalOptions, EvalRequest } from '../engine/engine';
import { lambdaMin } from '../math/eigen';
import { dot, norm2 } from '../math/linalg';
import { methodOf } from '../math/methods';
import { createStrategy, type SolverStrategy } from './solver-strategies';
import type { Evaluation, LossParts, ObjectiveConfig } from '../math/types';

export * from './solver-options';
import {
  DEFAULT_MAX_ITER,
  DEFAULT_SKETCH_SEED,
  defaultL1Floor,
  effectiveTolerance,
  enginePrecision,
  needsL1Guard,
  PRECISION_FLOOR_FACTOR,
  unitRoundoff,
  type EnginePrecision,
  type SolverOptions,
} from './solver-options';

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
  /** Hessian-vector products (CG iterations) Newton-CG spent on the direction at the previous point. */
  cgIterations?: number;
  /** Milliseconds since the solver started. */
  elapsedMs: number;
}

export type SolveStatus = 'running' | 'converged' | 'max-iter' | 'stalled' | 'diverged';

/**
 * Why a run stopped, for code (the reason says it for people):
 * - tolerance: ‖∇L‖ ≤ tol (status 'converged');
 * - precision: no more progress at the engine's precision with ‖∇L‖ ≤ {@link effectiveTolerance}
 *   (status 'converged': "converged to float32 precision");
 * - max-iter: the iteration limit;
 * - no-progress: no more progress at the engine's precision, ‖∇L‖ above the floor ('stalled');
 * - cancelled: stopped by the caller ('stalled');
 * - non-finite: NaN/Inf in L, ∇L, the Hessian or a direction, or a fixed step that overshot
 *   ('diverged');
 * - invalid-start: γc > 0 and ℓ1 = 0 at the start, where γc/ℓ1 is infinite; no step was taken
 *   ('diverged'; the advice is in the reason, not "try another solver").
 */
export type StopCause =
  'tolerance' | 'precision' | 'max-iter' | 'no-progress' | 'cancelled' | 'non-finite' | 'invalid-start';

export interface SolveResult {
  /** The last good iterate. */
  x: Float64Array;
  parts: LossParts;
  iterations: number;
  converged: boolean;
  status: SolveStatus;
  /** Why the run stopped, for people (always set once stopped). */
  reason?: string;
  /** Why the run stopped, for code (always set once stopped). */
  cause?: StopCause;
  /** The precision of the engine the run ended on (it changes after a lost GPU device). */
  precision: EnginePrecision;
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
  cause?: StopCause;
  history: IterationRecord[];
  /** Last accepted step, to start the next GD line search from (×2). */
  lastStep: number;
  /** Damping used by the last Newton direction. */
  lastMu?: number;
  /** Hessian-vector products of the last Newton-CG direction. */
  lastCg?: number;
}

interface Trial {
  state: RunState;
  dir: Float64Array;
  slope: number;
  t: number;
  accepted?: { x: Float64Array };
}

type ResolvedOptions = Required<Omit<SolverOptions, 'gdStep' | 'l1Floor' | 'cgNegativeCurvature'>> &
  Pick<SolverOptions, 'gdStep' | 'l1Floor' | 'cgNegativeCurvature'>;

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
  /** The engine precision the current evaluations were made at (null before the first step). */
  private evaluatedAt: EnginePrecision | null = null;
  private readonly states: RunState[];
  private readonly opts: ResolvedOptions;
  private readonly strategy: SolverStrategy;
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
    const defaults = {
      maxIter: DEFAULT_MAX_ITER[options.solver],
      tol: 1e-8,
      sketchRows: Math.min(n, 20 * d + 100),
      seed: DEFAULT_SKETCH_SEED,
      cgMaxIter: 2 * d,
      trackLambdaMin: d <= 128,
      armijoC: 1e-4,
      minStep: 1e-12,
      stallWindow: 5,
    };
    this.opts = { ...defaults, ...stripUndefined(options) } as ResolvedOptions;
    this.strategy = createStrategy(this.opts);
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

  /** Precision of the engine in use now (it changes with replaceEngine, or under a failover engine). */
  private get precision(): EnginePrecision {
    return enginePrecision(this.engine);
  }

  /** Unit roundoff of the engine in use now. */
  private get eps(): number {
    return unitRoundoff(this.precision);
  }

  /** The ℓ1 guard: the caller's, else the default for the engine in use now. */
  private get l1Floor(): number {
    return this.opts.l1Floor ?? defaultL1Floor(this.precision);
  }

  /**
   * Swaps the engine (e.g. to CpuEngine after a lost GPU device) without losing the runs: current
   * iterates and histories are kept, and the next step re-evaluates at the current points. Slack,
   * ℓ1 guard, no-progress test and precision floor follow the new engine's precision.
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
        s.cause = 'cancelled';
        s.reason = reason;
      }
    }
  }

  private async evaluate(
    states: RunState[],
    xs: Float64Array[],
    options: EvalOptions,
  ): Promise<Evaluation[]> {
    const batch: EvalRequest[] = states.map((s, k) => ({ x: xs[k], config: s.config }));
    return this.engine.evaluate(batch, options);
  }

  private stop(s: RunState, status: Exclude<SolveStatus, 'running'>, cause: StopCause, reason: string): void {
    s.status = status;
    s.cause = cause;
    s.reason = reason;
  }

  /**
   * ℓ1 that is zero to the engine's precision: ((n + 8)·u)²·Σ_{copyrighted i} b_i². At a point
   * that fits the copyrighted rows, f_i = softmax(Ax)_i carries a relative rounding error of at
   * most (n − 1)·u from summing n exponentials plus a few u from exp, the division and f_i − b_i;
   * an ℓ1 below this bound cannot be told from 0. (Real data sits many orders above it: the
   * default generator has ℓ1(0) ≈ 4e-5…6e-4 for n = 200…50,000, against a bound ≤ 3e-9 in float32 at
   * n = 50,000.) 0 when no row is tagged.
   */
  private l1Resolution(config: ObjectiveConfig): number {
    const { b, n } = this.engine.dataset;
    let sum = 0;
    for (let i = 0; i < b.length; i++) if (config.mask[i]) sum += b[i] * b[i];
    const rel = (n + 8) * this.eps;
    return rel * rel * sum;
  }

  /**
   * A start where γc > 0 and ℓ1 is 0 to the engine's precision: γc/ℓ1 is infinite (or only rounding
   * keeps it finite), so no step can be measured from there. Returns the reason, or null for a start
   * that can be run. A small but resolved ℓ1 is left to the line search and its ℓ1 guard.
   */
  private invalidStart(s: RunState, ev: Evaluation): string | null {
    const method = methodOf(s.config);
    if (method.name === 'tau-target' && s.config.gammaC > 0 && (ev.n1 === 0 || ev.n2 === 0))
      return `cannot start: the τ target needs both copyrighted and free rows (τ = ℓ1/n1 − ℓ2/n2), but ${ev.n1 === 0 ? 'no row is' : 'every row is'} tagged copyrighted. Change the tags, or set s = 0`;
    if (!needsL1Guard(s.config) || !(ev.l1 <= this.l1Resolution(s.config))) return null;
    const paper = method.name === 'paper';
    const strength = paper ? `γc = ${s.config.gammaC}` : `s = ${s.config.gammaC}`;
    const term = paper ? 'γc/ℓ1' : '−s·log ℓ1';
    const zero = paper ? 'set γc = 0' : 'set s = 0';
    if (ev.n1 === 0)
      return `cannot start: ${strength} > 0 but no row is tagged copyrighted, so ℓ1 = 0 and ${term} is infinite. Tag some rows, or ${zero}`;
    const l1 = ev.l1 === 0 ? 'ℓ1 = 0' : `ℓ1 = ${fmt(ev.l1)}, zero to ${this.precision} precision`;
    return `cannot start: at the start point the copyrighted rows are fitted exactly (${l1}), so ${term} is infinite (${strength}). Start from another point (a nonzero x0 seed), or ${zero}`;
  }

  /**
   * The run can make no more progress at the engine's precision: 'converged' to that precision when
   * ‖∇L‖ is within the effective tolerance, else 'stalled'. `what` says how it was seen.
   */
  private stopAtPrecision(s: RunState, gradNorm: number, L: number, what: string): void {
    const p = this.precision;
    const tol = this.opts.tol;
    const floor = effectiveTolerance(tol, p, L);
    if (gradNorm <= floor) {
      this.stop(
        s,
        'converged',
        'precision',
        `converged to ${p} precision: ${what}, with ‖∇L‖ = ${fmt(gradNorm)} within the ${p} floor ${fmt(floor)} = ${PRECISION_FLOOR_FACTOR}·u·(1 + |L|), u = ${p === 'float32' ? '2⁻²⁴' : '2⁻⁵³'} (tol ${fmt(tol)} is below what ${p} resolves)`,
      );
    } else {
      this.stop(
        s,
        'stalled',
        'no-progress',
        `${what}; stopped at ‖∇L‖ = ${fmt(gradNorm)} (tol ${fmt(tol)}; above the ${p} precision floor ${fmt(floor)})`,
      );
    }
  }

  /** Records the evaluation at the state's current point and checks the stopping rules. */
  private record(s: RunState, ev: Evaluation, step: number): IterationRecord | null {
    if (s.history.length === 0) {
      const why = this.invalidStart(s, ev);
      if (why) {
        // Keep the start's loss parts (ℓ1, ℓ2, τ there are finite and true); no history row.
        s.ev = ev;
        this.stop(s, 'diverged', 'invalid-start', why);
        return null;
      }
    }
    const grad = ev.grad;
    if (!grad || !Number.isFinite(ev.L) || !allFinite(grad) || (ev.hessian && !allFinite(ev.hessian))) {
      this.stop(
        s,
        'diverged',
        'non-finite',
        `iteration ${s.iter}: ${
          !Number.isFinite(ev.L) ? `L is ${ev.L}` : 'the gradient or Hessian has NaN/Inf entries'
        }; kept the last finite iterate`,
      );
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
    if (ev.hessian && this.strategy.exactHessian && this.opts.trackLambdaMin) {
      rec.lambdaMin = lambdaMin(ev.hessian, this.engine.dataset.d);
    }
    if (s.lastMu !== undefined) rec.damping = s.lastMu;
    if (s.lastCg !== undefined) rec.cgIterations = s.lastCg;
    s.history.push(rec);
    if (gradNorm <= this.opts.tol) {
      this.stop(
        s,
        'converged',
        'tolerance',
        `‖∇L‖ = ${fmt(gradNorm)} ≤ tol ${fmt(this.opts.tol)} after ${s.iter} iterations`,
      );
    } else if (s.iter >= this.opts.maxIter) {
      this.stop(
        s,
        'max-iter',
        'max-iter',
        `reached the iteration limit (${this.opts.maxIter}) with ‖∇L‖ = ${fmt(gradNorm)}`,
      );
    } else if (this.noProgress(s)) {
      this.stopAtPrecision(
        s,
        gradNorm,
        ev.L,
        `iteration ${s.iter}: L changed by less than its ${this.precision} resolution over ${this.opts.stallWindow} iterations`,
      );
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
      { gradient: true, hessian: this.strategy.hessian(0) },
    );
    stale.forEach((s, k) => {
      // Only the very first evaluation is a history row; a refresh after replaceEngine is not.
      if (s.history.length === 0) out[this.states.indexOf(s)] = this.record(s, evs[k], 0);
      else if (evs[k].grad && allFinite(evs[k].grad!) && Number.isFinite(evs[k].L)) s.ev = evs[k];
      else
        this.stop(
          s,
          'diverged',
          'non-finite',
          `iteration ${s.iter}: the new engine returned non-finite values`,
        );
    });
    return out;
  }

  private acceptable(s: RunState, trial: Trial, ev: Evaluation): boolean {
    if (!Number.isFinite(ev.L)) return false;
    if (needsL1Guard(s.config) && !(ev.l1 > this.l1Floor)) return false;
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
    // The engine's precision changed under us (a failover engine switched to the CPU after a lost
    // device, without replaceEngine): evaluations made at the old precision must not meet trial
    // points at the new one in the Armijo test, so every current point is evaluated again.
    const precision = this.precision;
    if (this.evaluatedAt !== null && this.evaluatedAt !== precision) for (const s of this.states) s.ev = null;
    this.evaluatedAt = precision;
    if (!this.initialized) {
      this.initialized = true;
      return this.refresh();
    }
    await this.refresh();
    const out: (IterationRecord | null)[] = this.states.map(() => null);
    const trials: Trial[] = [];
    const running = this.states.filter((s) => s.status === 'running');
    const directions = running.length
      ? await this.strategy.directions(
          this.engine,
          running.map((s) => ({ x: s.x, config: s.config, ev: s.ev! })),
        )
      : [];
    running.forEach((s, k) => {
      const direction = directions[k];
      if (!direction || !allFinite(direction.dir)) {
        this.stop(
          s,
          'diverged',
          'non-finite',
          `iteration ${s.iter}: could not compute a search direction (${this.strategy.directionFailure})`,
        );
        return;
      }
      if (direction.damping !== undefined) s.lastMu = direction.damping;
      if (direction.cgIterations !== undefined) s.lastCg = direction.cgIterations;
      const slope = dot(s.ev!.grad!, direction.dir);
      trials.push({ state: s, dir: direction.dir, slope, t: this.strategy.firstStep(s.lastStep) });
    });

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
        if (this.strategy.fixedStep) {
          const ev = evs[k];
          if (!Number.isFinite(ev.L) || (needsL1Guard(s.config) && !(ev.l1 > this.l1Floor))) {
            this.stop(
              s,
              'diverged',
              'non-finite',
              `iteration ${s.iter + 1}: the fixed step ${fmt(tr.t)} gave ${
                Number.isFinite(ev.L) ? `ℓ1 = ${fmt(ev.l1)} (γc/ℓ1 blows up)` : `L = ${ev.L}`
              }; kept the last finite iterate`,
            );
          } else tr.accepted = { x: xs[k] };
          return;
        }
        if (this.acceptable(s, tr, evs[k])) {
          tr.accepted = { x: xs[k] };
          return;
        }
        tr.t /= 2;
        if (tr.t < this.opts.minStep) {
          this.stopAtPrecision(
            s,
            norm2(s.ev!.grad!),
            s.ev!.L,
            `iteration ${s.iter + 1}: the line search found no decrease of L down to step ${fmt(
              this.opts.minStep,
            )}; L is flat at ${this.precision} precision`,
          );
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
        { gradient: true, hessian: this.strategy.hessian(nextIter) },
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
        cause: s.cause,
        precision: this.precision,
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
