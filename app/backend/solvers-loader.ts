/**
 * Loads the main-thread solvers (main-thread-solvers.ts) once, for the first GPU run or sweep. A
 * failed load is forgotten, so the next run tries again.
 */
export type MainThreadSolvers = typeof import('./main-thread-solvers');

let loading: Promise<MainThreadSolvers> | null = null;

/** BatchSolver, SolverLoop and runSweep for the GPU engine on this thread. */
export function loadMainThreadSolvers(): Promise<MainThreadSolvers> {
  loading ??= import('./main-thread-solvers');
  const mine = loading;
  mine.catch(() => {
    if (loading === mine) loading = null;
  });
  return mine;
}
