/**
 * Starts and cancels sweeps on the backend in use: the GPU engine in the page's GPU worker
 * (app/backend/gpu-client.ts; the worker owns probing, the engine, its lease and device loss), else
 * the CPU engine in a Web Worker. The lease keeps a sweep and a single run from interleaving on the
 * GPU: a run that takes the engine stops the sweep, and the page says so. A sweep whose device is
 * lost goes on on a float64 CpuEngine in the GPU worker, from the batch's iterates. Results go to
 * the sweep store.
 */
import type { SweepCell, SweepProgress, SweepSpec } from '../../src/engine/sweep';
import type { Dataset } from '../../src/math/types';
import { CPU_AFTER_LOSS_LABEL, CPU_LABEL } from '../backend/backend-decision';
import { gpuLostReason, startGpuSweep } from '../backend/gpu-client';
import { resetRun } from '../run/run-controller';
import { sweepSpec } from '../run/run-config';
import { keysDiffer } from '../run/settings-key';
import { scopeKey } from '../store/settings-table';
import { useAppStore, type AppState } from '../store/app-store';
import { cloneSettings, type SweepSettings } from '../store/settings';
import { batchTooLarge, cellCount, stopReasons } from './grid';
import type { SweepEvent, SweepStart } from './sweep-protocol';
import { useSweepStore } from './sweep-store';

/** Stops the sweep in flight; set by whichever path started it. */
let stopActive: (() => void) | null = null;
/** Whether the latest sweep started on the GPU engine (float32 advice in its summary). */
let startedOnGpu = false;
/** Why the latest GPU sweep went on on the CPU (the lost device's reason), or null. */
let lostMidSweep: string | null = null;
/** Why the latest sweep runs on the CPU worker although the page uses WebGPU, or null. */
let gpuUnavailable: string | null = null;
/** Bumped by every start and cancel, so late callbacks of an older sweep are ignored. */
let generation = 0;
/** The settings watcher, installed with the first sweep (before it there is nothing to clear). */
let syncInstalled = false;

function report(gen: number, progress: SweepProgress, cells: SweepCell[]): void {
  if (gen === generation) useSweepStore.getState().report(progress, cells);
}

function describeDone(elapsedMs: number, batchSize: number): string {
  const { cells, backendLabel } = useSweepStore.getState();
  const unconverged = cells.filter((c) => !c.converged).length;
  let text = `Solved ${cells.length} cells as one batch of ${batchSize} configurations in ${(elapsedMs / 1000).toFixed(1)} s on ${backendLabel}.`;
  if (gpuUnavailable !== null) text += ` ${gpuUnavailable}`;
  // Cells finished before the loss are float32, the rest float64: the reader should know both.
  if (lostMidSweep !== null) text += ` ${continuedText(lostMidSweep)}`;
  if (unconverged > 0) {
    text += ` ${unconverged} stopped before the tolerance (${stopReasons(cells)}); their τ is where they stopped.`;
    // Cells that stopped where L stopped changing above the float32 precision floor (src/solve/solvers.ts).
    if (startedOnGpu && cells.some((c) => c.status === 'stalled'))
      text +=
        ' On WebGPU (float32) these stopped above the precision floor: use the CPU backend for float64.';
  }
  return text;
}

/** Forgets the sweep in flight (the GPU worker gives its engine back when it stops). */
function stopTracking(): void {
  stopActive = null;
}

function finishWith(gen: number, event: SweepEvent): void {
  if (gen !== generation) return;
  const store = useSweepStore.getState();
  if (event.type === 'done') store.finish('done', describeDone(event.elapsedMs, event.batchSize));
  else if (event.type === 'error') store.finish('error', event.message);
  stopTracking();
}

/** Says that (and why) a GPU sweep went on on the CPU. */
function continuedText(reason: string): string {
  return `The GPU device was lost mid-sweep (${reason}), so the sweep continued on the CPU engine (float64, in the GPU worker) from its current iterates; the cells finished before the loss were kept.`;
}

/**
 * The GPU device of sweep `gen` was lost: its leased engine already sends later evaluations to a
 * float64 CpuEngine (and retries the one in flight); the sweep store says so.
 */
function lostMidway(gen: number, reason: string): void {
  if (gen !== generation) return;
  lostMidSweep = reason;
  useSweepStore.setState({ backendLabel: CPU_AFTER_LOSS_LABEL, message: continuedText(reason) });
}

/** A single run took the GPU engine from sweep `gen`: the sweep gives way (the user asked for the run). */
function revoked(gen: number): void {
  if (gen !== generation) return;
  const started = stopActive !== null;
  cancelSweep();
  const message = 'The sweep was cancelled because a single run started on the same GPU engine.';
  const { progress } = useSweepStore.getState();
  useSweepStore
    .getState()
    .finish(
      'cancelled',
      started
        ? `${message} ${progress.done} of ${progress.total} cells had finished; they are kept.`
        : message,
    );
}

