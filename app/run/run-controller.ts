/**
 * Starts, plays, pauses, steps and resets runs, on the backend in use: the CPU engine in a Web
 * Worker (a fresh worker per run, so even a huge iteration can be abandoned by terminating it), or
 * the GPU engine in the page's GPU worker (app/backend/gpu-client.ts; the worker owns probing, the
 * engine, its lease and device loss). Neither blocks the page. Coarse state goes to the store;
 * per-iteration records go to the progress channel.
 */
import { effectiveTolerance, tagCountProblem } from '../../src/solve/solver-options';
import { distance, norm2 } from '../../src/math/linalg';
import { CPU_AFTER_LOSS_LABEL, CPU_LABEL, lostText } from '../backend/backend-decision';
import { chooseBackend, onDeviceLost, startGpuRun, type GpuRunHandle } from '../backend/gpu-client';
import { useAppStore, type RunOutcome } from '../store/app-store';
import { dataMismatch } from '../store/data-readiness';
import type { Settings } from '../store/settings';
import { progress } from './progress';
import { runConfigs, solverOptionsFrom, startPoint } from './run-config';
import { keysDiffer } from './settings-key';
import type { LoopCommand, LoopEvent, RunSummary } from './protocol';

export { CPU_AFTER_LOSS_LABEL, CPU_LABEL };

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

/**
 * Runs the loop in the GPU worker on its leased GPU engine, which goes on on a float64 CpuEngine
 * there if the device is lost mid-run (the worker says so: onDeviceLost's continued run id).
 */
class GpuDriver implements LoopDriver {
  constructor(private readonly handle: GpuRunHandle) {}

  get id(): number {
    return this.handle.id;
  }

  send(command: 'play' | 'pause' | 'step'): void {
    // Play and step take the engine back from a sweep that took it while the run was paused.
    this.handle.send(command);
  }

  setSpeed(speed: number): void {
    this.handle.setSpeed(speed);
  }

  dispose(): void {
    this.handle.dispose();
  }
}

