/**
 * Runs GpuEngine in the page on a random problem (both readings, scattered copyright rows) and
 * compares it with the float64 CpuEngine. The result is exposed as `window.gpuCheck` for the
 * Playwright spec (e2e/gpu-engine.spec.ts) and printed in the page.
 */
import { applyTagRule, generate } from '../../src/data';
import { CpuEngine } from '../../src/engine/cpu-engine';
import { GpuEngine } from '../../src/gpu/gpu-engine';
import { relErr } from '../../src/gpu/testing';
import type { Reading } from '../../src/math/types';

/** What the page reports. */
export interface GpuCheckResult {
  done: boolean;
  ok: boolean;
  /** Set when the engine could not run (no WebGPU, no adapter, ...). */
  error?: string;
  adapter?: string;
  cases: {
    reading: Reading;
    gammaC: number;
    lossRel: number;
    gradRel: number;
    hessRel: number;
    hvpRel: number;
  }[];
  ms?: number;
}

declare global {
  interface Window {
    gpuCheck?: GpuCheckResult;
  }
}

async function run(): Promise<GpuCheckResult> {
  const params = new URLSearchParams(location.search);
  const n = Number(params.get('n') ?? 500);
  const d = Number(params.get('d') ?? 16);
  const { dataset } = generate({
    kind: 'gaussian',
    n,
    d,
    noise: 0.3,
    xScale: 0.7,
    reg: 0.1,
    seed: Number(params.get('seed') ?? 7),
  });
  const t0 = performance.now();
  const made = await GpuEngine.tryCreate(dataset, { workgroupSize: 32 });
  if (!made.ok) return { done: true, ok: false, error: `${made.reason}: ${made.message}`, cases: [] };
  const gpu = made.engine;
  const cpu = new CpuEngine(dataset);
  const batch = (['global', 'separate'] as const).flatMap((reading) =>
    [0, 0.3].map((gammaC, i) => ({
      x: Float64Array.from({ length: d }, (_, j) => 0.2 * Math.sin(1 + j * (i + 2))),
      config: { reading, gammaC, mask: applyTagRule({ kind: 'random', fraction: 0.2, seed: 11 + i }, n) },
    })),
  );
  const eg = await gpu.evaluate(batch, { hessian: 'exact' });
  const ec = await cpu.evaluate(batch, { hessian: 'exact' });
  const v = batch.map((_, k) => Float64Array.from({ length: d }, (_, j) => Math.cos(j + k)));
  const hg = await gpu.hessianVectorProducts(batch, v);
  const hc = await cpu.hessianVectorProducts(batch, v);
  const cases = batch.map((r, k) => ({
    reading: r.config.reading,
    gammaC: r.config.gammaC,
    lossRel: Math.abs(eg[k].L - ec[k].L) / Math.abs(ec[k].L),
    gradRel: relErr(eg[k].grad as Float64Array, ec[k].grad as Float64Array),
    hessRel: relErr(eg[k].hessian as Float64Array, ec[k].hessian as Float64Array),
    hvpRel: relErr(hg[k], hc[k]),
  }));
  const ok = cases.every(
    (c) => c.lossRel <= 1e-4 && c.gradRel <= 5e-3 && c.hessRel <= 5e-3 && c.hvpRel <= 5e-3,
  );
  const result: GpuCheckResult = {
    done: true,
    ok,
    adapter: gpu.description,
    cases,
    ms: performance.now() - t0,
  };
  gpu.dispose();
  return result;
}

run()
  .catch((e: unknown) => ({ done: true, ok: false, error: String(e), cases: [] }) as GpuCheckResult)
  .then((r) => {
    window.gpuCheck = r;
    const out = document.getElementById('out');
    if (out) out.textContent = JSON.stringify(r, null, 2);
  });
