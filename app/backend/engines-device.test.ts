/**
 * The engine owner on a real WebGPU device: Dawn in Node on SwiftShader (vite.config.ts sets
 * VK_ICD_FILENAMES), the software adapter the test browser also has.
 */
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu-engine';
import { randomProblem, randomVector, splitProblem } from '../../src/testing/random-problem';
import { chooseBackend, gpuLostReason, leaseGpu, loseGpuDeviceForTests, onDeviceLost } from './engines';

describe('engines on a software WebGPU device', () => {
  it('Auto picks the CPU, a forced GPU leases the engine, a lease revokes the holder, loss moves every lease to the CPU', async () => {
    const seed = Math.floor(Math.random() * 1e6) + 1;
    const { dataset, config } = splitProblem(randomProblem({ n: 64, d: 4, n1: 8, gammaC: 0.2, seed }));
    const batch = [{ x: randomVector(dataset.d, seed + 1, 0.3), config }];

    const auto = await chooseBackend('auto');
    expect(auto.kind).toBe('cpu');
    expect(auto.reason).toContain('Software WebGPU adapter');
    const forced = await chooseBackend('gpu');
    expect(forced.kind).toBe('gpu');
    expect(forced.label).toContain('WebGPU float32');

    const events: string[] = [];
    const lost = new Promise<string>((resolve) => {
      const stop = onDeviceLost((reason) => {
        events.push('page told');
        stop();
        resolve(reason);
      });
    });
    const sweep = await leaseGpu(dataset, {
      onRevoked: () => events.push('sweep revoked'),
      onLost: () => events.push('sweep lost'),
    });
    if (!sweep.ok) throw new Error(sweep.reason);
    expect(sweep.lease.engine.kind).toBe('gpu');
    const run = await leaseGpu(dataset, {
      onRevoked: () => events.push('run revoked'),
      onLost: () => events.push('run lost'),
    });
    if (!run.ok) throw new Error(run.reason);
    expect(events).toEqual(['sweep revoked']);
    expect(run.lease.holds).toBe(true);
    expect(sweep.lease.holds).toBe(false);
    // float32 on the GPU against the float64 reference.
    const [onGpu] = await run.lease.engine.evaluate(batch);
    const [reference] = await new CpuEngine(dataset).evaluate(batch);
    expect(Math.abs(onGpu.L - reference.L)).toBeLessThanOrEqual(1e-5 * Math.abs(reference.L));

    expect(loseGpuDeviceForTests()).toBe(true);
    expect(await lost).toContain('destroyed');
    expect(gpuLostReason()).toContain('destroyed');
    // Every live lease (held or revoked) is on the CPU before anyone is told.
    expect(events).toEqual(['sweep revoked', 'sweep lost', 'run lost', 'page told']);
    expect(sweep.lease.engine.onCpu).toBe(true);
    expect(await run.lease.engine.evaluate(batch)).toEqual([reference]);
    const after = await leaseGpu(dataset, { onRevoked: () => undefined });
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.reason).toContain('The GPU device was lost');
    run.lease.release();
    sweep.lease.release();

    // Choosing again probes afresh: a new device.
    expect((await chooseBackend('gpu')).kind).toBe('gpu');
    expect(gpuLostReason()).toBeNull();
    expect(loseGpuDeviceForTests()).toBe(true);
  });
});
