/**
 * In-page benchmark: GpuEngine vs TF.js on its webgpu backend (same adapter) computing the same L and
 * ∇L (bench/gpu-tf.ts), median of `reps` runs after a warm-up. Result on `window.gpuBench`. Serve the
 * repo with `npx vite --host 127.0.0.1` and open /bench/browser/gpu-bench.html?n=4096&d=64 (headless
 * Chromium needs --enable-unsafe-webgpu on machines without a GPU).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { GpuEngine } from '../../src/gpu/gpu-engine';
import { tfLossGrad, tfProblem } from '../gpu-tf';

/** What the page reports. */
export interface GpuBenchResult {
  done: boolean;
  error?: string;
  n?: number;
  d?: number;
  adapter?: string;
  tfBackend?: string;
  gpuMs?: number;
  tfMs?: number;
  /** tfMs / gpuMs */
  ratio?: number;
  /** |L_gpu − L_tf| / |L_tf| */
  lossRel?: number;
}

declare global {
  interface Window {
    gpuBench?: GpuBenchResult;
  }
}

async function median(reps: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

async function run(): Promise<GpuBenchResult> {
  const q = new URLSearchParams(location.search);
  const n = Number(q.get('n') ?? 4096);
  const d = Number(q.get('d') ?? 64);
  const reps = Number(q.get('reps') ?? 5);
  let s = 12345;
  const r = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 3.4;
  const A = Float64Array.from({ length: n * d }, r);
  const b = new Float64Array(n).fill(1 / n);
  const w = new Float64Array(n).fill(0.1);
  const mask = Uint8Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0));
  const x = Float64Array.from({ length: d }, (_, j) => 0.05 * Math.sin(j + 1));
  const made = await GpuEngine.tryCreate({ n, d, A, b, w }, { workgroupSize: Number(q.get('wg') ?? 64) });
  if (!made.ok) return { done: true, error: `${made.reason}: ${made.message}` };
  const gpu = made.engine;
  const ok = await tf.setBackend('webgpu');
  if (!ok) return { done: true, error: 'tfjs webgpu backend unavailable' };
  await tf.ready();
  const tp = tfProblem(tf, A, n, d, b, w, mask, 0.2);
  const batch = [{ x, config: { gammaC: 0.2, reading: 'global' as const, mask } }];
  const gpuMs = await median(reps, () => gpu.evaluate(batch));
  const tfMs = await median(reps, () => tfLossGrad(tf, tp, x));
  const [eg] = await gpu.evaluate(batch);
  const et = await tfLossGrad(tf, tp, x);
  gpu.dispose();
  return {
    done: true,
    n,
    d,
    adapter: gpu.description,
    tfBackend: tf.getBackend(),
    gpuMs,
    tfMs,
    ratio: tfMs / gpuMs,
    lossRel: Math.abs(eg.L - et.L) / Math.abs(et.L),
  };
}

run()
  .catch((e: unknown) => ({ done: true, error: String(e) }) as GpuBenchResult)
  .then((res) => {
    window.gpuBench = res;
    const out = document.getElementById('out');
    if (out) out.textContent = JSON.stringify(res, null, 2);
  });
