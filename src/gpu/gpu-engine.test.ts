/**
 * The whole GpuEngine (float32) against CpuEngine (float64) on random problems with scattered
 * copyright rows, both readings: loss ≤ 1e-4 relative, gradient and Hessian ≤ 5e-3 relative in
 * norm; Hessian-vector products against H·v of the float64 Hessian; A in chunks and configs in
 * groups; the Hessian exactly symmetric over 200 random trials; sketched Hessians equal to the CPU
 * engine's sampled ones; a Newton solve on the GPU reaching the CPU's τ within 2e-3; device loss
 * and re-creation. Fails (never skips) without an adapter, with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTagRule, generate } from '../data';
import { CpuEngine } from '../engine/cpu-engine';
import type { EvalRequest } from '../engine/engine';
import { matVec } from '../math/linalg';
import { METHOD_NAMES } from '../math/methods';
import { solve } from '../solve/solvers';
import type { Dataset, ObjectiveConfig, Reading } from '../math/types';
import type { GpuContext } from './device';
import { GpuDeviceLostError, GpuEngine, type GpuEngineOptions } from './gpu-engine';
import { relErr, requireGpu, rng } from './testing';

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await requireGpu();
});
afterAll(() => gpu?.device.destroy());

let seed = 1 + Math.floor(Math.random() * 1e6);

function problem(n: number, d: number): Dataset {
  return generate({ kind: 'gaussian', n, d, noise: 0.3, xScale: 0.7, reg: 0.1, seed: seed++ }).dataset;
}

function configs(n: number, readings: Reading[], gammas: number[]): ObjectiveConfig[] {
  return readings.flatMap((reading) =>
    gammas.map((gammaC, i) => ({
      reading,
      gammaC,
      mask: applyTagRule({ kind: 'random', fraction: 0.15 + 0.1 * i, seed: seed++ }, n),
    })),
  );
}

function randomX(d: number, scale: number): Float64Array {
  const r = rng(seed++);
  return Float64Array.from({ length: d }, () => scale * r.normal());
}

async function compare(
  ds: Dataset,
  batch: EvalRequest[],
  opts: GpuEngineOptions,
  hessian: boolean,
): Promise<GpuEngine> {
  const g = await GpuEngine.create(ds, { device: gpu.device, ...opts });
  const c = new CpuEngine(ds);
  const mode = hessian ? 'exact' : 'none';
  const eg = await g.evaluate(batch, { hessian: mode });
  const ec = await c.evaluate(batch, { hessian: mode });
  batch.forEach((req, k) => {
    const why = `config ${k} (${req.config.reading}, γc=${req.config.gammaC}) seed ${seed}`;
    expect(Math.abs(eg[k].L - ec[k].L) / Math.abs(ec[k].L), why).toBeLessThan(1e-4);
    expect(Math.abs(eg[k].l1 - ec[k].l1) / ec[k].l1, why).toBeLessThan(1e-4);
    expect(Math.abs(eg[k].tau - ec[k].tau), why).toBeLessThan(
      1e-4 * (Math.abs(ec[k].tau) + ec[k].l1 / ec[k].n1),
    );
    expect(eg[k].n1).toBe(ec[k].n1);
    expect(relErr(eg[k].grad as Float64Array, ec[k].grad as Float64Array), why).toBeLessThan(5e-3);
    if (hessian)
      expect(relErr(eg[k].hessian as Float64Array, ec[k].hessian as Float64Array), why).toBeLessThan(5e-3);
  });
  // Hv against H·v of the float64 Hessian (the CPU engine's own Hv is checked against it to 1e-12
  // in objective.test.ts).
  const v = batch.map(() => randomX(ds.d, 1));
  const hg = await g.hessianVectorProducts(batch, v);
  const exact = hessian ? ec : await c.evaluate(batch, { hessian: 'exact' });
  hg.forEach((h, k) => {
    const Hv = matVec(exact[k].hessian as Float64Array, ds.d, ds.d, v[k]);
    expect(relErr(h, Hv), `Hv config ${k} seed ${seed}`).toBeLessThan(5e-3);
  });
  return g;
}

describe('GpuEngine vs CpuEngine', () => {
  it('n=300 d=12, both readings, γc ∈ {0, 0.1, 0.5}, loss + gradient + Hessian + Hv', async () => {
    const ds = problem(300, 12);
    const batch = configs(ds.n, ['global', 'separate'], [0, 0.1, 0.5]).map((config) => ({
      config,
      x: randomX(ds.d, 0.3),
    }));
    (await compare(ds, batch, { workgroupSize: 32 }, true)).dispose();
  });

  it('n=1 d=1 and n=2 d=3 (degenerate sizes)', async () => {
    for (const [n, d] of [
      [2, 1],
      [2, 3],
    ]) {
      const ds = problem(n, d);
      const batch = [
        {
          x: randomX(d, 0.5),
          config: { reading: 'global' as const, gammaC: 0.2, mask: Uint8Array.of(1, 0) },
        },
      ];
      (await compare(ds, batch, { workgroupSize: 16 }, true)).dispose();
    }
    const one = problem(2, 1);
    const ds1: Dataset = {
      n: 1,
      d: 1,
      A: one.A.subarray(0, 1),
      b: Float64Array.of(1),
      w: one.w.subarray(0, 1),
    };
    const g = await GpuEngine.create(ds1, { device: gpu.device, workgroupSize: 16 });
    const batch = [
      { x: Float64Array.of(0.3), config: { reading: 'global' as const, gammaC: 0, mask: Uint8Array.of(0) } },
    ];
    const [eg] = await g.evaluate(batch, { hessian: 'exact' });
    const [ec] = await new CpuEngine(ds1).evaluate(batch, { hessian: 'exact' });
    expect(Math.abs(eg.L - ec.L)).toBeLessThan(1e-6 * (1 + Math.abs(ec.L)));
    expect(relErr(eg.grad as Float64Array, ec.grad as Float64Array)).toBeLessThan(5e-3);
    g.dispose();
  });

  it('chunked A (5 chunks), small AᵀV blocks and Gram ranges, configs split into groups of 2', async () => {
    const ds = problem(333, 10);
    const batch = configs(ds.n, ['separate', 'global'], [0.05, 0.3, 1]).map((config) => ({
      config,
      x: randomX(ds.d, 0.3),
    }));
    const opts: GpuEngineOptions = {
      workgroupSize: 16,
      chunkRows: 70,
      atvBlockRows: 24,
      gramBlockRows: 33,
      gramTile: 8,
      maxWorkspaceBytes: 2 * 6 * ds.n * 4, // two configs' V per group
    };
    const g = await compare(ds, batch, opts, true);
    expect(g.chunkCount).toBe(5);
    g.dispose();
  });

  it('gradient-only and loss-only evaluations; repeated masks hit the cache', async () => {
    const ds = problem(257, 8);
    const [cfg] = configs(ds.n, ['global'], [0.2]);
    const batch = [0.1, 0.2, 0.4].map((s) => ({ config: cfg, x: randomX(ds.d, s) }));
    const g = await GpuEngine.create(ds, { device: gpu.device, workgroupSize: 32 });
    const c = new CpuEngine(ds);
    const lossOnly = await g.evaluate(batch, { gradient: false });
    const ref = await c.evaluate(batch, { gradient: false });
    lossOnly.forEach((e, k) => {
      expect(e.grad).toBeUndefined();
      expect(Math.abs(e.L - ref[k].L) / ref[k].L).toBeLessThan(1e-4);
    });
    g.dispose();
  });

  it('the Hessian is exactly symmetric (200 random trials) and matches float64', async () => {
    let trials = 0;
    let asymmetric = 0;
    for (let t = 0; t < 10; t++) {
      const ds = problem(40 + 23 * t, 2 + t);
      const g = await GpuEngine.create(ds, { device: gpu.device, workgroupSize: 16 });
      const batch = Array.from({ length: 20 }, (_, k) => ({
        x: randomX(ds.d, 0.4),
        config: {
          reading: (k % 2 === 0 ? 'global' : 'separate') as Reading,
          gammaC: k < 2 ? 0 : 0.05 * k,
          mask: applyTagRule({ kind: 'random', fraction: 0.1 + 0.04 * (k % 10), seed: seed++ }, ds.n),
        },
      }));
      const eg = await g.evaluate(batch, { hessian: 'exact' });
      const ec = await new CpuEngine(ds).evaluate(batch, { hessian: 'exact' });
      const { d } = ds;
      eg.forEach((e, k) => {
        const H = e.hessian as Float64Array;
        let symmetric = true;
        for (let i = 0; i < d; i++)
          for (let j = 0; j < i; j++) if (H[i * d + j] !== H[j * d + i]) symmetric = false;
        if (!symmetric) asymmetric++;
        trials++;
        expect(relErr(H, ec[k].hessian as Float64Array), `trial ${trials} seed ${seed}`).toBeLessThan(5e-3);
      });
      g.dispose();
    }
    expect(trials).toBe(200);
    expect(asymmetric).toBe(0);
  });

  it('a sketched Hessian samples the CPU engine’s rows: equal to its sketch up to float32', async () => {
    const ds = problem(700, 9);
    const g = await GpuEngine.create(ds, { device: gpu.device, workgroupSize: 32 });
    expect(g.capabilities).toEqual({ precision: 'float32', sketch: 'sampled', methods: METHOD_NAMES });
    const c = new CpuEngine(ds);
    const batch = configs(ds.n, ['global', 'separate'], [0, 0.3]).map((config) => ({
      config,
      x: randomX(ds.d, 0.3),
    }));
    const exact = await c.evaluate(batch, { hessian: 'exact' });
    let discriminated = 0;
    for (const sketch of [
      { rows: 60, seed: 1 + (seed++ % 1000) },
      { rows: 250.5, seed: 2 ** 40 + seed++ },
    ]) {
      const eg = await g.evaluate(batch, { hessian: { sketch } });
      const ec = await c.evaluate(batch, { hessian: { sketch } });
      eg.forEach((e, k) => {
        const why = `config ${k} rows ${sketch.rows} sketch seed ${sketch.seed} seed ${seed}`;
        const H = e.hessian as Float64Array;
        const toSketch = relErr(H, ec[k].hessian as Float64Array);
        expect(toSketch, why).toBeLessThan(5e-3);
        // The same sample, not the exact Hessian: a hundred times closer to the CPU's sketch, where
        // the sketch differs from the exact Hessian by more than float32 resolves (at some random
        // points the sampled diagonal part is negligible and the two agree to 1e-7).
        if (relErr(ec[k].hessian as Float64Array, exact[k].hessian as Float64Array) > 1e-4) {
          discriminated++;
          expect(toSketch, why).toBeLessThan(0.01 * relErr(H, exact[k].hessian as Float64Array));
        }
        expect(relErr(e.grad as Float64Array, ec[k].grad as Float64Array), why).toBeLessThan(5e-3);
      });
    }
    // 8 (config, sketch) pairs: most must tell the sample from the exact Hessian.
    console.log(
      `[sketch] ${discriminated} of 8 (config, sketch) pairs differ from the exact Hessian by > 1e-4`,
    );
    expect(discriminated).toBeGreaterThanOrEqual(4);
    await expect(g.evaluate(batch, { hessian: { sketch: { rows: 0, seed: 1 } } })).rejects.toThrow(/rows/);
    await expect(g.evaluate(batch, { hessian: { sketch: { rows: 10, seed: -1 } } })).rejects.toThrow(/seed/);
    g.dispose();
  });

  it('Newton on the GPU engine reaches the CPU engine’s τ within 2e-3', async () => {
    const ds = problem(400, 8);
    for (const reading of ['global', 'separate'] as const) {
      const config: ObjectiveConfig = {
        reading,
        gammaC: 0.2,
        mask: applyTagRule({ kind: 'random', fraction: 0.2, seed: seed++ }, ds.n),
      };
      const x0 = new Float64Array(ds.d);
      const g = await GpuEngine.create(ds, { device: gpu.device, workgroupSize: 32 });
      const rg = await solve(g, config, x0, { solver: 'newton', maxIter: 40, tol: 1e-5, l1Floor: 1e-6 });
      const rc = await solve(new CpuEngine(ds), config, x0, { solver: 'newton', maxIter: 40, tol: 1e-8 });
      expect(Math.abs(rg.parts.tau - rc.parts.tau), `${reading}: gpu ${rg.status} ${rg.reason}`).toBeLessThan(
        2e-3,
      );
      g.dispose();
    }
  });
});

describe('device loss', () => {
  it('reports the loss, rejects later calls, and can be recreated', async () => {
    const ds = problem(64, 4);
    const lost: string[] = [];
    const g = await GpuEngine.create(ds, { workgroupSize: 16, onLost: (i) => lost.push(i.reason) });
    const batch = [
      {
        x: randomX(4, 0.2),
        config: { reading: 'global' as const, gammaC: 0.1, mask: applyTagRule({ kind: 'first', k: 5 }, 64) },
      },
    ];
    const before = await g.evaluate(batch);
    g.gpuDevice.destroy();
    await g.gpuDevice.lost;
    await new Promise((r) => setTimeout(r, 0));
    expect(lost.length).toBe(1);
    expect(g.lostReason).not.toBeNull();
    await expect(g.evaluate(batch)).rejects.toBeInstanceOf(GpuDeviceLostError);
    const again = await GpuEngine.create(ds, { workgroupSize: 16 });
    const after = await again.evaluate(batch);
    expect(after[0].L).toBeCloseTo(before[0].L, 10);
    again.gpuDevice.destroy();
  });
});
