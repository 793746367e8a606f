/**
 * Starts, plays, pauses, steps and resets runs, on the backend in use: the CPU engine in a Web
 * Worker (a fresh worker per run, so even a huge iteration can be abandoned by terminating it), or
 * the GPU engine on the main thread. Coarse state goes to the store; per-iteration records go to
 * the progress channel.
 */
import type { Engine } from '../../src/engine/engine';
import { BatchSolver } from '../../src/math/solvers';
import { distance, norm2 } from '../../src/math/linalg';
import type { Dataset } from '../../src/math/types';
import { createGpuEngine } from '../backend/engine-factory';
import { FailoverEngine } from '../backend/failover-engine';
import { probeWebGpu } from '../backend/webgpu-probe';
import { useAppStore, type RunOutcome } from '../store/app-store';
import { dataMismatch } from '../store/data-readiness';
import type { Settings } from '../store/settings';
import { progress } from './progress';
import { runConfigs, solverOptionsFrom, startPoint } from './run-config';
import { keysDiffer } from './settings-key';
import type { LoopCommand, LoopEvent, RunSummary } from './protocol';
import { SolverLoop } from './solver-loop';

/** Label of the CPU backend in the readout. */
export const CPU_LABEL = 'CPU float64 (Web Worker)';

interface LoopDriver {
  send(command: 'play' | 'pause' | 'step'): void;
  /** Playback speed, iterations per second (0 = as fast as possible). */
  setSpeed(speed: number): void;
  dispose(): void;
}

/** Runs the loop in a dedicated worker with the CPU engine. */
class WorkerDriver implements LoopDriver {
  private readonly worker: Worker;

  constructor(start: Extract<LoopCommand, { type: 'start' }>, onEvent: (e: LoopEvent) => void) {
    this.worker = new Worker(new URL('../worker/solver.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (m: MessageEvent<LoopEvent>) => onEvent(m.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      onEvent({
        type: 'error',
        message: 'The solver worker stopped unexpectedly. Press reset and try again.',
      });
    };
    this.worker.postMessage(start);
  }

  send(command: 'play' | 'pause' | 'step'): void {
    this.worker.postMessage({ type: command } satisfies LoopCommand);
  }

  setSpeed(speed: number): void {
    this.worker.postMessage({ type: 'speed', speed } satisfies LoopCommand);
  }

  dispose(): void {
    this.worker.terminate();
  }
}

/** Runs the loop on the main thread with the GPU engine (its awaits keep the page responsive). */
class InlineDriver implements LoopDriver {
  private readonly loop: SolverLoop;
  private readonly solver: BatchSolver;
  private readonly engine: FailoverEngine;
  private disposed = false;

  constructor(gpu: Engine, start: Extract<LoopCommand, { type: 'start' }>, onEvent: (e: LoopEvent) => void) {
    // The failover engine lets the run go on on the CPU if the GPU device is lost mid-run.
    this.engine = new FailoverEngine(gpu);
    const solver = new BatchSolver(this.engine, start.configs, start.x0, start.options);
    this.solver = solver;
    // An iteration in flight when the run is reset must not report into the next run.
    this.loop = new SolverLoop(solver, (e) => {
      if (!this.disposed) onEvent(e);
    });
    this.loop.setSpeed(start.speed);
    if (start.autoplay) this.loop.play();
    else this.loop.step();
  }

  send(command: 'play' | 'pause' | 'step'): void {
    if (command === 'play') this.loop.play();
    else if (command === 'pause') this.loop.pause();
    else this.loop.step();
  }

  setSpeed(speed: number): void {
    this.loop.setSpeed(speed);
  }

  /**
   * After a lost GPU device: later evaluations run on a float64 CpuEngine on this thread, and
   * once the iteration in flight is done the solver re-evaluates its current points there, so
   * iterates and history are kept. Returns false when the run is already over.
   */
  continueOnCpu(): boolean {
    if (this.disposed || this.solver.done) return false;
    this.engine.switchToCpu();
    this.loop.betweenSteps(() => this.solver.replaceEngine(this.engine));
    return true;
  }

  dispose(): void {
    this.disposed = true;
    this.loop.dispose();
  }
}

