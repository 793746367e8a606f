/**
 * The progress channel: per-iteration records of the current run, outside React and outside the
 * zustand store, so thousands of iterations per second cost no re-renders. Plots subscribe and
 * redraw at most once per animation frame (see plots/use-frame-redraw.ts).
 */
import type { IterationRecord } from '../../src/solve/solvers';
import type { RunSummary } from './protocol';

type Listener = () => void;

/** Per-configuration history and the latest iterate of each configuration. */
export class ProgressChannel {
  /** histories[k] = records of configuration k (0 = the run, 1 = the γc = 0 twin). */
  histories: IterationRecord[][] = [];
  /** Latest iterate of each configuration (for the per-row plots). */
  current: RunSummary[] = [];
  /** Bumped on every change, so subscribers can skip redundant redraws. */
  version = 0;
  /** Solver milliseconds per iteration over the run so far (NaN until measured). */
  msPerIteration = NaN;
  private computeMs = 0;
  private steps = 0;
  private readonly listeners = new Set<Listener>();

  /** Forgets everything (new run or reset). */
  reset(configs: number): void {
    this.histories = Array.from({ length: configs }, () => []);
    this.current = [];
    this.msPerIteration = NaN;
    this.computeMs = 0;
    this.steps = 0;
    this.notify();
  }

  /** Appends a batch of steps (one array per step, one entry per configuration). */
  push(steps: (IterationRecord | null)[][], current: RunSummary[], computeMs: number): void {
    for (const step of steps) {
      step.forEach((rec, k) => {
        if (rec) (this.histories[k] ??= []).push(rec);
      });
    }
    this.current = current;
    // Iteration 0 only evaluates the start point; it is not an iteration of the method.
    const counted = steps.filter((s) => s.some((r) => r !== null && r.iter > 0)).length;
    if (counted > 0) {
      this.computeMs += computeMs;
      this.steps += counted;
      this.msPerIteration = this.computeMs / this.steps;
    }
    this.notify();
  }

  /** Calls `fn` after every change; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }
}

/** The page's progress channel. */
export const progress = new ProgressChannel();
