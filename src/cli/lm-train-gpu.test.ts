/**
 * `lm-train --engine gpu` end to end, spawned as a user runs it: on Dawn/SwiftShader in Node the
 * WebGPU kernels train the run and its twin on the reference's batches, and the float64
 * measurements match `--engine cpu` within float32; without WebGPU it trains on the reference and
 * says why; an unknown engine is a usage error. Like every GPU test here, it fails (never skips)
 * without a Node WebGPU adapter.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { relErr } from '../gpu/testing';

interface Point {
  step: number;
  run: Record<string, number>;
  twin: Record<string, number>;
}
interface LmTrainOutput {
  engine: string;
  engineReason?: string;
  tokensPerSecond: number;
  metrics: Point[];
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small model for a few steps, measured after every step. */
const small = (steps: number): string[] => [
  'lm-train',
  '--steps',
  String(steps),
  '--every',
  '1',
  '--width',
  '16',
  '--seed',
  '3',
];
const METRICS = ['ceFree', 'ceCopyright', 'validationPerplexity'] as const;

/** CE free, CE copyrighted and validation perplexity of both models at a measurement. */
function metricVector(p: Point): number[] {
  return (['run', 'twin'] as const).flatMap((m) => METRICS.map((k) => p[m][k]));
}

/** The note lm-train writes when it falls back (Dawn's own loader warnings may come before it). */
const FALLBACK_NOTE = /^note: WebGPU is not available, so lm-train runs on the float64 reference: .+$/m;

/**
 * Relative error (relErr: ‖Δ‖₂/‖ref‖₂) of the GPU-trained models' float64 metrics against the
 * float64-trained ones. The weights differ by float32 storage (relative 2⁻²⁴ ≈ 6e-8 per weight)
 * plus, per AdamW step, the float32 gradient's error (≤ 2e-5 relative, lm-gpu.test.ts) passed
 * through Adam's normalised update (lr = 0.01 times that: ≤ 2e-7 per weight per step). CE and
 * perplexity are smooth in the weights with O(1) sensitivity, so 5 steps leave ≲ 1e-6 relative;
 * measured on seeds 1–4: ≤ 1.2e-8. A wrong kernel or a different batch moves these metrics by far
 * more: one step of training already changes them by ≳ 1e-3 (checked below).
 */
const METRIC_TOL = 1e-6;

describe('lm-train --engine gpu (WebGPU kernels in Node, measured in float64)', () => {
  it('trains to the float64 reference’s metrics within float32, naming the adapter', async () => {
    const cpu = cli([...small(5), '--engine', 'cpu']);
    expect(cpu.stderr).toBe('');
    expect(cpu.code).toBe(0);
    const ref = JSON.parse(cpu.stdout) as LmTrainOutput;
    expect(ref.engine).toBe('float64 reference (TypeScript, one thread)');
    expect(ref.engineReason).toBeUndefined();

    const started = performance.now();
    const gpu = cli([...small(5), '--engine', 'gpu']);
    const seconds = (performance.now() - started) / 1000;
    expect(gpu.code).toBe(0);
    const got = JSON.parse(gpu.stdout) as LmTrainOutput;
    // GPU tests fail, never skip (src/gpu/testing.ts): this machine's Node has SwiftShader.
    expect(got.engineReason, 'no WebGPU adapter in Node').toBeUndefined();
    expect(got.engine).toMatch(/^WebGPU float32 on \S/);
    expect(gpu.stderr).not.toMatch(FALLBACK_NOTE);
    console.log(
      `lm-train, 5 steps: ${got.engine}: ${Math.round(got.tokensPerSecond)} tokens/s (${seconds.toFixed(1)} s with start-up); ` +
        `CPU float64: ${Math.round(ref.tokensPerSecond)} tokens/s`,
    );
    expect(got.metrics.map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
    expect(ref.metrics.map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
    let worst = 0;
    for (let i = 0; i < ref.metrics.length; i++) {
      const err = relErr(metricVector(got.metrics[i]), metricVector(ref.metrics[i]));
      worst = Math.max(worst, err);
      expect(err, `step ${ref.metrics[i].step}`).toBeLessThan(METRIC_TOL);
    }
    console.log(`lm-train GPU vs CPU metrics: worst relErr ${worst.toExponential(2)}`);
    // The comparison can see a wrong step: training moves the metrics by far more than the tolerance.
    const moved = relErr(metricVector(ref.metrics[4]), metricVector(ref.metrics[0]));
    expect(moved).toBeGreaterThan(1000 * METRIC_TOL);
  });

  it('without a WebGPU adapter it trains on the float64 reference, says why on stderr and in the JSON, exit 0', () => {
    // A Vulkan driver list naming no driver: Dawn finds no adapter, as on a machine without WebGPU.
    const r = cli([...small(2), '--engine', 'gpu'], {
      ...process.env,
      VK_ICD_FILENAMES: '/nonexistent/no-driver.json',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(FALLBACK_NOTE);
    expect(r.stderr.match(new RegExp(FALLBACK_NOTE.source, 'gm'))).toHaveLength(1);
    const out = JSON.parse(r.stdout) as LmTrainOutput;
    expect(out.engine).toBe('float64 reference (TypeScript, one thread)');
    expect(out.engineReason).toMatch(/no WebGPU adapter/);
    expect(out.metrics.map((m) => m.step)).toEqual([1, 2]);
  });

  it('refuses an unknown --engine with the usual usage error (exit 2), and lm-sweep takes no --engine', () => {
    const bad = cli(['lm-train', '--steps', '1', '--engine', 'tpu']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('error: --engine: unknown engine "tpu" (use cpu or gpu)\n');
    const sweep = cli(['lm-sweep', '--gamma', '0.1', '--engine', 'gpu']);
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toMatch(/^error: lm-sweep does not take --engine/);
  });
});