function describeStop(summary: RunSummary, label: string): string {
  switch (summary.status) {
    case 'converged': {
      if (summary.cause === 'precision') {
        // The tolerance is below what the engine resolves: the run stopped where L stopped changing,
        // within the precision floor (src/solve/solvers.ts effectiveTolerance).
        // The engine the run ended on (float64 after a device lost mid-run), not the page's backend.
        const p =
          summary.precision ?? (useAppStore.getState().activeBackend === 'gpu' ? 'float32' : 'float64');
        const tol = useAppStore.getState().settings.tol;
        return `${label} converged to ${p} precision after ${summary.iterations} iterations (‖∇L‖ = ${summary.gradNorm.toExponential(2)}, within the effective tolerance ${effectiveTolerance(tol, p, summary.parts.L).toExponential(1)}; the tolerance ${tol} is below what ${p} resolves).`;
      }
      return `${label} converged after ${summary.iterations} iterations (‖∇L‖ = ${summary.gradNorm.toExponential(2)}).`;
    }
    case 'max-iter': {
      // float32 gradients rarely go below ~1e-6, so a float64-sized tolerance is never reached there.
      const gpuHint =
        summary.precision === 'float32' && summary.gradNorm > useAppStore.getState().settings.tol
          ? ' On WebGPU (float32) ‖∇L‖ seldom falls below about 1e-6: raise the tolerance, or use the CPU backend for float64.'
          : '';
      return `${label} reached the iteration limit (${summary.iterations}) before the tolerance (‖∇L‖ = ${summary.gradNorm.toExponential(2)}).${gpuHint}`;
    }
    case 'diverged': {
      // The start itself is invalid (γc > 0 with ℓ1 = 0): the reason says what to change.
      if (summary.cause === 'invalid-start') return `${label} ${summary.reason}.`;
      const s = useAppStore.getState().settings;
      const advice =
        s.solver === 'gd' && s.gdStep > 0
          ? 'Try a smaller fixed step, or 0 for a line search.'
          : s.solver === 'newton'
            ? 'Try a smaller γc or a larger regularisation ρ.'
            : 'Try a smaller γc, a larger regularisation ρ or the Newton solver.';
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
  const { gammaC, reading, method, tauTarget } = s.settings;
  return [s.dataset, s.mask, method, gammaC, method === 'tau-target' ? tauTarget : null, reading];
}

/** The solver and start, for people ("gradient descent from x0 = 0"). */
function methodLabel(): string {
  const s = useAppStore.getState().settings;
  const names: Record<Settings['solver'], string> = {
    newton: 'Newton',
    gd: 'gradient descent',
    sketched: 'sketched Newton',
    'newton-cg': 'Newton-CG',
  };
  const name = names[s.solver];
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
/**
 * Why the GPU device was lost while a GPU run was on screen: the store keeps saying WebGPU for
 * that run (its result, curves and export stay), and the next run switches to the CPU worker.
 */
let pendingLoss: string | null = null;

/** Bumped by every reset, so a start that awaited the GPU engine knows it was reset meanwhile. */
let runGeneration = 0;

/** Whether anything of a run is on screen (a status, an outcome or curves). */
export function runShown(): boolean {
  const s = useAppStore.getState();
  return s.runStatus !== 'idle' || s.outcome !== null || progress.histories.some((h) => h.length > 0);
}

onDeviceLost((reason, continuedRunId) => {
  const store = useAppStore.getState();
  if (driver instanceof GpuDriver && driver.id === continuedRunId) {
    // activeBackend stays until the next run starts: changing it now would reset this run.
    pendingLoss = reason;
    store.setBackend({
      backendLabel: CPU_AFTER_LOSS_LABEL,
      fallbackReason: `The GPU device was lost (${reason}); the current run continues on the CPU engine from the same iterate, keeping its history.`,
    });
    return;
  }
  if (store.activeBackend !== 'gpu') return;
  if (runShown()) {
    // The run shown was computed before the loss: it stays, with its WebGPU label.
    pendingLoss = reason;
    store.setBackend({
      fallbackReason: `${lostText(reason)} The run shown is kept; the next run uses the CPU engine.`,
    });
    return;
  }
  fallBackToCpu(lostText(reason));
});

function handleEvent(event: LoopEvent): void {
  const store = useAppStore.getState();
  switch (event.type) {
    case 'progress':
      progress.push(event.steps, event.current, event.computeMs);
      break;
    case 'engine':
      store.setBackend({ cpuKernels: event.kernels });
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
      // A run that could not start has no result: the reason, and no final τ or exports.
      if (run.cause === 'invalid-start') {
        store.setRun({ runStatus: 'error', runMessage: describeStop(run, 'The run'), outcome: null });
        break;
      }
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
  const why = notReady(useAppStore.getState());
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
      if (!waitingForData) return;
      // The data the run waits for failed to load: stop waiting and say why, instead of forever.
      if (state.dataError !== null && !state.loading.busy && dataMismatch(state) !== null) {
        stopWaiting();
        state.setRun({ runMessage: `The run did not start: ${state.dataError}` });
        return;
      }
      if (notReady(state) !== null) return;
      // After the update that brought the data has finished (the tags follow it in the same task).
      queueMicrotask(() => {
        if (!waitingForData || notReady(useAppStore.getState()) !== null) return;
        const { autoplay: play } = waitingForData;
        stopWaiting();
        void startRun(play);
      });
    }),
  };
}

/**
 * Why a run cannot start yet: the data is not the data the settings describe, or the backend is
 * still being chosen (a run started then would be reset when the choice lands).
 */
function notReady(state: ReturnType<typeof useAppStore.getState>): string | null {
  return dataMismatch(state) ?? (state.activeBackend === null ? 'Choosing the backend…' : null);
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
  runGeneration++;
  driver?.dispose();
  driver = null;
  progress.reset(0);
  useAppStore.getState().setRun({ runStatus: 'idle', runMessage: message, outcome: null });
}

async function startRun(autoplay: boolean): Promise<void> {
  if (pendingLoss !== null) {
    const reason = pendingLoss;
    pendingLoss = null;
    fallBackToCpu(lostText(reason));
  }
  const state = useAppStore.getState();
  const { dataset, mask, settings } = state;
  if (!dataset || notReady(state) !== null) return;
  const tagProblem = tagCountProblem(state.n1, dataset.n);
  if (tagProblem !== null) {
    const what = state.n1 === 0 ? 'Tag at least one row first' : 'Leave at least one row untagged';
    state.setRun({ runStatus: 'error', runMessage: `${what}: ${tagProblem}.` });
    return;
  }
  resetRun();
  const generation = runGeneration;
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
    // A sweep on the GPU engine stops when the run takes it (and says so); they never interleave.
    const { dataset: _sent, type: _start, ...gpuStart } = start;
    const got = await startGpuRun(dataset, gpuStart, (event) => {
      if (generation === runGeneration) handleEvent(event);
    });
    if (generation !== runGeneration) {
      if (got.ok) got.handle.dispose();
      return;
    }
    if (got.ok) {
      driver = new GpuDriver(got.handle);
      return;
    }
    if (got.why === 'reset') return;
    if (got.why === 'taken') {
      // A sweep took the engine while this run waited for it: say so rather than stay 'starting'.
      state.setRun({
        runStatus: 'idle',
        runMessage: 'A sweep took the GPU engine before this run could start. Press Play to start it.',
      });
      return;
    }
    // The engine cannot be had (e.g. the data is too large for it): the CPU worker, saying why.
    fallBackToCpu(got.reason);
    void startRun(autoplay);
    return;
  }
  driver = new WorkerDriver(start, handleEvent);
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

/** Bumped by every choice, so an older probe that settles late does not overwrite a newer choice. */
let choiceGeneration = 0;

/**
 * Applies the backend choice: the CPU worker when forced, else WebGPU where it works (Auto: on a
 * hardware adapter only), with the reason when WebGPU is not used.
 */
export function selectBackend(requested: Settings['backend']): Promise<void> {
  const generation = ++choiceGeneration;
  selecting = chooseBackend(requested).then((decision) => {
    if (generation !== choiceGeneration) return;
    // A choice made after a lost device probes afresh, so a pending switch to the CPU is void.
    pendingLoss = null;
    useAppStore.getState().setBackend({
      activeBackend: decision.kind,
      backendLabel: decision.label,
      fallbackReason: decision.reason,
    });
  });
  return selecting;
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
