import { describe, expect, it } from 'vitest';
import { acquireGpu, type GpuAdapterSummary } from '../../src/gpu/device';
import { CPU_LABEL, decideBackend } from './backend-decision';
import { isSoftwareAdapter } from './webgpu-probe';

const adapter = (a: Partial<GpuAdapterSummary>): GpuAdapterSummary => ({
  vendor: '',
  architecture: '',
  device: '',
  description: '',
  isFallbackAdapter: false,
  ...a,
});

describe('isSoftwareAdapter', () => {
  it('tells software adapters (flagged or named) from hardware ones', () => {
    expect(isSoftwareAdapter(adapter({ isFallbackAdapter: true }))).toBe(true);
    // Chromium's and Dawn's SwiftShader, Mesa's llvmpipe/lavapipe, Windows' WARP.
    expect(isSoftwareAdapter(adapter({ vendor: 'google', architecture: 'swiftshader' }))).toBe(true);
    expect(isSoftwareAdapter(adapter({ description: 'SwiftShader Device (Subzero)' }))).toBe(true);
    expect(isSoftwareAdapter(adapter({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toBe(true);
    expect(isSoftwareAdapter(adapter({ description: 'Microsoft Basic Render Driver' }))).toBe(true);
    expect(
      isSoftwareAdapter(adapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' })),
    ).toBe(false);
    expect(isSoftwareAdapter(adapter({ vendor: 'apple', architecture: 'metal-3' }))).toBe(false);
  });

  it("recognises the software adapter this machine's Dawn runs on (SwiftShader, vite.config.ts)", async () => {
    const got = await acquireGpu();
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(isSoftwareAdapter(got.gpu.adapter)).toBe(true);
    got.gpu.device.destroy();
  });
});

describe('decideBackend', () => {
  const software = {
    ok: true as const,
    label: 'WebGPU float32 on sw',
    adapter: 'google swiftshader',
    software: true,
  };
  const hardware = {
    ok: true as const,
    label: 'WebGPU float32 on hw',
    adapter: 'nvidia hopper',
    software: false,
  };
  const missing = { ok: false as const, reason: 'This browser has no WebGPU (navigator.gpu is missing).' };

  it('Auto uses WebGPU only on a hardware adapter, and says why not on a software one', () => {
    expect(decideBackend('auto', hardware)).toEqual({ kind: 'gpu', label: hardware.label, reason: null });
    const sw = decideBackend('auto', software);
    expect(sw.kind).toBe('cpu');
    expect(sw.label).toBe(CPU_LABEL);
    expect(sw.reason).toContain('Software WebGPU adapter (google swiftshader)');
    expect(sw.reason).toContain('the CPU engine is faster here');
  });

  it('a forced WebGPU runs on any adapter; a forced CPU never probes', () => {
    expect(decideBackend('gpu', software)).toEqual({ kind: 'gpu', label: software.label, reason: null });
    expect(decideBackend('cpu', hardware)).toEqual({ kind: 'cpu', label: CPU_LABEL, reason: null });
    expect(decideBackend('cpu', null)).toEqual({ kind: 'cpu', label: CPU_LABEL, reason: null });
  });

  it("says why WebGPU is unavailable in the device module's words", () => {
    expect(decideBackend('auto', missing).reason).toBe(missing.reason);
    expect(decideBackend('gpu', missing).reason).toBe(
      `WebGPU was requested but cannot be used. ${missing.reason}`,
    );
  });
});
