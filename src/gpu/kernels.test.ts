/**
 * Every WGSL kernel against a float64 twin on fresh random inputs, with odd sizes (n not a multiple
 * of the workgroup, n = 1, d = 1, K = 1 and K > the matvec tile of 8), A split into chunks, and
 * outputs poisoned with NaN before the run. Runs on whatever adapter the host has (SwiftShader in
 * CI); with no adapter every test fails with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from './device';
import {
  type AChunk,
  AtvStage,
  GramStage,
  type GroupShape,
  KernelSet,
  type KernelTuning,
  MatVecStage,
  ReduceStage,
  SC,
  SoftmaxStage,
  UniformArena,
  VectorStage,
} from './kernels';
import { sketchCoin, sketchKey, sketchWeights } from '../math/sketch';
import { packConfigs, packMasks, poisoned, readF32, requireGpu, rng, rowTwin, upload } from './testing';

// Small workgroups so that modest n spans many blocks (and SwiftShader stays fast).
const TUNING: KernelTuning = { workgroupSize: 16, items: 2, gramTile: 4 };

let gpu: GpuContext;
let kernels: KernelSet;
let seed = 1000 + Math.floor(Math.random() * 1e6); // fresh inputs every run; printed on failure

beforeAll(async () => {
  gpu = await requireGpu();
  kernels = await KernelSet.create(gpu.device, TUNING);
});
afterAll(() => gpu?.device.destroy());

function randn(len: number, scale = 1, offset = 0): Float32Array {
  const r = rng(seed++);
  return Float32Array.from({ length: len }, () => offset + scale * r.normal());
}

function randMask(n: number, frac: number): Uint8Array {
  const r = rng(seed++);
  return Uint8Array.from({ length: n }, () => (r.uniform() < frac ? 1 : 0));
}

function chunksOf(A: Float32Array, n: number, d: number, chunkRows: number): AChunk[] {
  const out: AChunk[] = [];
  for (let row0 = 0; row0 < n; row0 += chunkRows) {
    const rows = Math.min(chunkRows, n - row0);
    out.push({ buffer: upload(gpu.device, A.slice(row0 * d, (row0 + rows) * d), 'test.A'), row0, rows });
  }
  return out;
}

async function runPass(
  encode: (pass: GPUComputePassEncoder, arena: UniformArena, enc: GPUCommandEncoder) => void,
): Promise<void> {
  const device = gpu.device;
  const arena = new UniformArena(device);
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  device.pushErrorScope('validation');
  encode(pass, arena, enc);
  pass.end();
  arena.flush();
  device.queue.submit([enc.finish()]);
  const err = await device.popErrorScope();
  await device.queue.onSubmittedWorkDone();
  arena.destroy();
  expect(err?.message ?? null).toBeNull();
}

/** max |got − want| / scale, NaN-aware (a NaN anywhere gives Infinity). */
function maxErr(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number> | number): number {
  let e = 0;
  for (let i = 0; i < want.length; i++) {
    const s = typeof scale === 'number' ? scale : scale[i];
    const v = Math.abs(got[i] - want[i]) / Math.max(s, 1e-30);
    e = Number.isNaN(v) ? Infinity : Math.max(e, v);
  }
  return e;
}

const SHAPES = [
  { n: 1, d: 1, K: 1, chunk: 1 },
  { n: 37, d: 5, K: 1, chunk: 37 },
  { n: 203, d: 7, K: 3, chunk: 50 },
  { n: 517, d: 3, K: 11, chunk: 517 },
  { n: 1000, d: 1, K: 2, chunk: 333 },
  // d a multiple of 4: the vec4 kernels (matvec4, atvBlocks4)
  { n: 1, d: 4, K: 1, chunk: 1 },
  { n: 130, d: 8, K: 1, chunk: 50 },
  { n: 77, d: 12, K: 11, chunk: 77 },
  { n: 300, d: 20, K: 3, chunk: 100 },
];