function describeStop(summary: RunSummary, label: string): string {
  switch (summary.status) {
    case 'converged':
      return `${label} converged after ${summary.iterations} iterations (‖∇L‖ = ${summary.gradNorm.toExponential(2)}).`;
    case 'max-iter': {
      // float32 gradients rarely go below ~1e-6, so a float64-sized tolerance is never reached there.
      const gpuHint =
        useAppStore.getState().activeBackend === 'gpu' &&
        summary.gradNorm > useAppStore.getState().settings.tol
          ? ' On WebGPU (float32) ‖∇L‖ seldom falls below about 1e-6: raise the tolerance, or use the CPU backend for float64.'
          : '';
      return `${label} reached the iteration limit (${summary.iterations}) before the tolerance (‖∇L‖ = ${summary.gradNorm.toExponential(2)}).${gpuHint}`;
    }
    case 'diverged': {
      const s = useAppStore.getState().settings;
      const advice =
        s.solver === 'gd' && s.gdStep > 0
          ? 'Try a smaller fixed step, or 0 for a line search.'
          : 'Try a smaller γc, a larger w or the Newton solver.';
      return `${label} diverged: ${summary.reason}. ${advice}`;
    }
    case 'stalled':
      return `${label} stopped making progress at iteration ${summary.iterations}: ${summary.reason}.`;
    default:
      return `${label} stopped at iteration ${summary.iterations}.`;
  }
}

let driver: LoopDriver | null = null;

/** The last converged run, to tell when two solvers or starts reach different stationary points. */
interface FinishedRun {
  problem: unknown[];
  method: string;
  x: Float64Array;
  L: number;
  tau: number;
}
let lastConverged: FinishedRun | null = null;

/** What defines the problem (not how it is solved): compared by identity, like the run key. */
function problemKey(): unknown[] {
  const s = useAppStore.getState();
  return [s.dataset, s.mask, s.settings.gammaC, s.settings.reading];
}

/** The solver and start, for people ("gradient descent from x0 = 0"). */
function methodLabel(): string {
  const s = useAppStore.getState().settings;
  const name = { newton: 'Newton', gd: 'gradient descent', sketched: 'sketched Newton' }[s.solver];
  return `${name} from ${s.x0Seed === 0 ? 'x0 = 0' : `x0 seed ${s.x0Seed}`}`;
}

/**
 * Compares a converged run with the previous converged run on the same problem: two points that
 * both pass the gradient test yet lie apart (‖Δx‖ > 1e-3·max(1, ‖x‖)) are different stationary
 * points. Remembers this run for the next comparison.
 */
function otherMinimumOf(run: RunSummary): RunOutcome['otherMinimum'] {
  if (run.status !== 'converged') return null;
  const current: FinishedRun = {
    problem: problemKey(),
    method: methodLabel(),
    x: run.x,
    L: run.parts.L,
    tau: run.parts.tau,
  };
  const previous = lastConverged;
  lastConverged = current;
  if (!previous || keysDiffer(previous.problem, current.problem) || previous.method === current.method)
    return null;
  const apart = distance(run.x, previous.x);
  if (apart <= 1e-3 * Math.max(1, norm2(run.x))) return null;
  return { method: previous.method, L: previous.L, tau: previous.tau, distance: apart };
}
/** Set when the GPU device was lost during a run that went on on the CPU: the next run uses the CPU worker. */
let lostDuringRun: string | null = null;

/** Label of the backend while a run continues on the CPU after a lost GPU device. */
export const CPU_AFTER_LOSS_LABEL = 'CPU float64 (this page, after the GPU device was lost)';
let gpuEngine: { dataset: Dataset; engine: Engine } | null = null;

