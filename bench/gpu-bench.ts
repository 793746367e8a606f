/**
 * GpuEngine vs CpuEngine vs TF.js (cpu backend in Node) on the same L and ∇L, plus Hessian time and
 * a 25-config batched evaluation vs 25 sequential ones. Prints times, ratios, and achieved GB/s and
 * GFLOP/s with the bytes and flops counted below. Never fails on time.
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/gpu-bench.ts [--quick]
 *
 * --quick trims the sizes for software WebGPU (SwiftShader) so the run takes a few minutes. The
 * browser twin (TF.js webgpu backend) is bench/browser/gpu-bench.html.
 *
 * Counts (float32 on the GPU):
 *   loss + gradient: flops = 2nd (u = Ax) + 2nd (Aᵀg) + ~40n elementwise; bytes = 2·4nd (A read twice)
 *     + ~60n (n-vectors written and read by the passes).
 *   Hessian: flops = 2nd² (weighted Gram, both triangles) + 2·6nd (AᵀV, 6 right-hand sides); bytes
 *     = 4nd per Gram row range pass (A read once from memory, the rest from cache, in the best case).
 */
import * as tf from '@tensorflow/tfjs';
import { CpuEngine } from '../src/engine/cpu-engine';
import type { EvalRequest } from '../src/engine/engine';
import { GpuEngine } from '../src/gpu/gpu-engine';
import type { Dataset, ObjectiveConfig } from '../src/math/types';
import { tfLossGrad, tfProblem } from './gpu-tf';

const quick = process.argv.includes('--quick');

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

/** A random problem of the generator's kind (uniform entries, scaled): large sizes, no O(n·d) extras. */
function problem(n: number, d: number): Dataset {
  const r = rand(n * 31 + d);
  const A = new Float64Array(n * d);
  for (let i = 0; i < A.length; i++) A[i] = 3.4 * r(); // variance ≈ 1
  const b = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) s += b[i] = Math.exp(r());
  for (let i = 0; i < n; i++) b[i] /= s;
  const w = Float64Array.from({ length: n }, () => 0.1 * (1 + r()));
  return { n, d, A, b, w };
}

function mask(n: number, frac: number, seed: number): Uint8Array {
  const r = rand(seed);
  return Uint8Array.from({ length: n }, () => (r() + 0.5 < frac ? 1 : 0));
}

async function time(reps: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up (pipelines, caches)
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)]; // median, ms
}