describe('matvec.wgsl: U = A·X for K configs', () => {
  for (const { n, d, K, chunk } of SHAPES) {
    it(`n=${n} d=${d} K=${K} chunkRows=${chunk}`, async () => {
      const A = randn(n * d);
      const X = new Float32Array((K + 8) * d);
      X.set(randn(K * d));
      const chunks = chunksOf(A, n, d, chunk);
      const Xb = upload(gpu.device, X, 'test.X');
      const U = poisoned(gpu.device, K * n, 'test.U');
      const s: GroupShape = { n, d, k0: 0, kCount: K };
      await runPass((pass, arena) => new MatVecStage(kernels).encode(pass, arena, s, chunks, Xb, U));
      const got = await readF32(gpu.device, U, K * n);
      const want = new Float64Array(K * n);
      const scale = new Float64Array(K * n);
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < d; j++) {
            want[k * n + i] += A[i * d + j] * X[k * d + j];
            scale[k * n + i] += Math.abs(A[i * d + j] * X[k * d + j]);
          }
        }
      }
      expect(maxErr(got, want, scale), `seed ${seed}`).toBeLessThan(1e-5 * (d + 1));
    });
  }
});

describe('softmax.wgsl: two-level max / sum-exp, all rows and masked rows', () => {
  for (const { n, K } of SHAPES) {
    it(`n=${n} K=${K}, |u| up to ~500 (naive exp would overflow)`, async () => {
      const u = randn(K * n, 40, 450);
      const masks = Array.from({ length: K }, (_, k) => randMask(n, k === 0 ? 0 : 0.3));
      const U = upload(gpu.device, u, 'test.U');
      const mb = upload(gpu.device, packMasks(masks, n), 'test.masks');
      const scalars = poisoned(gpu.device, K * SC.STRIDE, 'test.scalars');
      const st = new SoftmaxStage(kernels);
      await runPass((pass, arena) => st.encode(pass, arena, { n, d: 1, k0: 0, kCount: K }, U, mb, scalars));
      const got = await readF32(gpu.device, scalars, K * SC.STRIDE);
      for (let k = 0; k < K; k++) {
        const t = rowTwin(
          u.subarray(k * n, (k + 1) * n),
          new Float32Array(n),
          new Float32Array(n),
          masks[k],
          0,
          'separate',
        );
        const o = k * SC.STRIDE;
        expect(got[o + SC.M]).toBe(Math.fround(t.M));
        expect(Math.abs(got[o + SC.S] - t.S) / t.S, `seed ${seed}`).toBeLessThan(1e-5);
        if (t.S1 === 0) {
          expect(got[o + SC.S1]).toBe(0);
        } else {
          expect(got[o + SC.M1]).toBe(Math.fround(t.M1));
          expect(Math.abs(got[o + SC.S1] - t.S1) / t.S1).toBeLessThan(1e-5);
        }
      }
      st.destroy();
    });
  }
});

/** Uploads the per-row inputs of K configs and runs softmax + sums (+ buildRhs with R > 0). */
async function rowsCase(n: number, K: number, R: number) {
  const readings = Array.from(
    { length: K },
    (_, k) => (k % 2 === 0 ? 'global' : 'separate') as 'global' | 'separate',
  );
  const cfgs = readings.map((reading, k) => ({ reading, gammaC: k === 0 ? 0 : 0.05 * k }));
  const u = randn(K * n, 1.5);
  const bRaw = randn(n).map((v) => Math.exp(v));
  const bsum = bRaw.reduce((a, v) => a + v, 0);
  const b = bRaw.map((v) => v / bsum);
  const w = randn(n, 0.1);
  const masks = Array.from({ length: K }, () => randMask(n, 0.3));
  masks.forEach((m) => (m[0] = 1)); // n1 ≥ 1 so ℓ1 > 0
  const dev = gpu.device;
  const rows = {
    U: upload(dev, u, 'test.U'),
    bvec: upload(dev, b, 'test.b'),
    w2: upload(
      dev,
      w.map((v) => v * v),
      'test.w2',
    ),
    masks: upload(dev, packMasks(masks, n), 'test.masks'),
    configs: upload(dev, packConfigs(cfgs), 'test.configs'),
    scalars: poisoned(dev, K * SC.STRIDE, 'test.scalars'),
  };
  const V = poisoned(dev, K * Math.max(R, 1) * n, 'test.V');
  const delta = poisoned(dev, K * n, 'test.delta');
  const st = new SoftmaxStage(kernels);
  const red = new ReduceStage(kernels);
  const vec = new VectorStage(kernels);
  // One group (k0 = 0); group offsets k0 > 0 are exercised by the engine tests (maxWorkspaceBytes).
  const s: GroupShape = { n, d: 1, k0: 0, kCount: K };
  await runPass((pass, arena) => {
    st.encode(pass, arena, s, rows.U, rows.masks, rows.scalars);
    red.encodeSums(pass, arena, s, rows);
    if (R > 0) vec.encodeRhs(pass, arena, s, rows, R, V, delta);
  });
  return { u, b, w, masks, cfgs, rows, V, delta, st, red, vec };
}

