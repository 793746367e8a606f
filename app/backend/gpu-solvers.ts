/**
 * The solvers the GPU worker runs with the GPU engine (a run's BatchSolver in its SolverLoop, a
 * sweep's runSweep), loaded by gpu-session.ts with the first GPU run or sweep: the worker starts
 * at page load to probe WebGPU, and a page that runs on the CPU worker never needs these there.
 */
export { runSweep } from '../../src/engine/sweep';
export { BatchSolver } from '../../src/solve/solvers';
export { SolverLoop } from '../run/solver-loop';
