import { afterEach, describe, expect, it, vi } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu-engine';
import type { Engine, EvalRequest } from '../../src/engine/engine';
import { randomProblem, randomVector, splitProblem } from '../../src/testing/random-problem';
import { FailoverEngine, LOST_GRACE_MS } from './failover-engine';

/** A stand-in for the GPU engine: float32, every call rejects (as on a destroyed device). */
function failingGpu(base: CpuEngine, error: Error): Engine {
  return {
    kind: 'gpu',
    description: 'stand-in GPU engine',
    capabilities: { precision: 'float32', sketch: 'sampled', methods: ['paper'] },
    precision: 'float32',
    dataset: base.dataset,
    evaluate: () => Promise.reject(error),
    hessianVectorProducts: () => Promise.reject(error),
    dispose: () => undefined,
  };
}

/** A promise resolved from outside, like GPUDevice.lost. */
function lostPromise(): { lost: Promise<string>; lose: (reason: string) => void } {
  let lose: (reason: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => (lose = resolve));
  return { lost, lose };
}

function fresh(seed: number): { cpu: CpuEngine; batch: EvalRequest[] } {
  const { dataset, config } = splitProblem(randomProblem({ n: 40, d: 5, n1: 6, gammaC: 0.2, seed }));
  const batch = [1, 2].map((k) => ({ x: randomVector(dataset.d, seed * 10 + k, 0.3), config }));
  return { cpu: new CpuEngine(dataset), batch };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('FailoverEngine', () => {
  it('retries on a float64 CpuEngine a call that failed because the device was lost', async () => {
    const { cpu, batch } = fresh(Math.floor(Math.random() * 1e6) + 1);
    const { lost, lose } = lostPromise();
    const engine = new FailoverEngine(failingGpu(cpu, new Error('mapAsync aborted')), lost);
    expect(engine.kind).toBe('gpu');
    lose('destroyed');
    const got = await engine.evaluate(batch, { hessian: 'exact' });
    const want = await cpu.evaluate(batch, { hessian: 'exact' });
    expect(got).toEqual(want);
    expect(engine.onCpu).toBe(true);
    expect(engine.kind).toBe('cpu');
    expect(engine.capabilities.precision).toBe('float64');
    expect(engine.lostReason).toBe('destroyed');
  });

  it('waits for a lost promise that settles after the call failed, without polling', async () => {
    vi.useFakeTimers();
    const { cpu, batch } = fresh(Math.floor(Math.random() * 1e6) + 1);
    const { lost, lose } = lostPromise();
    const engine = new FailoverEngine(failingGpu(cpu, new Error('device destroyed')), lost);
    const v = batch.map((r) => randomVector(r.x.length, 99, 1));
    const pending = engine.hessianVectorProducts(batch, v);
    await vi.advanceTimersByTimeAsync(0);
    // One grace timer while the call waits; nothing that re-arms itself.
    expect(vi.getTimerCount()).toBe(1);
    lose('destroyed');
    expect(await pending).toEqual(await cpu.hessianVectorProducts(batch, v));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rethrows a GPU failure when the device is not lost within the grace period', async () => {
    vi.useFakeTimers();
    const { cpu, batch } = fresh(Math.floor(Math.random() * 1e6) + 1);
    const engine = new FailoverEngine(failingGpu(cpu, new Error('validation error')), lostPromise().lost);
    const pending = engine.evaluate(batch);
    const settled = pending.then(
      () => 'resolved',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    await vi.advanceTimersByTimeAsync(LOST_GRACE_MS);
    expect(await settled).toBe('validation error');
    expect(engine.onCpu).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends later calls to the CPU once the device is lost, and arms no timer on success', async () => {
    vi.useFakeTimers();
    const { cpu, batch } = fresh(Math.floor(Math.random() * 1e6) + 1);
    const { lost, lose } = lostPromise();
    const engine = new FailoverEngine(failingGpu(cpu, new Error('unused')), lost);
    lose('unknown: GPU process crashed');
    await lost;
    expect(engine.onCpu).toBe(true);
    expect(await engine.evaluate(batch)).toEqual(await cpu.evaluate(batch));
    expect(vi.getTimerCount()).toBe(0);
  });
});