describe('reduce.wgsl + vectors.wgsl: scalars of math.md §4 and the right-hand sides', () => {
  for (const { n, K } of [
    { n: 1, K: 1 },
    { n: 45, K: 2 },
    { n: 301, K: 3 },
    { n: 1000, K: 4 },
  ]) {
    it(`n=${n} K=${K} (readings alternate, γc = 0 and > 0)`, async () => {
      const R = 6;
      const c = await rowsCase(n, K, R);
      const sc = await readF32(gpu.device, c.rows.scalars, K * SC.STRIDE);
      const V = await readF32(gpu.device, c.V, K * R * n);
      const delta = await readF32(gpu.device, c.delta, K * n);
      for (let k = 0; k < K; k++) {
        const t = rowTwin(
          c.u.subarray(k * n, (k + 1) * n),
          c.b,
          c.w,
          c.masks[k],
          c.cfgs[k].gammaC,
          c.cfgs[k].reading,
        );
        const o = k * SC.STRIDE;
        for (let q = 0; q < 8; q++) {
          const got = sc[o + SC.L + q];
          expect(
            Math.abs(got - t.sums[q]) / (t.scales[q] + 1e-30),
            `sum ${q} config ${k} seed ${seed}`,
          ).toBeLessThan(2e-5);
        }
        for (const q of [8, 9]) {
          const got = sc[o + SC.L + q];
          expect(Math.abs(got - t.sums[q]) / (Math.abs(t.sums[q]) + 1e-30), `α/β3 config ${k}`).toBeLessThan(
            1e-4,
          );
        }
        const used = c.cfgs[k].reading === 'separate' ? 6 : 4;
        for (let r = 0; r < used; r++) {
          const got = V.subarray((k * R + r) * n, (k * R + r + 1) * n);
          const want = t.V[r];
          const scale = want.reduce((a, v) => Math.max(a, Math.abs(v)), 0) + 1e-20;
          expect(maxErr(got, want, scale), `V slot ${r} config ${k} seed ${seed}`).toBeLessThan(2e-4);
        }
        const scale = t.delta.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
        expect(maxErr(delta.subarray(k * n, (k + 1) * n), t.delta, scale)).toBeLessThan(2e-4);
      }
    });
  }
});

