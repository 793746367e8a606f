/**
 * The page's side of the GPU worker (app/worker/gpu.worker.ts): one worker per page, started by
 * the first backend choice that needs WebGPU probed. The WebGPU device, the GPU engine, its lease
 * and the solver loops all live there, so a GPU run or sweep never blocks input; this module only
 * passes messages, remembers why the device was lost, and gives the run and sweep controllers
 * handles to what they started. A dataset travels to the worker once (by id), not with every start.
 */
import type { SweepSpec } from '../../src/engine/sweep';
import type { Dataset } from '../../src/math/types';
import type { LoopEvent } from '../run/protocol';
import type { BackendChoice } from '../store/settings';
import type { SweepEvent } from '../sweep/sweep-protocol';
import { decideBackend, type BackendDecision } from './backend-decision';
import type { GpuCommand, GpuRefusal, GpuReply, GpuRunStart } from './gpu-protocol';

/** What the page says when the worker itself dies (a crash, out of memory). */
export const GPU_WORKER_DIED = 'the GPU worker stopped unexpectedly';

/** A GPU run in the worker. */
export interface GpuRunHandle {
  readonly id: number;
  send(command: 'play' | 'pause' | 'step'): void;
  setSpeed(speed: number): void;
  /** Stops the run and gives the engine back; no event of it reaches the page after this. */
  dispose(): void;
}

/** A GPU sweep in the worker. */
export interface GpuSweepHandle {
  /** Stops the sweep (its finished cells were already reported) and gives the engine back. */
  cancel(): void;
}

export interface GpuSweepHandlers {
  onEvent(event: SweepEvent): void;
  /** A run took the engine; the worker has stopped the sweep. */
  onRevoked(): void;
  /** The device was lost; the sweep goes on on the float64 CPU engine in the worker. */
  onLost(reason: string): void;
}

export type GpuStartResult<H> = { ok: true; handle: H; label: string } | ({ ok: false } & GpuRefusal);

interface RunEntry {
  onEvent(event: LoopEvent): void;
  settle?(result: GpuStartResult<GpuRunHandle>): void;
}

interface SweepEntry extends GpuSweepHandlers {
  settle?(result: GpuStartResult<GpuSweepHandle>): void;
}

let worker: Worker | null = null;
let nextId = 1;
const choices = new Map<number, (decision: BackendDecision) => void>();
const destroys = new Map<number, (destroyed: boolean) => void>();
const runs = new Map<number, RunEntry>();
const sweeps = new Map<number, SweepEntry>();
const lostListeners = new Set<(reason: string, continuedRunId: number | null) => void>();
/** Why the worker's device was lost (null while it is live, or before any probe). */
let lostReason: string | null = null;
/** Ids the page gave its datasets, and the one the worker holds now. */
const datasetIds = new WeakMap<Dataset, number>();
let nextDatasetId = 1;
let datasetInWorker = 0;

function ensureWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(new URL('../worker/gpu.worker.ts', import.meta.url), { type: 'module' });
  started.onmessage = (m: MessageEvent<GpuReply>) => receive(m.data);
  started.onerror = (e) => {
    e.preventDefault();
    workerDied();
  };
  worker = started;
  return started;
}

function send(command: GpuCommand): void {
  ensureWorker().postMessage(command);
}

/** The worker is gone: everything it ran ends with a reason, and the next call starts a new one. */
function workerDied(): void {
  worker?.terminate();
  worker = null;
  datasetInWorker = 0;
  const reason = `${GPU_WORKER_DIED}; press reset and try again`;
  for (const settle of choices.values()) settle(decideBackend('gpu', { ok: false, reason: GPU_WORKER_DIED }));
  for (const settle of destroys.values()) settle(false);
  // A start still waiting is refused (the controllers then use the CPU worker); the rest stop.
  for (const run of runs.values()) {
    if (run.settle) run.settle({ ok: false, reason, why: 'unavailable' });
    else run.onEvent({ type: 'error', message: `The solver stopped: ${reason}.` });
  }
  for (const sweep of sweeps.values()) {
    if (sweep.settle) sweep.settle({ ok: false, reason, why: 'unavailable' });
    else sweep.onEvent({ type: 'error', message: `The sweep stopped: ${reason}.` });
  }
  choices.clear();
  destroys.clear();
  runs.clear();
  sweeps.clear();
  lostReason = GPU_WORKER_DIED;
  for (const listener of [...lostListeners]) listener(GPU_WORKER_DIED, null);
}