const fmt = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toPrecision(digits) : String(v));

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const sizes = quick
    ? [
        [2 ** 12, 64],
        [2 ** 14, 64],
        [2 ** 12, 256],
      ]
    : [
        [2 ** 12, 64],
        [2 ** 12, 256],
        [2 ** 16, 64],
        [2 ** 16, 256],
        [2 ** 20, 64],
        [2 ** 20, 256],
      ];
  const reps = quick ? 3 : 5;
  let adapter = '';
  console.log(
    `# gpu-bench ${new Date().toISOString()} ${quick ? '(--quick)' : ''}, tfjs backend ${tf.getBackend()}`,
  );
  console.log('## loss + gradient (K = 1), median ms');
  console.log(
    'n\td\tgpu ms\tcpu ms\ttfjs ms\tcpu/gpu\ttfjs/gpu\tgpu GB/s\tgpu GFLOP/s\tmax|Δgrad|/|grad| vs cpu',
  );
  for (const [n, d] of sizes) {
    const ds = problem(n, d);
    const config: ObjectiveConfig = { gammaC: 0.2, reading: 'global', mask: mask(n, 0.2, 5) };
    const x = Float64Array.from({ length: d }, (_, j) => 0.05 * Math.sin(j + 1));
    const batch: EvalRequest[] = [{ x, config }];
    const gpu = await GpuEngine.create(ds, { workgroupSize: quick ? 32 : 64 });
    adapter = gpu.description;
    const cpu = new CpuEngine(ds);
    const tp = tfProblem(tf, ds.A, n, d, ds.b, ds.w, config.mask, config.gammaC);
    const tg = await time(reps, () => gpu.evaluate(batch));
    const tc = await time(Math.max(1, reps - 2), () => cpu.evaluate(batch));
    const tt = await time(Math.max(1, reps - 2), () => tfLossGrad(tf, tp, x));
    const [eg] = await gpu.evaluate(batch);
    const [ec] = await cpu.evaluate(batch);
    const { grad: gt } = await tfLossGrad(tf, tp, x);
    let err = 0;
    let errT = 0;
    let nrm = 0;
    for (let j = 0; j < d; j++) {
      err = Math.max(err, Math.abs((eg.grad as Float64Array)[j] - (ec.grad as Float64Array)[j]));
      errT = Math.max(errT, Math.abs(gt[j] - (ec.grad as Float64Array)[j]));
      nrm = Math.max(nrm, Math.abs((ec.grad as Float64Array)[j]));
    }
    const bytes = 2 * 4 * n * d + 60 * n;
    const flops = 4 * n * d + 40 * n;
    console.log(
      [
        n,
        d,
        fmt(tg),
        fmt(tc),
        fmt(tt),
        fmt(tc / tg),
        fmt(tt / tg),
        fmt(bytes / tg / 1e6),
        fmt(flops / tg / 1e6),
        `${fmt(err / nrm, 2)} (tfjs ${fmt(errT / nrm, 2)})`,
      ].join('\t'),
    );
    tf.dispose([tp.A, tp.b, tp.w2, tp.m]);
    gpu.dispose();
  }

  const hsizes = quick
    ? [
        [2 ** 12, 64],
        [2 ** 14, 64],
      ]
    : [
        [2 ** 12, 64],
        [2 ** 16, 64],
        [2 ** 16, 256],
      ];
  console.log('\n## Hessian (loss + gradient + exact d×d Hessian, K = 1), median ms');
  console.log('n\td\tgpu ms\tcpu ms\tcpu/gpu\tgpu GFLOP/s\tnote');
  for (const [n, d] of hsizes) {
    const ds = problem(n, d);
    const batch: EvalRequest[] = [
      {
        x: new Float64Array(d).fill(0.01),
        config: { gammaC: 0.2, reading: 'global', mask: mask(n, 0.2, 6) },
      },
    ];
    const gpu = await GpuEngine.create(ds, { workgroupSize: quick ? 32 : 64 });
    const cpu = new CpuEngine(ds);
    const tg = await time(reps, () => gpu.evaluate(batch, { hessian: 'exact' }));
    const tgl = await time(reps, () => gpu.evaluate(batch));
    const tc = await time(1, () => cpu.evaluate(batch, { hessian: 'exact' }));
    const flops = 2 * n * d * d + 12 * n * d;
    console.log(
      [n, d, fmt(tg), fmt(tc), fmt(tc / tg), fmt(flops / tg / 1e6), `loss+grad alone ${fmt(tgl)} ms`].join(
        '\t',
      ),
    );
    gpu.dispose();
  }

  const [sn, sd] = quick ? [2 ** 12, 64] : [2 ** 16, 64];
  console.log(`\n## 25-config sweep (5 γc × 5 n1/n), loss + gradient, n=${sn} d=${sd}`);
  const ds = problem(sn, sd);
  const sweep: EvalRequest[] = [];
  for (const gammaC of [0, 0.05, 0.1, 0.2, 0.5]) {
    for (const frac of [0.1, 0.2, 0.3, 0.4, 0.5]) {
      sweep.push({
        x: new Float64Array(sd).fill(0.01),
        config: { gammaC, reading: 'global', mask: mask(sn, frac, Math.round(frac * 10)) },
      });
    }
  }
  const gpu = await GpuEngine.create(ds, { workgroupSize: quick ? 32 : 64 });
  const cpu = new CpuEngine(ds);
  const tb = await time(reps, () => gpu.evaluate(sweep));
  const ts = await time(reps, async () => {
    for (const r of sweep) await gpu.evaluate([r]);
  });
  const tcs = await time(1, () => cpu.evaluate(sweep));
  const bytes = 25 * (2 * 4 * sn * sd + 60 * sn);
  console.log(`gpu batched ${fmt(tb)} ms | gpu 25 sequential ${fmt(ts)} ms | cpu ${fmt(tcs)} ms`);
  console.log(
    `sequential/batched ${fmt(ts / tb)}x | cpu/gpu-batched ${fmt(tcs / tb)}x | batched effective ${fmt(bytes / tb / 1e6)} GB/s (A counted per config)`,
  );
  gpu.dispose();
  console.log(`\nadapter: ${adapter}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