function handleEvent(event: LoopEvent): void {
  const store = useAppStore.getState();
  switch (event.type) {
    case 'progress':
      progress.push(event.steps, event.current, event.computeMs);
      break;
    case 'state':
      store.setRun({ runStatus: event.state === 'running' ? 'running' : 'paused' });
      break;
    case 'halted': {
      const label = event.index === 0 ? 'The run' : 'The γc = 0 twin';
      store.setRun({
        runStatus: 'paused',
        runMessage: `${describeStop(event.summary, label)} Paused; press play to let the other run finish.`,
      });
      break;
    }
    case 'done': {
      const [run, twin] = event.results;
      store.setRun({
        runStatus: 'finished',
        runMessage: describeStop(run, 'The run'),
        outcome: {
          status: run.status === 'running' ? 'stalled' : run.status,
          reason: run.reason,
          iterations: run.iterations,
          parts: run.parts,
          gradNorm: run.gradNorm,
          twinParts: twin ? twin.parts : null,
          otherMinimum: otherMinimumOf(run),
        },
      });
      break;
    }
    case 'error':
      store.setRun({ runStatus: 'error', runMessage: event.message });
      break;
  }
}

/** A Play or Step pressed before the data matched the settings: started once it does. */
let waitingForData: { autoplay: boolean; unsubscribe: () => void } | null = null;

function stopWaiting(): void {
  waitingForData?.unsubscribe();
  waitingForData = null;
}

/**
 * Starts the run once the data is the data the settings describe (issue 9: Play pressed while a
 * preset's data was still being generated ran on the previous data set).
 */
function startWhenDataReady(autoplay: boolean): void {
  const why = dataMismatch(useAppStore.getState());
  if (why === null) {
    stopWaiting();
    void startRun(autoplay);
    return;
  }
  if (waitingForData) {
    waitingForData.autoplay ||= autoplay;
    return;
  }
  useAppStore.getState().setRun({ runMessage: `${why} The run starts when the data is ready.` });
  waitingForData = {
    autoplay,
    unsubscribe: useAppStore.subscribe((state) => {
      if (!waitingForData || dataMismatch(state) !== null) return;
      // After the update that brought the data has finished (the tags follow it in the same task).
      queueMicrotask(() => {
        if (!waitingForData || dataMismatch(useAppStore.getState()) !== null) return;
        const { autoplay: play } = waitingForData;
        stopWaiting();
        void startRun(play);
      });
    }),
  };
}

/** Whether a Play or Step is waiting for the data (the run panel says so). */
export function isWaitingForData(): boolean {
  return waitingForData !== null;
}

/**
 * Stops and forgets the current run, and a Play that waits for data unless `keepWaiting` (the
 * settings changed under it: it then waits for the new data).
 */
export function resetRun(message = '', { keepWaiting = false } = {}): void {
  if (!keepWaiting) stopWaiting();
  driver?.dispose();
  driver = null;
  progress.reset(0);
  useAppStore.getState().setRun({ runStatus: 'idle', runMessage: message, outcome: null });
}

async function startRun(autoplay: boolean): Promise<void> {
  if (lostDuringRun !== null) {
    fallBackToCpu(`The GPU device was lost (${lostDuringRun}).`);
    lostDuringRun = null;
  }
  const state = useAppStore.getState();
  const { dataset, mask, settings } = state;
  if (!dataset || dataMismatch(state) !== null) return;
  if (state.n1 === 0 || state.n1 === dataset.n) {
    state.setRun({
      runStatus: 'error',
      runMessage:
        state.n1 === 0
          ? 'Tag at least one row as copyrighted first: ℓ1/n1 and τ need n1 ≥ 1.'
          : 'Leave at least one row untagged: ℓ2/n2 and τ need n2 ≥ 1.',
    });
    return;
  }
  resetRun();
  const configs = runConfigs(settings, mask);
  progress.reset(configs.length);
  state.setRun({ runStatus: 'starting', runMessage: '' });
  const start: Extract<LoopCommand, { type: 'start' }> = {
    type: 'start',
    dataset,
    configs,
    x0: startPoint(dataset.d, settings.x0Seed),
    options: solverOptionsFrom(settings),
    autoplay,
    speed: settings.speed,
  };
  if (useAppStore.getState().activeBackend === 'gpu') {
    const engine = await gpuEngineFor(dataset);
    if (engine) {
      driver = new InlineDriver(engine, start, handleEvent);
      return;
    }
  }
  driver = new WorkerDriver(start, handleEvent);
}