describe('reduce.wgsl + vectors.wgsl: the sketch (sketchBlock, sketchWeights) and δ∘t (deltaTimes)', () => {
  for (const { n, K, rows } of [
    { n: 1, K: 1, rows: 0.5 },
    { n: 45, K: 2, rows: 10 },
    { n: 1000, K: 3, rows: 123.25 },
  ]) {
    it(`n=${n} K=${K} rows=${rows}: the rows and weights of src/math/sketch.ts`, async () => {
      const delta = randn(K * n, 1e-3, 2e-4); // both signs
      const lev = Float32Array.from(randn(n), (v) => Math.abs(v) * 0.01 + 1e-4);
      const seedValue = Math.floor(rng(seed++).uniform() * 2 ** 50);
      const dev = gpu.device;
      const db = upload(dev, delta, 'test.delta');
      const lb = upload(dev, lev, 'test.lev');
      const scalars = poisoned(dev, K * SC.STRIDE, 'test.scalars');
      const configs = upload(
        dev,
        packConfigs(Array.from({ length: K }, () => ({ gammaC: 0, reading: 'global' as const }))),
        'test.configs',
      );
      const red = new ReduceStage(kernels);
      const vec = new VectorStage(kernels);
      const s: GroupShape = { n, d: 1, k0: 0, kCount: K };
      await runPass((pass, arena) => {
        red.encodeSketchSum(pass, arena, s, { delta: db, lev: lb, configs, scalars });
        vec.encodeSketchWeights(
          pass,
          arena,
          s,
          { delta: db, lev: lb, scalars },
          { seedKey: sketchKey(seedValue), rows },
        );
      });
      const sc = await readF32(dev, scalars, K * SC.STRIDE);
      const got = await readF32(dev, db, K * n);
      const key = sketchKey(seedValue);
      for (let k = 0; k < K; k++) {
        const dk = delta.subarray(k * n, (k + 1) * n);
        let q = 0;
        let qAbs = 0;
        for (let i = 0; i < n; i++) if (dk[i] > 0) q += dk[i] * lev[i];
        for (let i = 0; i < n; i++) qAbs += Math.abs(dk[i] * lev[i]);
        const why = `config ${k} seed ${seed}`;
        expect(Math.abs(sc[k * SC.STRIDE + SC.QSUM] - q) / qAbs, why).toBeLessThan(2e-5);
        const want = sketchWeights(dk, lev, rows, seedValue).weight;
        for (let i = 0; i < n; i++) {
          const p = Math.min(1, (rows * dk[i] * lev[i]) / q);
          // A coin within float32 rounding of p may fall either way; every other row must agree.
          if (dk[i] > 0 && Math.abs(sketchCoin(key, i) - p) < 1e-5 * p) continue;
          const g = got[k * n + i];
          expect(Math.abs(g - want[i]) / Math.max(Math.abs(want[i]), 1e-30), `row ${i} ${why}`).toBeLessThan(
            2e-5,
          );
        }
      }
      red.destroy();
    });
  }

  it('deltaTimes writes V[k][0] = δ∘t and leaves the other slots alone', async () => {
    const [n, K, R] = [77, 3, 4];
    const T = randn(K * n);
    const delta = randn(K * n);
    const V = poisoned(gpu.device, K * R * n, 'test.V');
    const vec = new VectorStage(kernels);
    await runPass((pass, arena) =>
      vec.encodeDeltaTimes(
        pass,
        arena,
        { n, d: 1, k0: 0, kCount: K },
        R,
        upload(gpu.device, T, 'T'),
        upload(gpu.device, delta, 'delta'),
        V,
      ),
    );
    const got = await readF32(gpu.device, V, K * R * n);
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) {
        expect(got[k * R * n + i]).toBe(Math.fround(delta[k * n + i] * T[k * n + i]));
        for (let r = 1; r < R; r++) expect(got[(k * R + r) * n + i]).toBeNaN();
      }
    }
  });
});

