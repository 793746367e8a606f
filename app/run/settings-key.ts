/**
 * Keys of what a result depends on, compared entry by entry (by identity) on every store change:
 * a single run (run-sync.ts) and a sweep (sweep-controller.ts) are reset when theirs changes.
 */
import type { Settings } from '../store/settings';

/** The solver settings both a run and a sweep depend on: reading, solver and its options, start point. */
export function solveSettingsKey(t: Settings): unknown[] {
  return [t.reading, t.solver, t.tol, t.maxIter, t.gdStep, t.sketchRows, t.x0Seed];
}

/** Whether two keys differ in any entry. */
export function keysDiffer(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.some((v, i) => v !== b[i]);
}
