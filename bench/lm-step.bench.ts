/**
 * One training step of the LM view's model (loss, gradient and AdamW for one batch): the float64
 * reference (src/lm, one JS thread) against the float32 WebGPU kernels (src/gpu/lm) on this
 * machine's adapter, alternated rep by rep in one process; medians and their ratio, tokens/s.
 *   npx tsx bench/lm-step.bench.ts            (Dawn on SwiftShader here; a real GPU elsewhere)
 * Prints figures; never fails on time.
 */
import { ensureVulkanDriver } from '../src/cli/vulkan-env';
import { acquireGpu, describeAdapter } from '../src/gpu/device';
import { LmGpu } from '../src/gpu/lm/lm-gpu';
import { createRng } from '../src/data/prng';
import {
  adamwStep,
  initParams,
  lossAndGradient,
  type LmConfig,
  type LmSequence,
} from '../src/lm/transformer';

ensureVulkanDriver();

const SHAPES: { config: LmConfig; batch: number }[] = [
  { config: { vocab: 40, width: 24, heads: 2, layers: 1, context: 32, tiedHead: true }, batch: 8 },
  { config: { vocab: 40, width: 64, heads: 4, layers: 2, context: 64, tiedHead: true }, batch: 8 },
  { config: { vocab: 60, width: 128, heads: 4, layers: 2, context: 128, tiedHead: false }, batch: 16 },
];
const REPS = 5;

function batchOf(c: LmConfig, size: number, seed: number): LmSequence[] {
  const rng = createRng(seed);
  return Array.from({ length: size }, () => ({
    inputs: Int32Array.from({ length: c.context }, () => Math.floor(rng.next() * c.vocab)),
    labels: Int32Array.from({ length: c.context }, () => Math.floor(rng.next() * c.vocab)),
    copyright: Uint8Array.from({ length: c.context }, (_, i) => (i % 5 === 0 ? 1 : 0)),
  }));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const got = await acquireGpu({ powerPreference: 'high-performance' });
  if (!got.ok) throw new Error(got.message);
  console.log(`adapter: ${describeAdapter(got.gpu.adapter)}; ${REPS} reps each, alternated\n`);
  console.log(
    'shape (V, d, heads, layers, T) × batch | CPU float64 ms | GPU float32 ms | CPU/GPU | GPU tokens/s',
  );
  for (const { config, batch } of SHAPES) {
    const p = initParams(config, 1);
    const b = batchOf(config, batch, 2);
    const gpu = await LmGpu.create(config, got.gpu.device, p.data);
    const state = { m: new Float64Array(p.data.length), v: new Float64Array(p.data.length), step: 0 };
    const cpu: number[] = [];
    const gpuMs: number[] = [];
    await gpu.lossAndGradient(b, 0.2); // warm-up: pipelines compile on first use
    for (let r = 0; r < REPS; r++) {
      let t = performance.now();
      const { grad } = lossAndGradient(p, b, 0.2);
      adamwStep(p.data, grad, state, { lr: 0.01 });
      cpu.push(performance.now() - t);
      t = performance.now();
      await gpu.lossAndGradient(b, 0.2);
      gpu.adamwStep({ lr: 0.01 });
      await gpu.readParams(); // waits for the step to finish
      gpuMs.push(performance.now() - t);
    }
    const c = median(cpu);
    const g = median(gpuMs);
    const { vocab: V, width: d, heads, layers, context: T } = config;
    console.log(
      `(${V}, ${d}, ${heads}, ${layers}, ${T}) × ${batch} | ${c.toFixed(1)} | ${g.toFixed(1)} | ${(c / g).toFixed(2)}× | ${Math.round((batch * T) / (g / 1000)).toLocaleString('en-US')}`,
    );
    gpu.destroy();
  }
  got.gpu.device.destroy();
}

void main();