describe('atv.wgsl: Aᵀ·V for R right-hand sides per config', () => {
  for (const { n, d, K, R, chunk, blockRows } of [
    { n: 1, d: 1, K: 1, R: 1, chunk: 1, blockRows: 4 },
    { n: 77, d: 19, K: 2, R: 4, chunk: 30, blockRows: 8 },
    { n: 400, d: 5, K: 3, R: 6, chunk: 400, blockRows: 64 },
    { n: 250, d: 33, K: 1, R: 1, chunk: 100, blockRows: 16 },
    // d a multiple of 4: atvBlocks4 (d = 4, d/4 > workgroup of 16 threads, every R)
    { n: 1, d: 4, K: 1, R: 1, chunk: 1, blockRows: 4 },
    { n: 90, d: 8, K: 2, R: 6, chunk: 40, blockRows: 7 },
    { n: 200, d: 72, K: 3, R: 4, chunk: 200, blockRows: 32 },
    { n: 150, d: 12, K: 1, R: 1, chunk: 60, blockRows: 16 },
    // many blocks for the combine pass (334 over 4 chunks, not a multiple of its 4-way unroll)
    { n: 1001, d: 5, K: 2, R: 4, chunk: 300, blockRows: 3 },
  ]) {
    it(`n=${n} d=${d} K=${K} R=${R} chunkRows=${chunk} blockRows=${blockRows}`, async () => {
      const A = randn(n * d);
      const V = randn(K * R * n);
      const chunks = chunksOf(A, n, d, chunk);
      const Vb = upload(gpu.device, V, 'test.V');
      const out = poisoned(gpu.device, K * 6 * d, 'test.outAtV');
      const st = new AtvStage(kernels, blockRows);
      await runPass((pass, arena) => st.encode(pass, arena, { n, d, k0: 0, kCount: K }, chunks, Vb, R, out));
      const got = await readF32(gpu.device, out, K * 6 * d);
      for (let k = 0; k < K; k++) {
        for (let r = 0; r < R; r++) {
          const want = new Float64Array(d);
          const scale = new Float64Array(d);
          for (let i = 0; i < n; i++) {
            const v = V[(k * R + r) * n + i];
            for (let j = 0; j < d; j++) {
              want[j] += A[i * d + j] * v;
              scale[j] += Math.abs(A[i * d + j] * v);
            }
          }
          expect(
            maxErr(got.subarray((k * 6 + r) * d, (k * 6 + r + 1) * d), want, scale),
            `seed ${seed}`,
          ).toBeLessThan(1e-5 * Math.log2(n + 2));
        }
      }
      st.destroy();
    });
  }
});

describe('atv.wgsl: right-hand-side counts', () => {
  it('rejects R outside {1, 4, 6} (the kernel has one loop per supported R)', () => {
    const st = new AtvStage(kernels);
    const b = poisoned(gpu.device, 16, 'test.V');
    const arena = new UniformArena(gpu.device);
    const enc = gpu.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (const R of [0, 2, 3, 5, 7]) {
      expect(() =>
        st.encode(pass, arena, { n: 4, d: 1, k0: 0, kCount: 1 }, chunksOf(randn(4), 4, 1, 4), b, R, b),
      ).toThrow(/R must be 1, 4 or 6/);
    }
    pass.end();
    arena.destroy();
  });
});

