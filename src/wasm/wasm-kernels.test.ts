/**
 * The WebAssembly SIMD row kernels against the TypeScript reference on random inputs of odd sizes
 * (n and d not multiples of the 4-row pass or the 4×4 tile), with error bounds that hold for any
 * order of summation; and the committed binary against a fresh compile of its source.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matTVec, matVec, weightedGram } from '../math/linalg';
import { plainRowKernels } from '../math/row-kernels';
import { evaluateAt } from '../math/objective';
import { createRng } from '../data/prng';
import { randomProblem } from '../testing/random-problem';
import {
  createWasmRowKernels,
  gramChunkRows,
  MAX_VECTORS_PER_PASS,
  REDUCTION_BLOCK_ROWS,
  wasmSimdAvailable,
} from './wasm-kernels';
import { ROW_KERNELS_WASM_BASE64 } from './row-kernels.generated';

const EPS = 2 ** -52;

/** Uniform [0, 1) draws from the project's seeded generator. */
function rngFn(seed: number): () => number {
  const rng = createRng(seed, 11);
  return () => rng.next();
}

function randomArray(rand: () => number, length: number, zeros = 0): Float64Array {
  return Float64Array.from({ length }, () => (rand() < zeros ? 0 : 2 * rand() - 1));
}

/**
 * Checks |got − want| ≤ 2·m·ε·Σ|terms| entry by entry, where `want` is the plain sum and m the
 * number of terms: both sums are within m·ε·Σ|terms| of the exact one whatever their order
 * (Higham, Accuracy and Stability, §3.1), so they are within twice that of each other.
 */
function expectWithinSumBound(
  got: Float64Array,
  want: Float64Array,
  absTerms: Float64Array,
  m: number,
): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const bound = 2 * (m + 1) * EPS * absTerms[i];
    const err = Math.abs(got[i] - want[i]);
    if (err > bound) throw new Error(`entry ${i}: |${got[i]} − ${want[i]}| = ${err} > ${bound}`);
    worst = Math.max(worst, bound > 0 ? err / bound : 0);
  }
  expect(worst).toBeLessThanOrEqual(1);
}

const abs = (a: Float64Array) => a.map(Math.abs);

const SIZES: ReadonlyArray<[number, number]> = [
  [1, 1],
  [3, 2],
  [5, 3],
  [7, 5],
  [17, 7],
  [130, 8],
  [257, 33],
  [600, 65],
];