function receive(reply: GpuReply): void {
  switch (reply.type) {
    case 'chosen':
      choices.get(reply.id)?.(reply.decision);
      choices.delete(reply.id);
      break;
    case 'device-destroyed':
      destroys.get(reply.id)?.(reply.destroyed);
      destroys.delete(reply.id);
      break;
    case 'device-lost':
      lostReason = reply.reason;
      for (const listener of [...lostListeners]) listener(reply.reason, reply.continuedRunId);
      break;
    case 'run-started':
    case 'run-refused': {
      const run = runs.get(reply.runId);
      const settle = run?.settle;
      if (!run || !settle) break;
      run.settle = undefined;
      if (reply.type === 'run-refused') {
        runs.delete(reply.runId);
        settle({ ok: false, reason: reply.reason, why: reply.why });
      } else settle({ ok: true, handle: runHandle(reply.runId), label: reply.label });
      break;
    }
    case 'run-event':
      runs.get(reply.runId)?.onEvent(reply.event);
      break;
    case 'sweep-started':
    case 'sweep-refused': {
      const sweep = sweeps.get(reply.sweepId);
      const settle = sweep?.settle;
      if (!sweep || !settle) break;
      sweep.settle = undefined;
      if (reply.type === 'sweep-refused') {
        sweeps.delete(reply.sweepId);
        settle({ ok: false, reason: reply.reason, why: reply.why });
      } else settle({ ok: true, handle: sweepHandle(reply.sweepId), label: reply.label });
      break;
    }
    case 'sweep-event': {
      const sweep = sweeps.get(reply.sweepId);
      if (!sweep) break;
      if (reply.event.type !== 'progress') sweeps.delete(reply.sweepId);
      sweep.onEvent(reply.event);
      break;
    }
    case 'sweep-revoked': {
      const sweep = sweeps.get(reply.sweepId);
      sweeps.delete(reply.sweepId);
      // Revoked while it still waited for the engine: its start is answered too, not left pending.
      sweep?.settle?.({ ok: false, reason: 'Another run or sweep took the GPU engine.', why: 'taken' });
      sweep?.onRevoked();
      break;
    }
    case 'sweep-lost':
      sweeps.get(reply.sweepId)?.onLost(reply.reason);
      break;
  }
}

/** Sends `dataset` to the worker unless it holds it already; returns its id. */
function shareDataset(dataset: Dataset): number {
  let id = datasetIds.get(dataset);
  if (id === undefined) {
    id = nextDatasetId++;
    datasetIds.set(dataset, id);
  }
  if (datasetInWorker !== id) {
    send({ type: 'dataset', datasetId: id, dataset });
    datasetInWorker = id;
  }
  return id;
}

function runHandle(id: number): GpuRunHandle {
  return {
    id,
    send: (command) => send({ type: 'run-control', runId: id, command }),
    setSpeed: (speed) => send({ type: 'run-speed', runId: id, speed }),
    dispose: () => {
      if (runs.delete(id) && worker) send({ type: 'run-dispose', runId: id });
    },
  };
}

function sweepHandle(id: number): GpuSweepHandle {
  return {
    cancel: () => {
      if (sweeps.delete(id) && worker) send({ type: 'sweep-cancel', sweepId: id });
    },
  };
}

/** Probes WebGPU in the worker when the choice needs it (again after a lost device) and decides. */
export function chooseBackend(requested: BackendChoice): Promise<BackendDecision> {
  if (requested === 'cpu') return Promise.resolve(decideBackend('cpu', null));
  const id = nextId++;
  return new Promise((resolve) => {
    choices.set(id, (decision) => {
      // A probe that found a device means a live one, whatever was lost before.
      if (decision.kind === 'gpu') lostReason = null;
      resolve(decision);
    });
    send({ type: 'choose', id, requested });
  });
}

/** Why the GPU device was lost (or the worker died), or null. */
export function gpuLostReason(): string | null {
  return lostReason;
}

/**
 * Calls `listener` when the device is lost, with the run that goes on on the CPU in the worker
 * (null when none did); returns the unsubscribe.
 */
export function onDeviceLost(listener: (reason: string, continuedRunId: number | null) => void): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

/**
 * Starts a run on the GPU engine in the worker (taking the engine stops a GPU sweep). Events
 * reach `onEvent` until the handle is disposed.
 */
export function startGpuRun(
  dataset: Dataset,
  start: GpuRunStart,
  onEvent: (event: LoopEvent) => void,
): Promise<GpuStartResult<GpuRunHandle>> {
  const runId = nextId++;
  const datasetId = shareDataset(dataset);
  return new Promise((resolve) => {
    runs.set(runId, { onEvent, settle: resolve });
    send({ type: 'run-start', runId, datasetId, start });
  });
}

/** Starts a sweep on the GPU engine in the worker (taking the engine pauses a GPU run). */
export function startGpuSweep(
  dataset: Dataset,
  spec: SweepSpec,
  handlers: GpuSweepHandlers,
): Promise<GpuStartResult<GpuSweepHandle>> {
  const sweepId = nextId++;
  const datasetId = shareDataset(dataset);
  return new Promise((resolve) => {
    sweeps.set(sweepId, { ...handlers, settle: resolve });
    send({ type: 'sweep-start', sweepId, datasetId, spec });
  });
}

/** Tests only: destroys the worker's live GPU device, as a driver crash would. */
export function loseGpuDeviceForTests(): Promise<boolean> {
  if (!worker) return Promise.resolve(false);
  const id = nextId++;
  return new Promise((resolve) => {
    destroys.set(id, resolve);
    send({ type: 'lose-device', id });
  });
}

// Tests only (Vite dev server): e2e loses the device this way (a run or sweep goes on on the CPU;
// a finished run keeps its result).
if (import.meta.env.DEV && typeof window !== 'undefined') {
  (window as Window & { __loseGpuDevice?: () => Promise<boolean> }).__loseGpuDevice = loseGpuDeviceForTests;
}