/**
 * The GPU engine for this dataset, created once per dataset and shared by runs and sweeps
 * (app/sweep); null (and CPU fallback, with the reason in the store) on failure.
 */
export async function gpuEngineFor(dataset: Dataset): Promise<Engine | null> {
  if (gpuEngine?.dataset === dataset) return gpuEngine.engine;
  gpuEngine?.engine.dispose();
  gpuEngine = null;
  const made = await createGpuEngine(dataset, (reason) => {
    gpuEngine = null;
    if (driver instanceof InlineDriver && driver.continueOnCpu()) {
      // activeBackend stays until the next run starts: changing it now would reset this run.
      lostDuringRun = reason;
      useAppStore.getState().setBackend({
        backendLabel: CPU_AFTER_LOSS_LABEL,
        fallbackReason: `The GPU device was lost (${reason}); the current run continues on the CPU engine from the same iterate, keeping its history.`,
      });
      return;
    }
    fallBackToCpu(`The GPU device was lost (${reason}).`);
    resetRun('The GPU device was lost; switched to the CPU engine. Press play to run again.');
  });
  if (!made.ok) {
    fallBackToCpu(made.reason);
    return null;
  }
  gpuEngine = { dataset, engine: made.engine };
  useAppStore.getState().setBackend({ backendLabel: made.label });
  return made.engine;
}

function fallBackToCpu(reason: string): void {
  useAppStore
    .getState()
    .setBackend({ activeBackend: 'cpu', backendLabel: CPU_LABEL, fallbackReason: reason });
}

/** The latest backend choice in progress (WebGPU is probed asynchronously). */
let selecting: Promise<void> = Promise.resolve();

/** Resolves once the latest backend choice has been made (e.g. before rerunning a manifest). */
export function backendSettled(): Promise<void> {
  return selecting;
}

/** Chooses the backend for the requested setting: CPU when forced, else WebGPU when it works. */
export function selectBackend(requested: Settings['backend']): Promise<void> {
  selecting = chooseBackend(requested);
  return selecting;
}

async function chooseBackend(requested: Settings['backend']): Promise<void> {
  const store = useAppStore.getState();
  if (requested === 'cpu') {
    store.setBackend({ activeBackend: 'cpu', backendLabel: CPU_LABEL, fallbackReason: null });
    return;
  }
  const probe = await probeWebGpu();
  if (probe.ok) {
    useAppStore
      .getState()
      .setBackend({ activeBackend: 'gpu', backendLabel: probe.label, fallbackReason: null });
  } else {
    const prefix = requested === 'gpu' ? 'WebGPU was requested but cannot be used. ' : '';
    fallBackToCpu(prefix + probe.reason);
  }
}

/** Play: continue a paused run, or start a new one. */
export function play(): void {
  const { runStatus } = useAppStore.getState();
  if (driver && runStatus === 'paused') driver.send('play');
  else if (runStatus !== 'running' && runStatus !== 'starting') startWhenDataReady(true);
}

/** Applies a new playback speed to the run in progress (it does not reset the run). */
export function setPlaybackSpeed(speed: number): void {
  driver?.setSpeed(speed);
}

/** Pause after the current iteration. */
export function pause(): void {
  driver?.send('pause');
}

/** Space: play or pause. */
export function togglePlay(): void {
  const { runStatus } = useAppStore.getState();
  if (runStatus === 'running') pause();
  else play();
}

/** One iteration (starting a run at its iteration 0 when there is none). */
export function step(): void {
  const { runStatus } = useAppStore.getState();
  if (driver && runStatus === 'paused') driver.send('step');
  else if (runStatus === 'idle' || runStatus === 'finished' || runStatus === 'error')
    startWhenDataReady(false);
}

// Tests only (Vite dev server): lose the GPU device on purpose, to check that a run continues.
if (import.meta.env.DEV && typeof window !== 'undefined') {
  (window as Window & { __loseGpuDevice?: () => boolean }).__loseGpuDevice = () => {
    const device = (gpuEngine?.engine as (Engine & { gpuDevice?: GPUDevice }) | undefined)?.gpuDevice;
    device?.destroy();
    return device !== undefined;
  };
}