describe('WebAssembly SIMD row kernels', () => {
  it('is available on this Node (WebAssembly SIMD), so the rest of this file tests it', () => {
    expect(wasmSimdAvailable()).toBe(true);
  });

  it('the committed binary is a fresh compile of wasm/row-kernels.ts (run node scripts/build-wasm.mjs)', async () => {
    const { compileRowKernels, generatedModule, TARGET } = await import('../../scripts/build-wasm.mjs');
    const bytes = await compileRowKernels();
    expect(Buffer.from(bytes).toString('base64')).toBe(ROW_KERNELS_WASM_BASE64);
    expect(readFileSync(TARGET, 'utf8')).toBe(generatedModule(bytes));
  }, 60_000);

  for (const [n, d] of SIZES) {
    it(`A·x, Aᵀv and Aᵀdiag(δ)A match the reference within the summation bound, n = ${n}, d = ${d}`, () => {
      const rand = rngFn(1000 * n + d);
      const A = randomArray(rand, n * d);
      const absA = abs(A);
      const wasm = createWasmRowKernels(A, n, d);
      expect(wasm).not.toBeNull();
      const k = wasm!;

      const x = randomArray(rand, d);
      expectWithinSumBound(k.matVec(x), matVec(A, n, d, x), matVec(absA, n, d, abs(x)), d);

      // 1 to 7 vectors: more than one pass holds (MAX_VECTORS_PER_PASS = 6); some entries 0.
      const vs = Array.from({ length: MAX_VECTORS_PER_PASS + 1 }, () => randomArray(rand, n, 0.2));
      for (const count of [1, 3, MAX_VECTORS_PER_PASS + 1]) {
        const got = k.matTVecs(vs.slice(0, count));
        got.forEach((g, p) =>
          expectWithinSumBound(g, matTVec(A, n, d, vs[p]), matTVec(absA, n, d, abs(vs[p])), n),
        );
      }

      // δ with zeros (rows skipped) and both signs, as the Hessian's δ has.
      const delta = randomArray(rand, n, 0.3);
      const { gram, atv } = k.gramAndMatTVecs(delta, vs);
      expectWithinSumBound(gram, weightedGram(A, n, d, delta), weightedGram(absA, n, d, abs(delta)), n);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(gram[i * d + j]).toBe(gram[j * d + i]);
      expect(atv).toHaveLength(vs.length);
      atv.forEach((g, p) =>
        expectWithinSumBound(g, matTVec(A, n, d, vs[p]), matTVec(absA, n, d, abs(vs[p])), n),
      );
    });
  }

  it('a Gram over more rows than one chunk and one block sums them all (n = 2 blocks + 37 rows)', () => {
    const d = 9;
    const n = 2 * REDUCTION_BLOCK_ROWS + 37;
    expect(REDUCTION_BLOCK_ROWS % gramChunkRows(d)).toBe(0);
    const rand = rngFn(7);
    const A = randomArray(rand, n * d);
    const delta = randomArray(rand, n);
    const k = createWasmRowKernels(A, n, d)!;
    const { gram, atv } = k.gramAndMatTVecs(delta, []);
    expect(atv).toEqual([]);
    expectWithinSumBound(gram, weightedGram(A, n, d, delta), weightedGram(abs(A), n, d, abs(delta)), n);
    // Aᵀv from the Gram's pass and from a pass of its own: the same sums, the same bits.
    const v = randomArray(rand, n);
    const fused = k.gramAndMatTVecs(delta, [v]).atv[0];
    expect(Array.from(fused)).toEqual(Array.from(k.matTVecs([v])[0]));
    expectWithinSumBound(fused, matTVec(A, n, d, v), matTVec(abs(A), n, d, abs(v)), n);
  });

  it('chunk rows are powers of two in [16, 256] that divide the reduction block, for every d ≤ 1024', () => {
    for (let d = 1; d <= 1024; d++) {
      const r = gramChunkRows(d);
      expect(Number.isInteger(Math.log2(r)) && r >= 16 && r <= 256).toBe(true);
      expect(REDUCTION_BLOCK_ROWS % r).toBe(0);
    }
  });

  it('evaluates the objective (loss, ∇L, ∇²L, both readings) as the reference does, to rounding', () => {
    for (const reading of ['global', 'separate'] as const) {
      for (let seed = 1; seed <= 4; seed++) {
        const problem = randomProblem({
          n: 40 + 7 * seed,
          d: 3 + 2 * seed,
          n1: 5 + seed,
          seed,
          reading,
          gammaC: 0.05 * seed,
        });
        const x = randomArray(rngFn(seed), problem.d).map((v) => 0.3 * v);
        const want = evaluateAt(problem, x, { hessian: true });
        const kernels = createWasmRowKernels(problem.A, problem.n, problem.d)!;
        const got = evaluateAt(problem, x, { hessian: true }, kernels);
        const gradScale = Math.max(...abs(want.grad!));
        const hessScale = Math.max(...abs(want.hessian!));
        expect(got.L).toBeCloseTo(want.L, 12);
        got.grad!.forEach((g, i) => expect(Math.abs(g - want.grad![i])).toBeLessThan(1e-12 * gradScale));
        got.hessian!.forEach((h, i) =>
          expect(Math.abs(h - want.hessian![i])).toBeLessThan(1e-12 * hessScale),
        );
        // Without the gradient, the same Hessian.
        const hOnly = evaluateAt(problem, x, { gradient: false, hessian: true }, kernels);
        expect(hOnly.grad).toBeUndefined();
        expect(Array.from(hOnly.hessian!)).toEqual(Array.from(got.hessian!));
      }
    }
  });

  it('refuses to be used after dispose()', () => {
    const k = createWasmRowKernels(new Float64Array([1, 2, 3, 4]), 2, 2)!;
    k.dispose();
    expect(() => k.matVec(new Float64Array(2))).toThrow(/after dispose/);
  });

  it('the plain kernels are the reference loops themselves', () => {
    const rand = rngFn(3);
    const A = randomArray(rand, 12);
    const x = randomArray(rand, 3);
    expect(Array.from(plainRowKernels(A, 4, 3).matVec(x))).toEqual(Array.from(matVec(A, 4, 3, x)));
  });
});
