/**
 * The solvers the page runs on its own thread, for the GPU engine (a run's BatchSolver in its
 * SolverLoop, a sweep's runSweep), loaded with the first GPU run or sweep by solvers-loader.ts:
 * they bring ml-matrix's eigen-solver (λ_min), which a page that runs on the CPU worker never
 * needs on this thread.
 */
export { runSweep } from '../../src/engine/sweep';
export { BatchSolver } from '../../src/solve/solvers';
export { SolverLoop } from '../run/solver-loop';
