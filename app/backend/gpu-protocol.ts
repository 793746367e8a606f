/**
 * Messages between the page (gpu-client.ts) and the GPU worker (app/worker/gpu.worker.ts, which
 * runs gpu-session.ts). The worker owns the WebGPU device, the GPU engine, its lease and the
 * solver loops that use it; the page keeps only the controls and the store. Every message has a
 * `type` field; runs and sweeps carry the page's id so late replies of an older one are ignored.
 */
import type { SweepSpec } from '../../src/engine/sweep';
import type { Dataset } from '../../src/math/types';
import type { LoopCommand, LoopEvent } from '../run/protocol';
import type { SweepEvent } from '../sweep/sweep-protocol';
import type { BackendChoice } from '../store/settings';
import type { BackendDecision } from './backend-decision';

/** A run's start as the worker needs it (the dataset travels once, by id). */
export type GpuRunStart = Omit<Extract<LoopCommand, { type: 'start' }>, 'type' | 'dataset'>;

/** What the page sends. */
export type GpuCommand =
  /** Probe WebGPU (again after a lost device) and decide the backend for this choice. */
  | { type: 'choose'; id: number; requested: BackendChoice }
  /** The data later starts refer to by id (sent once per dataset, before its first start). */
  | { type: 'dataset'; datasetId: number; dataset: Dataset }
  | { type: 'run-start'; runId: number; datasetId: number; start: GpuRunStart }
  | { type: 'run-control'; runId: number; command: 'play' | 'pause' | 'step' }
  | { type: 'run-speed'; runId: number; speed: number }
  /** The run is reset: stop it and give the engine back. */
  | { type: 'run-dispose'; runId: number }
  | { type: 'sweep-start'; sweepId: number; datasetId: number; spec: SweepSpec }
  | { type: 'sweep-cancel'; sweepId: number }
  /** Tests only: destroy the device, as a driver crash would. */
  | { type: 'lose-device'; id: number };

/** Why a run or sweep could not have the GPU engine. */
export interface GpuRefusal {
  reason: string;
  /**
   * `reset`: the page reset or replaced it while it waited (nothing to say); `taken`: another run
   * or sweep took the engine while it waited; `unavailable`: the GPU engine cannot be had (no live
   * device, or it cannot take the data), so the CPU worker should do it.
   */
  why: 'reset' | 'taken' | 'unavailable';
}

/** What the worker sends back. */
export type GpuReply =
  | { type: 'chosen'; id: number; decision: BackendDecision }
  /**
   * The device was lost. `continuedRunId`: the run that goes on on the float64 CPU engine in the
   * worker, from the same iterate (null when no run was in progress).
   */
  | { type: 'device-lost'; reason: string; continuedRunId: number | null }
  | { type: 'run-started'; runId: number; label: string }
  | ({ type: 'run-refused'; runId: number } & GpuRefusal)
  | { type: 'run-event'; runId: number; event: LoopEvent }
  | { type: 'sweep-started'; sweepId: number; label: string }
  | ({ type: 'sweep-refused'; sweepId: number } & GpuRefusal)
  | { type: 'sweep-event'; sweepId: number; event: SweepEvent }
  /** A run took the engine: the worker has already stopped this sweep. */
  | { type: 'sweep-revoked'; sweepId: number }
  /** The device was lost mid-sweep: the sweep goes on on the float64 CPU engine. */
  | { type: 'sweep-lost'; sweepId: number; reason: string }
  | { type: 'device-destroyed'; id: number; destroyed: boolean };