/** The CPU engine in a fresh worker; cancelling terminates it. */
function startInWorker(gen: number, dataset: Dataset, spec: SweepSpec): void {
  const worker = new Worker(new URL('./sweep.worker.ts', import.meta.url), { type: 'module' });
  stopActive = () => worker.terminate();
  worker.onmessage = (m: MessageEvent<SweepEvent>) => {
    const event = m.data;
    if (event.type === 'progress') report(gen, event.progress, event.cells);
    else {
      finishWith(gen, event);
      worker.terminate();
    }
  };
  worker.onerror = (e) => {
    e.preventDefault();
    finishWith(gen, {
      type: 'error',
      message: 'The sweep worker stopped unexpectedly (out of memory?). Try a smaller grid.',
    });
    worker.terminate();
  };
  worker.postMessage({ type: 'start', dataset, spec } satisfies SweepStart);
}

/** Why the sweep cannot start with this data and grid, or null. */
function blocker(state: AppState): string | null {
  if (!state.dataset) return 'The data is not ready yet.';
  if (state.dataset.n < 2) return 'The sweep needs at least two rows (one copyrighted, one free).';
  return batchTooLarge(state.settings.sweep, state.dataset.n, state.dataset.d);
}

/** Runs the grid in the settings as one batch on the backend in use. */
export async function startSweep(): Promise<void> {
  const app = useAppStore.getState();
  const why = blocker(app);
  if (why || !app.dataset) {
    useSweepStore.getState().finish('error', why ?? 'The data is not ready yet.');
    return;
  }
  if (!syncInstalled) {
    syncInstalled = true;
    startSweepSync();
  }
  cancelSweep();
  lostMidSweep = null;
  gpuUnavailable = null;
  const gen = ++generation;
  const dataset = app.dataset;
  const settings = cloneSettings(app.settings);
  const grid: SweepSettings = settings.sweep;
  const spec = sweepSpec(settings, dataset.d);
  // The single run and the sweep would share the engine (and the two cores): stop the run.
  if (app.runStatus === 'running' || app.runStatus === 'starting')
    resetRun('The run was stopped to make room for the sweep. Press play to run again.');
  // After a lost device the page keeps saying WebGPU for the run on screen; the sweep uses the CPU.
  const lost = gpuLostReason();
  const onGpu = app.activeBackend === 'gpu' && lost === null;
  startedOnGpu = onGpu;
  const sweep = useSweepStore.getState();
  sweep.begin(grid, cellCount(grid), onGpu ? app.backendLabel : CPU_LABEL);
  if (onGpu) {
    const got = await startGpuSweep(dataset, spec, {
      onEvent: (event) => {
        if (event.type === 'progress') report(gen, event.progress, event.cells);
        else finishWith(gen, event);
      },
      onRevoked: () => revoked(gen),
      onLost: (reason) => lostMidway(gen, reason),
    });
    if (gen !== generation) {
      if (got.ok) got.handle.cancel();
      return;
    }
    if (got.ok) {
      useSweepStore.setState({ backendLabel: got.label });
      stopActive = () => got.handle.cancel();
      return;
    }
    // Cancelled, or a run took the engine (and the page said so), while it waited.
    if (got.why !== 'unavailable') return;
    gpuUnavailable = `WebGPU could not run it: ${got.reason}`;
    startedOnGpu = false;
    useSweepStore.setState({ backendLabel: CPU_LABEL });
  } else if (app.activeBackend === 'gpu' && lost !== null) {
    gpuUnavailable = `The GPU device was lost earlier (${lost}).`;
  }
  startInWorker(gen, dataset, spec);
}

/** Cancels the sweep in flight, keeping the cells that finished. */
export function cancelSweep(): void {
  const stop = stopActive;
  stopTracking();
  generation++;
  if (!stop) return;
  stop();
  const { progress } = useSweepStore.getState();
  useSweepStore
    .getState()
    .finish(
      'cancelled',
      `Cancelled after ${progress.done} of ${progress.total} cells; the finished cells are kept.`,
    );
}

/**
 * What the sweep's results depend on: the data in use, every setting in the settings table's
 * `sweep` scope (data, reading, regularisation, solver, start point, grid), and the engine.
 */
function sweepKey(s: AppState): unknown[] {
  return [
    s.dataset,
    ...scopeKey(s.settings, 'sweep'),
    s.activeBackend, // last: startSweepSync tells a backend change apart
  ];
}

/**
 * Results belong to the settings they were computed with: when those change, the sweep is
 * cancelled and its cells cleared (charts would otherwise mix two problems). Returns the
 * unsubscribe function.
 */
export function startSweepSync(): () => void {
  return useAppStore.subscribe((state, prev) => {
    const a = sweepKey(state);
    const b = sweepKey(prev);
    if (!keysDiffer(a, b)) return;
    if (useSweepStore.getState().status === 'idle') return;
    const onlyBackend = a.every((v, i) => v === b[i] || i === a.length - 1);
    // The page moved to the CPU because the GPU device was lost, not because the user chose: the
    // cells computed before stay valid, and a sweep in flight already goes on on the CPU.
    if (onlyBackend && state.activeBackend === 'cpu' && gpuLostReason() !== null) return;
    cancelSweep();
    const why = onlyBackend
      ? `The backend changed${state.fallbackReason ? ` (${state.fallbackReason})` : ''}`
      : 'The data, solver or grid changed';
    useSweepStore.getState().clear(`${why}, so the sweep results were cleared. Press “Run sweep” again.`);
  });
}