describe('gram.wgsl: H = Aᵀ diag(δ) A from upper tiles over row blocks, mirrored', () => {
  const tileSets = new Map<number, KernelSet>();
  async function kernelsWithTile(tile: number): Promise<KernelSet> {
    let ks = tileSets.get(tile);
    if (!ks) tileSets.set(tile, (ks = await KernelSet.create(gpu.device, { ...TUNING, gramTile: tile })));
    return ks;
  }

  // d not a multiple of the tile, d = 1, n = 1, d < tile, many row blocks and A chunks, K > 1.
  for (const { n, d, K, chunk, blockRows, tile } of [
    { n: 1, d: 1, K: 1, chunk: 1, blockRows: undefined, tile: 4 },
    { n: 1, d: 23, K: 2, chunk: 1, blockRows: undefined, tile: 8 },
    { n: 90, d: 9, K: 2, chunk: 40, blockRows: 17, tile: 4 },
    { n: 300, d: 21, K: 1, chunk: 300, blockRows: undefined, tile: 16 },
    { n: 1000, d: 1, K: 3, chunk: 1000, blockRows: 16, tile: 4 },
    { n: 777, d: 13, K: 3, chunk: 200, blockRows: 5, tile: 8 }, // 157 row blocks over 4 chunks
    // d a multiple of 4: gramTiles4 (vec4 staging), incl. d = 4 < tile and d = tile·k
    { n: 64, d: 36, K: 1, chunk: 64, blockRows: 20, tile: 12 },
    { n: 1, d: 4, K: 1, chunk: 1, blockRows: undefined, tile: 8 },
    { n: 203, d: 24, K: 2, chunk: 70, blockRows: 9, tile: 8 },
    { n: 40, d: 64, K: 1, chunk: 40, blockRows: undefined, tile: 16 },
  ]) {
    it(`n=${n} d=${d} K=${K} chunkRows=${chunk} blockRows=${blockRows ?? 'default'} tile=${tile}`, async () => {
      const ks = await kernelsWithTile(tile);
      const A = randn(n * d);
      const delta = randn(K * n); // both signs, as δ can be
      const chunks = chunksOf(A, n, d, chunk);
      const db = upload(gpu.device, delta, 'test.delta');
      const H = poisoned(gpu.device, K * d * d, 'test.H');
      const st = new GramStage(ks, blockRows);
      const s: GroupShape = { n, d, k0: 0, kCount: K };
      const want = new Float64Array(K * d * d);
      const scale = new Float64Array(K * d * d);
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < n; i++) {
          const w = delta[k * n + i];
          for (let j = 0; j < d; j++) {
            for (let l = 0; l < d; l++) {
              const t = A[i * d + j] * w * A[i * d + l];
              want[(k * d + j) * d + l] += t;
              scale[(k * d + j) * d + l] += Math.abs(t);
            }
          }
        }
      }
      const check = async (what: string): Promise<void> => {
        const got = await readF32(gpu.device, H, K * d * d);
        expect(maxErr(got, want, scale), `${what}, seed ${seed}`).toBeLessThan(
          2e-6 * Math.log2(n + 2) + 1e-6,
        );
        for (let k = 0; k < K; k++) {
          for (let j = 0; j < d; j++) {
            for (let l = 0; l < j; l++) {
              expect(got[(k * d + j) * d + l], `${what}: H[${j}][${l}] mirrors H[${l}][${j}]`).toBe(
                got[(k * d + l) * d + j],
              );
            }
          }
        }
      };
      await runPass((pass, arena) => st.encode(pass, arena, s, chunks, db, H));
      await check('fresh partials');
      // Again with H and the (now allocated) partials poisoned: every value read must be rewritten.
      gpu.device.queue.writeBuffer(H, 0, new Float32Array(K * d * d).fill(NaN));
      const partials = st.partialsBuffer as GPUBuffer;
      gpu.device.queue.writeBuffer(partials, 0, new Float32Array(partials.size / 4).fill(NaN));
      await runPass((pass, arena) => st.encode(pass, arena, s, chunks, db, H));
      await check('poisoned partials');
      st.destroy();
    });
  }

  it('writes only its own configs (group offset k0 > 0)', async () => {
    const [n, d, K] = [50, 6, 2];
    const A = randn(n * d);
    const delta = randn(K * n);
    const H = poisoned(gpu.device, 3 * d * d, 'test.H');
    const st = new GramStage(kernels);
    await runPass((pass, arena) =>
      st.encode(
        pass,
        arena,
        { n, d, k0: 1, kCount: K },
        chunksOf(A, n, d, n),
        upload(gpu.device, delta, 'd'),
        H,
      ),
    );
    const got = await readF32(gpu.device, H, 3 * d * d);
    expect(got.subarray(0, d * d).every(Number.isNaN)).toBe(true); // config 0 untouched
    for (let k = 0; k < K; k++) {
      let e = 0;
      for (let j = 0; j < d; j++) {
        for (let l = 0; l < d; l++) {
          let w = 0;
          let sc = 0;
          for (let i = 0; i < n; i++) {
            const t = A[i * d + j] * delta[k * n + i] * A[i * d + l];
            w += t;
            sc += Math.abs(t);
          }
          e = Math.max(e, Math.abs(got[((k + 1) * d + j) * d + l] - w) / sc);
        }
      }
      expect(e, `config ${k + 1}, seed ${seed}`).toBeLessThan(1e-5);
    }
    st.destroy();
  });

  it('rejects a tile that is not a multiple of 4', async () => {
    await expect(KernelSet.create(gpu.device, { ...TUNING, gramTile: 6 })).rejects.toThrow(/multiple of 4/);
  });
});
