/**
 * The one owner of the GPU engine, in the GPU worker (app/worker/gpu.worker.ts, driven by
 * gpu-session.ts), so the d×d Cholesky, the readbacks and the WGSL emulation of a software adapter
 * never block the page. It probes WebGPU (one device per worker, acquired through
 * src/gpu/device.ts, whose words say why WebGPU is unavailable), decides which backend a choice
 * gets (Auto: WebGPU only on a hardware adapter), keeps the GPU engine of the current dataset,
 * learns of device loss from the device's `lost` promise (no polling) and hands the GPU engine out
 * under a lease, so a run and a sweep never interleave on it. After a lost device the leased
 * FailoverEngine goes on on a float64 CpuEngine in the same worker (its code loads with the first
 * lease). DOM-free: the Vitest suite drives it on Dawn in Node.
 */
import { describeAdapter, type GpuContext } from '../../src/gpu/device';
import type { Dataset } from '../../src/math/types';
import type { BackendChoice } from '../store/settings';
import { decideBackend, lostText, type BackendDecision } from './backend-decision';
import { createGpuEngine, type GpuEngineResult } from './engine-factory';
import type { FailoverEngine } from './failover-engine';
import { ExclusiveLease, type LeaseHandlers, type LeaseTicket } from './lease';
import { probeWebGpu } from './webgpu-probe';

/** The page's WebGPU device and what became of it. */
interface Device {
  gpu: GpuContext;
  label: string;
  software: boolean;
  /** Resolves with the reason when the device is lost (also after destroy()). */
  lost: Promise<string>;
  lostReason: string | null;
}

/** What a lease holder is told besides revocation. */
export interface GpuLeaseHandlers extends LeaseHandlers {
  /**
   * The device was lost; the lease's engine already sends every later call to a float64 CpuEngine
   * (an evaluation in flight is retried there).
   */
  onLost?(reason: string): void;
}

interface Holder extends GpuLeaseHandlers {
  engine: FailoverEngine | null;
}

/** Exclusive use of the GPU engine for one run or sweep. */
export interface GpuLease {
  /** The GPU engine, which goes on on a CpuEngine once the device is lost. */
  readonly engine: FailoverEngine;
  readonly label: string;
  /** True while nobody else has taken the lease. */
  readonly holds: boolean;
  /** Takes the engine back from whoever took it (they are revoked); false once released. */
  renew(): boolean;
  /** Gives the engine up (idempotent). */
  release(): void;
}

export type GpuLeaseResult =
  | { ok: true; lease: GpuLease }
  /** `superseded`: another run or sweep took the lease while this one waited for the engine. */
  | { ok: false; reason: string; superseded: boolean };

let current: Device | null = null;
let acquiring: Promise<Device | { reason: string }> | null = null;
let cache: { device: Device; dataset: Dataset; made: Promise<GpuEngineResult> } | null = null;
const lease = new ExclusiveLease<Holder>();
const lostListeners = new Set<(reason: string) => void>();

/** The live device, acquiring one when there is none or the last one was lost. */
function acquire(): Promise<Device | { reason: string }> {
  if (current && current.lostReason === null) return Promise.resolve(current);
  acquiring ??= probeWebGpu().then((probe) => {
    acquiring = null;
    if (!probe.ok) return { reason: probe.reason };
    const lost = probe.gpu.lost.then((info) =>
      info.message ? `${String(info.reason)}: ${info.message}` : String(info.reason),
    );
    const device: Device = {
      gpu: probe.gpu,
      label: probe.label,
      software: probe.software,
      lost,
      lostReason: null,
    };
    current = device;
    void lost.then((reason) => deviceLost(device, reason));
    return device;
  });
  return acquiring;
}

function deviceLost(device: Device, reason: string): void {
  device.lostReason = reason;
  // Every run or sweep that leased the engine goes on on the CPU first, then the engine goes.
  for (const ticket of lease.live) ticket.handlers.engine?.switchToCpu();
  if (cache?.device === device) {
    void cache.made.then((m) => m.ok && m.engine.dispose());
    cache = null;
  }
  for (const ticket of lease.live) ticket.handlers.onLost?.(reason);
  for (const listener of [...lostListeners]) listener(reason);
}

/** Probes WebGPU when the choice needs it (again after a lost device) and decides the backend. */
export async function chooseBackend(requested: BackendChoice): Promise<BackendDecision> {
  if (requested === 'cpu') return decideBackend('cpu', null);
  const device = await acquire();
  return decideBackend(
    requested,
    'reason' in device
      ? { ok: false, reason: device.reason }
      : {
          ok: true,
          label: device.label,
          adapter: describeAdapter(device.gpu.adapter),
          software: device.software,
        },
  );
}

/** Why the page's GPU device was lost, or null (also when there is none). */
export function gpuLostReason(): string | null {
  return current?.lostReason ?? null;
}

/** Calls `listener` with the reason whenever the page's GPU device is lost; returns the unsubscribe. */
export function onDeviceLost(listener: (reason: string) => void): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

/** The GPU engine for this dataset on `device`, created once per dataset. */
function engineFor(device: Device, dataset: Dataset): Promise<GpuEngineResult> {
  if (cache?.device === device && cache.dataset === dataset) return cache.made;
  // A new dataset resets the run and cancels the sweep first, so nobody uses the old engine.
  if (cache) void cache.made.then((m) => m.ok && m.engine.dispose());
  const made = createGpuEngine(dataset, device.gpu.device);
  cache = { device, dataset, made };
  void made.then((m) => {
    if (!m.ok && cache?.made === made) cache = null; // the next ask tries again
  });
  return made;
}

/**
 * Exclusive use of the GPU engine for `dataset`. Taking it revokes the run or sweep that held it
 * (its `onRevoked` runs before this returns a promise). Fails with a reason when there is no live
 * device or the engine cannot take the data.
 */
export async function leaseGpu(dataset: Dataset, handlers: GpuLeaseHandlers): Promise<GpuLeaseResult> {
  const holder: Holder = {
    onRevoked: () => handlers.onRevoked(),
    onLost: (reason) => handlers.onLost?.(reason),
    engine: null,
  };
  const ticket: LeaseTicket<Holder> = lease.take(holder);
  const fail = (reason: string, superseded = false): GpuLeaseResult => {
    ticket.release();
    return { ok: false, reason, superseded };
  };
  const device = current;
  if (!device) return fail('WebGPU is not in use.');
  if (device.lostReason !== null) return fail(lostText(device.lostReason));
  let failover: typeof import('./failover-engine');
  let made: GpuEngineResult;
  try {
    [made, failover] = await Promise.all([engineFor(device, dataset), import('./failover-engine')]);
  } catch (e) {
    return fail(`The WebGPU engine failed to start: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!ticket.holds) return fail('Another run or sweep took the GPU engine.', true);
  if (device.lostReason !== null) return fail(lostText(device.lostReason));
  if (!made.ok) return fail(made.reason);
  const engine = new failover.FailoverEngine(made.engine, device.lost);
  holder.engine = engine;
  return {
    ok: true,
    lease: {
      engine,
      label: device.label,
      get holds() {
        return ticket.holds;
      },
      renew: () => ticket.renew(),
      release: () => ticket.release(),
    },
  };
}

/** Tests only: destroys the page's live GPU device, as a driver crash would. True when there was one. */
export function loseGpuDeviceForTests(): boolean {
  const device = current;
  if (!device || device.lostReason !== null) return false;
  device.gpu.device.destroy();
  return true;
}
