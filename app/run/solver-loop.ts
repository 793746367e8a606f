/**
 * Play / pause / step around a BatchSolver. The same class runs inside the CPU Web Worker and on
 * the GPU worker for the GPU engine, so both backends behave identically. Progress is batched
 * into one message per ~33 ms whatever the iteration rate, and the loop yields to the event loop
 * at each flush so a pause (a message in the worker, a click on the page) is seen promptly.
 * With a playback speed (iterations per second) each iteration is sent on its own and the loop
 * waits out the rest of its time slot, so a class can follow Newton's few steps one by one.
 */
import type { BatchSolver, IterationRecord, SolveResult } from '../../src/solve/solvers';
import type { LoopEvent, RunSummary } from './protocol';

/** How often progress is sent while playing (ms). */
const FLUSH_MS = 33;

function summarize(r: SolveResult): RunSummary {
  return {
    x: r.x,
    parts: r.parts,
    iterations: r.iterations,
    status: r.status,
    reason: r.reason ?? '',
    cause: r.cause,
    precision: r.precision,
    gradNorm: r.gradNorm,
  };
}

/** Lets queued messages and events run (a macrotask, unlike `await` on a resolved promise). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Play / pause / step control of one batch run; emits LoopEvents. */
export class SolverLoop {
  private playing = false;
  private busy = false;
  private finished = false;
  /** Configurations known to have stopped (their records are null from then on). */
  private readonly stopped = new Set<number>();
  /** Work waiting for the iteration in flight to finish (see betweenSteps). */
  private queued: (() => void)[] = [];
  /** Iterations per second while playing; 0 = as fast as possible. */
  private speed = 0;
  /** Ends the wait between paced iterations early (pause, new speed, dispose). */
  private wake: (() => void) | null = null;

  /**
   * @param solver the batch (run, and its twin when on) to step.
   * @param emit receives every event for the page.
   */
  constructor(
    private readonly solver: BatchSolver,
    private readonly emit: (event: LoopEvent) => void,
  ) {}

  /** Sets the playback speed (iterations per second; 0 = as fast as possible), also mid-play. */
  setSpeed(iterationsPerSecond: number): void {
    this.speed = Number.isFinite(iterationsPerSecond) && iterationsPerSecond > 0 ? iterationsPerSecond : 0;
    this.wakeUp();
  }

  /** Steps until done or paused. */
  play(): void {
    if (this.finished) return;
    this.playing = true;
    this.emit({ type: 'state', state: 'running' });
    if (!this.busy) void this.pump(Infinity);
  }

  /** Stops after the current iteration. */
  pause(): void {
    this.playing = false;
    this.wakeUp();
    if (!this.busy && !this.finished) this.emit({ type: 'state', state: 'paused' });
  }

  /** One iteration for every active configuration (ignored while playing). */
  step(): void {
    if (this.busy || this.finished) return;
    void this.pump(1);
  }

  /**
   * Runs `fn` between iterations: now when idle, else right after the iteration in flight (e.g.
   * swapping the engine after a lost GPU device, which must not interleave with a step).
   */
  betweenSteps(fn: () => void): void {
    if (this.busy) this.queued.push(fn);
    else fn();
  }

  /** Stops for good (reset or new settings); the loop will not emit again. */
  dispose(): void {
    this.playing = false;
    this.finished = true;
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Waits `ms`, or less if woken (pause, speed change, dispose). */
  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async pump(limit: number): Promise<void> {
    this.busy = true;
    let pending: (IterationRecord | null)[][] = [];
    let computeMs = 0;
    let lastFlush = performance.now();
    const flush = (): void => {
      if (pending.length === 0) return;
      const current = this.solver.results().map(summarize);
      this.emit({ type: 'progress', steps: pending, current, computeMs });
      pending = [];
      computeMs = 0;
    };
    try {
      let count = 0;
      while (!this.finished && !this.solver.done && count < limit && (limit !== Infinity || this.playing)) {
        const started = performance.now();
        this.drainQueued();
        const records = await this.solver.step();
        computeMs += performance.now() - started;
        pending.push(records);
        count++;
        if (this.checkHalted(records, flush)) break;
        if (limit === Infinity && this.speed > 0 && !this.solver.done) {
          // Paced playback: show this iteration now, then wait out the rest of its slot.
          flush();
          const slotMs = 1000 / this.speed;
          const left = slotMs - (performance.now() - started);
          if (left > 0) await this.wait(left);
          else await yieldToEventLoop();
          lastFlush = performance.now();
          continue;
        }
        if (performance.now() - lastFlush > FLUSH_MS) {
          flush();
          await yieldToEventLoop();
          lastFlush = performance.now();
        }
      }
      if (this.finished) return;
      flush();
      if (this.solver.done) {
        this.finished = true;
        this.playing = false;
        this.emit({ type: 'done', results: this.solver.results().map(summarize) });
      } else if (!this.playing || limit !== Infinity) {
        this.playing = false;
        this.emit({ type: 'state', state: 'paused' });
      }
    } catch (e) {
      // After dispose() the run is gone: a step that fails because its engine was released with
      // it (e.g. row shards closed) is not news for the page.
      const disposed = this.finished;
      this.finished = true;
      this.playing = false;
      if (!disposed) this.emit({ type: 'error', message: friendlyError(e) });
    } finally {
      this.busy = false;
      this.drainQueued();
    }
  }

  private drainQueued(): void {
    const work = this.queued;
    this.queued = [];
    for (const fn of work) fn();
  }

  /**
   * A configuration that diverged while another still runs: pause so the user sees the iteration
   * and the reason instead of a curve that silently ends. Returns true when it paused.
   */
  private checkHalted(records: (IterationRecord | null)[], flush: () => void): boolean {
    if (this.solver.done) return false;
    const fresh = records.map((r, k) => (r === null && !this.stopped.has(k) ? k : -1)).filter((k) => k >= 0);
    if (fresh.length === 0) return false;
    // results() copies the histories, so it is called only when a configuration has just stopped.
    const results = this.solver.results();
    for (const k of fresh) {
      this.stopped.add(k);
      if (results[k].status === 'diverged') {
        flush();
        this.playing = false;
        this.emit({ type: 'halted', index: k, summary: summarize(results[k]) });
        return true;
      }
    }
    return false;
  }
}

/** One sentence for people; never a stack trace. */
export function friendlyError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return `The solver stopped because of an internal error: ${text.split('\n')[0]}`;
}
