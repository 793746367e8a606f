/**
 * What the GPU worker does (app/worker/gpu.worker.ts is its shell): probes WebGPU, leases the GPU
 * engine (engines.ts) to one run and one sweep at a time, and runs their solver loops here, off
 * the page's thread. A run that takes the engine stops the sweep at once (before the run's first
 * evaluation), a sweep that takes it pauses the run; a lost device moves both onto a float64
 * CpuEngine in this worker, from their current iterates. DOM-free: tests drive it in Node on Dawn.
 */
import { METHODS, type MethodName } from '../../src/math/methods';
import type { Dataset } from '../../src/math/types';
import type { SweepCell } from '../../src/engine/sweep';
import type { BatchSolver } from '../../src/solve/solvers';
import type { SolverLoop } from '../run/solver-loop';
import { describeSweepError } from '../sweep/sweep-errors';
import {
  chooseBackend,
  leaseGpu,
  loseGpuDeviceForTests,
  onDeviceLost,
  type GpuLease,
  type GpuLeaseHandlers,
} from './engines';
import { CPU_LABEL } from './backend-decision';
import type { GpuCommand, GpuRefusal, GpuReply, GpuRunStart } from './gpu-protocol';

type Solvers = typeof import('./gpu-solvers');

interface ActiveRun {
  id: number;
  lease: GpuLease;
  solver: BatchSolver;
  loop: SolverLoop;
  disposed: boolean;
}

interface ActiveSweep {
  id: number;
  lease: GpuLease;
  abort: AbortController;
  stopped: boolean;
}

/** The worker's side of the protocol; `post` sends a reply to the page. */
export class GpuSession {
  /** The latest dataset the page sent (starts refer to it by id). */
  private data: { id: number; dataset: Dataset } | null = null;
  private run: ActiveRun | null = null;
  private sweep: ActiveSweep | null = null;
  /** The run and sweep the page wants now (a start awaiting the engine checks it). */
  private wantedRun: number | null = null;
  private wantedSweep: number | null = null;
  private solvers: Promise<Solvers> | null = null;
  private readonly stopListening: () => void;

  constructor(private readonly post: (reply: GpuReply) => void) {
    this.stopListening = onDeviceLost((reason) => {
      const continued = this.continueRunOnCpu();
      this.post({ type: 'device-lost', reason, continuedRunId: continued });
    });
  }

  /** Handles one message of the page; never throws (failures are replies). */
  handle(command: GpuCommand): void {
    switch (command.type) {
      case 'choose':
        void chooseBackend(command.requested).then(
          (decision) => this.post({ type: 'chosen', id: command.id, decision }),
          (e: unknown) =>
            this.post({
              type: 'chosen',
              id: command.id,
              decision: { kind: 'cpu', label: CPU_LABEL, reason: `WebGPU failed to start: ${message(e)}` },
            }),
        );
        break;
      case 'dataset':
        this.data = { id: command.datasetId, dataset: command.dataset };
        break;
      case 'run-start':
        void this.startRun(command.runId, command.datasetId, command.start);
        break;
      case 'run-control':
        this.controlRun(command.runId, command.command);
        break;
      case 'run-speed':
        if (this.run?.id === command.runId) this.run.loop.setSpeed(command.speed);
        break;
      case 'run-dispose':
        if (this.wantedRun === command.runId) this.wantedRun = null;
        if (this.run?.id === command.runId) this.disposeRun();
        break;
      case 'sweep-start':
        void this.startSweep(command.sweepId, command.datasetId, command.spec);
        break;
      case 'sweep-cancel':
        if (this.wantedSweep === command.sweepId) this.wantedSweep = null;
        if (this.sweep?.id === command.sweepId) this.stopSweep();
        break;
      case 'lose-device':
        this.post({ type: 'device-destroyed', id: command.id, destroyed: loseGpuDeviceForTests() });
        break;
    }
  }

  /** Stops everything and gives the engine back (the worker is closing). */
  dispose(): void {
    this.stopListening();
    this.disposeRun();
    this.stopSweep();
  }

  private loadSolvers(): Promise<Solvers> {
    this.solvers ??= import('./gpu-solvers');
    const mine = this.solvers;
    mine.catch(() => {
      if (this.solvers === mine) this.solvers = null; // the next start tries again
    });
    return mine;
  }

  /** The engine and the solver code, or why not; `stillWanted` is checked after every wait. */
  private async lease(
    datasetId: number,
    handlers: GpuLeaseHandlers,
    stillWanted: () => boolean,
  ): Promise<{ ok: true; lease: GpuLease; solvers: Solvers } | ({ ok: false } & GpuRefusal)> {
    if (this.data?.id !== datasetId)
      return { ok: false, reason: 'The GPU worker does not have this data.', why: 'unavailable' };
    const solversLoading = this.loadSolvers();
    solversLoading.catch(() => undefined); // handled below, once the lease is settled
    const got = await leaseGpu(this.data.dataset, handlers);
    if (!got.ok) {
      if (!stillWanted()) return { ok: false, reason: got.reason, why: 'reset' };
      return { ok: false, reason: got.reason, why: got.superseded ? 'taken' : 'unavailable' };
    }
    let solvers: Solvers;
    try {
      solvers = await solversLoading;
    } catch {
      got.lease.release();
      return { ok: false, reason: 'The solver code could not be loaded.', why: 'unavailable' };
    }
    if (!stillWanted()) {
      got.lease.release();
      return { ok: false, reason: 'Reset before it started.', why: 'reset' };
    }
    // Another run or sweep took the engine while the code loaded.
    if (!got.lease.holds) {
      got.lease.release();
      return { ok: false, reason: 'Another run or sweep took the GPU engine.', why: 'taken' };
    }
    return { ok: true, lease: got.lease, solvers };
  }

