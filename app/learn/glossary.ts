/**
 * The glossary: every symbol the page uses, with a short plain-language explanation. This table is
 * the single source of truth for <Term> (app/learn/Term.tsx); its keys are the `TermId` union, so
 * the type checker rejects a <Term id> that is not explained here.
 *
 * The math it describes: f(x) = softmax(Ax) is fitted to b over the n rows of A, and the solver
 * minimises L = ½ℓ + γc/ℓ1 + ½‖w∘Ax‖², with τ = ℓ1/n1 − ℓ2/n2 as the measure of protection.
 */
import { MIN_SHARDED_ROWS } from '../../src/math/row-kernels';

/** One glossary entry. */
export interface GlossaryEntry {
  /** The symbol as the page writes it. */
  symbol: string;
  /** A short name, for lists and for screen readers. */
  name: string;
  /** One or two plain sentences. */
  text: string;
}

/** The glossary, keyed by term id. */
export const GLOSSARY = {
  L: {
    symbol: 'L',
    name: 'the objective',
    text: 'What the solver minimises: L = ½ℓ + γc/ℓ1 + ½‖w∘Ax‖², that is half the squared error, plus the protection term, plus the regularisation.',
  },
  f: {
    symbol: 'f',
    name: 'the model output',
    text: "The model's output f = softmax(Ax): one probability per row, all of them summing to 1. It is fitted to the target b.",
  },
  A: {
    symbol: 'A',
    name: 'the data matrix',
    text: 'The data: one row of d features per data point, n rows in all.',
  },
  b: {
    symbol: 'b',
    name: 'the target',
    text: 'The target distribution: one non-negative number per row, summing to 1, which softmax(Ax) should reproduce.',
  },
  x: {
    symbol: 'x',
    name: 'the parameters',
    text: 'The d numbers the solver adjusts. x0 is where it starts.',
  },
  d: {
    symbol: 'd',
    name: 'number of features',
    text: 'The number of features (columns of A), which is also the number of parameters in x.',
  },
  method: {
    symbol: 'method',
    name: 'protection method',
    text: 'How the loss keeps the model from fitting the copyrighted rows: the paper’s γc/ℓ1, or an alternative from math.md §9 (reweighting, gradient ascent, a log barrier, a τ target). Each has one strength s; the twin is always the plain fit.',
  },
  gammaC: {
    symbol: 'γc',
    name: 'protection weight',
    text: 'The weight of the protection term γc/ℓ1 in L. Larger γc pushes harder against fitting the copyrighted rows well; γc = 0 turns protection off.',
  },
  l: {
    symbol: 'ℓ',
    name: 'squared error',
    text: 'The squared error over all rows, ℓ = Σ (f_i − b_i)²: how far the model output f is from the target b.',
  },
  l1: {
    symbol: 'ℓ1',
    name: 'error on the copyrighted rows',
    text: 'The squared error on the n1 copyrighted rows only. The term γc/ℓ1 grows as ℓ1 shrinks, so minimising L keeps ℓ1 away from 0.',
  },
  l2: {
    symbol: 'ℓ2',
    name: 'error on the other rows',
    text: 'ℓ2 = ℓ − ℓ1, the error on the other n2 rows. Under the "separate" reading of f1 it is not a sum of squares and can be negative.',
  },
  n: {
    symbol: 'n',
    name: 'number of rows',
    text: 'The number of rows (data points) in the data.',
  },
  n1: {
    symbol: 'n1',
    name: 'copyrighted rows',
    text: 'The number of rows tagged as copyrighted.',
  },
  n2: {
    symbol: 'n2',
    name: 'other rows',
    text: 'The number of rows not tagged as copyrighted: n2 = n − n1.',
  },
  fraction: {
    symbol: 'n1/n',
    name: 'share of copyrighted rows',
    text: 'The share of the rows that is tagged as copyrighted.',
  },
  tau: {
    symbol: 'τ',
    name: 'protection measure',
    text: 'τ = ℓ1/n1 − ℓ2/n2: how much worse, per row, the copyrighted rows are fitted than the others. Larger τ means more protection.',
  },
  tauC: {
    symbol: 'τ_c',
    name: "the paper's claimed bound",
    text: "The paper's claimed lower bound on τ, τ_c = √(2γc)/n1 − ε2/n2 (Theorem 16). It is a heuristic, not a guarantee: τ can end up below it.",
  },
  eps2: {
    symbol: 'ε2',
    name: 'error on the other rows in the bound',
    text: "The error on the non-copyrighted rows in the paper's bound τ_c; here it is the measured ℓ2.",
  },
  twin: {
    symbol: 'twin',
    name: 'the unprotected baseline',
    text: 'The same run with γc = 0: the unprotected baseline, on the same data, tags and start point. Comparing τ with the twin shows what protection adds.',
  },
  f1: {
    symbol: 'f1',
    name: 'the reading of f1',
    text: "The model output on the copyrighted rows, used for ℓ1. Global: the copyrighted entries of the softmax over all rows; separate: a softmax over the copyrighted rows alone (the paper's Lemma 10 taken literally).",
  },
  w: {
    symbol: 'w',
    name: 'regularisation weights',
    text: 'One weight per row in the regularisation ½‖w∘Ax‖², which keeps the scores Ax small. Generated data: w_i = ρ·u_i/n with u_i drawn from U[0.5, 1.5), so its weight relative to the fit does not change with n.',
  },
  rho: {
    symbol: 'ρ',
    name: 'regularisation strength',
    text: "The regularisation strength. For generated data w_i = ρ·u_i/n (u_i from U[0.5, 1.5)); for an uploaded CSV ρ multiplies the file's w column.",
  },
  lambdaMin: {
    symbol: 'λ_min',
    name: 'smallest Hessian eigenvalue',
    text: 'The smallest eigenvalue of the Hessian ∇²L at the current point. Above 0 means L is locally convex there.',
  },
  gradNorm: {
    symbol: '‖∇L‖',
    name: 'gradient norm',
    text: 'The length of the gradient of L: 0 at a minimum. The run stops when it falls below the tolerance, or, in float32 (WebGPU), when L stops changing with ‖∇L‖ at the precision floor (converged to float32 precision).',
  },
  newtonCg: {
    symbol: 'Newton-CG',
    name: 'truncated Newton with conjugate gradients',
    text: 'Newton steps found by conjugate gradients from Hessian-vector products, never forming the d×d Hessian: cheaper than Newton when d is large. Where the Hessian has negative curvature it is damped (∇²L + μI), as Newton does.',
  },
  cpuKernels: {
    symbol: 'CPU kernels',
    name: 'how the CPU engine reads the data',
    text: `The float64 passes over the data run as WebAssembly SIMD where the browser has it, else as plain JavaScript. From ${MIN_SHARDED_ROWS.toLocaleString('en')} rows they are split over the cores but one (row shards), with sums added in a fixed order: the same results to the last digit on any number of cores.`,
  },
} as const satisfies Record<string, GlossaryEntry>;

/** The id of a glossary entry. */
export type TermId = keyof typeof GLOSSARY;

/** Every term id, in table order. */
export const TERM_IDS = Object.keys(GLOSSARY) as TermId[];