  private async startRun(runId: number, datasetId: number, start: GpuRunStart): Promise<void> {
    this.disposeRun();
    this.wantedRun = runId;
    const got = await this.lease(
      datasetId,
      // A sweep took the engine: stop after the current iteration (the run is paused then anyway).
      { onRevoked: () => (this.run?.id === runId ? this.run.loop.pause() : undefined) },
      () => this.wantedRun === runId,
    );
    if (!got.ok) {
      this.post({ type: 'run-refused', runId, reason: got.reason, why: got.why });
      return;
    }
    const { lease, solvers } = got;
    const unsupported = unsupportedMethod(
      lease,
      start.configs.map((c) => c.method ?? 'paper'),
    );
    if (unsupported !== null) {
      lease.release();
      this.post({ type: 'run-refused', runId, reason: unsupported, why: 'unavailable' });
      return;
    }
    const solver = new solvers.BatchSolver(lease.engine, start.configs, start.x0, start.options);
    const run: ActiveRun = { id: runId, lease, solver, disposed: false, loop: null as unknown as SolverLoop };
    run.loop = new solvers.SolverLoop(solver, (event) => {
      // A finished run needs the engine no more (a sweep may take it without being cancelled).
      if (event.type === 'done' || event.type === 'error') lease.release();
      // An iteration in flight when the run is reset must not report into the next run.
      if (!run.disposed) this.post({ type: 'run-event', runId, event });
    });
    this.run = run;
    this.post({ type: 'run-started', runId, label: lease.label });
    run.loop.setSpeed(start.speed);
    if (start.autoplay) run.loop.play();
    else run.loop.step(); // iteration 0: the start point, so the plots show where the run begins
  }

  private controlRun(runId: number, command: 'play' | 'pause' | 'step'): void {
    const run = this.run;
    if (run?.id !== runId) return;
    // A sweep may have taken the engine while this run was paused: take it back (the sweep stops).
    if (command !== 'pause') run.lease.renew();
    if (command === 'play') run.loop.play();
    else if (command === 'pause') run.loop.pause();
    else run.loop.step();
  }

  /**
   * After a lost device: the run's later evaluations go to a float64 CpuEngine here, and once the
   * iteration in flight is done the solver re-evaluates its current points there, so iterates and
   * history are kept. Returns the run's id, or null when no run is in progress.
   */
  private continueRunOnCpu(): number | null {
    const run = this.run;
    if (!run || run.disposed || run.solver.done) return null;
    const engine = run.lease.engine;
    engine.switchToCpu();
    run.loop.betweenSteps(() => run.solver.replaceEngine(engine));
    return run.id;
  }

  private disposeRun(): void {
    const run = this.run;
    this.run = null;
    if (!run) return;
    run.disposed = true;
    run.loop.dispose();
    run.lease.release();
  }

  private async startSweep(
    sweepId: number,
    datasetId: number,
    spec: Parameters<Solvers['runSweep']>[1],
  ): Promise<void> {
    this.stopSweep();
    this.wantedSweep = sweepId;
    const got = await this.lease(
      datasetId,
      {
        // A run took the engine: stop now, before the run's first evaluation, then tell the page.
        onRevoked: () => {
          if (this.sweep?.id === sweepId) this.stopSweep();
          if (this.wantedSweep === sweepId) this.wantedSweep = null;
          this.post({ type: 'sweep-revoked', sweepId });
        },
        onLost: (reason) => this.post({ type: 'sweep-lost', sweepId, reason }),
      },
      () => this.wantedSweep === sweepId,
    );
    if (!got.ok) {
      this.post({ type: 'sweep-refused', sweepId, reason: got.reason, why: got.why });
      return;
    }
    const unsupported = unsupportedMethod(got.lease, spec.methods ?? ['paper']);
    if (unsupported !== null) {
      got.lease.release();
      this.post({ type: 'sweep-refused', sweepId, reason: unsupported, why: 'unavailable' });
      return;
    }
    const sweep: ActiveSweep = {
      id: sweepId,
      lease: got.lease,
      abort: new AbortController(),
      stopped: false,
    };
    this.sweep = sweep;
    this.post({ type: 'sweep-started', sweepId, label: got.lease.label });
    let pending: SweepCell[] = [];
    const send = (event: Extract<GpuReply, { type: 'sweep-event' }>['event']): void => {
      if (!sweep.stopped) this.post({ type: 'sweep-event', sweepId, event });
    };
    got.solvers
      .runSweep(got.lease.engine, spec, {
        signal: sweep.abort.signal,
        onCell: (cell) => pending.push(cell),
        onProgress: (progress) => {
          send({ type: 'progress', progress, cells: pending });
          pending = [];
        },
      })
      .then(
        (result) => send({ type: 'done', elapsedMs: result.elapsedMs, batchSize: result.batchSize }),
        (e: unknown) => send({ type: 'error', message: describeSweepError(e) }),
      )
      .finally(() => {
        if (this.sweep === sweep) this.sweep = null;
        sweep.lease.release();
      });
  }

  /** Stops the sweep in flight (it reports nothing more) and gives its engine back. */
  private stopSweep(): void {
    const sweep = this.sweep;
    this.sweep = null;
    if (!sweep) return;
    sweep.stopped = true;
    sweep.abort.abort();
    sweep.lease.release();
  }
}

/** Why the leased engine cannot evaluate one of these methods (the CPU worker should), or null. */
function unsupportedMethod(lease: GpuLease, methods: readonly MethodName[]): string | null {
  const missing = methods.find((m) => !lease.engine.capabilities.methods.includes(m));
  return missing === undefined
    ? null
    : `The WebGPU engine does not evaluate the ${METHODS[missing].label} method; the float64 CPU engine does.`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
