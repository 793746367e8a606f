/**
 * Starts and cancels sweeps on the backend in use: the GPU engine on the main thread (the same
 * engine the single run uses, from run-controller.ts), else the CPU engine in a Web Worker. The
 * backend choice and its fallback stay in run-controller.ts; this module only reads the outcome
 * (`activeBackend`). Results go to the sweep store. A GPU sweep runs through a FailoverEngine, so
 * when the device is lost mid-sweep the batch goes on on a float64 CpuEngine from its iterates.
 */
import type { Engine } from '../../src/engine/engine';
import { runSweep, type SweepCell, type SweepProgress, type SweepSpec } from '../../src/engine/sweep';
import type { Dataset } from '../../src/math/types';
import { FailoverEngine } from '../backend/failover-engine';
import { CPU_AFTER_LOSS_LABEL, CPU_LABEL, gpuEngineFor, resetRun } from '../run/run-controller';
import { sweepSpec } from '../run/run-config';
import { keysDiffer } from '../run/settings-key';
import { scopeKey } from '../store/settings-table';
import { useAppStore, type AppState } from '../store/app-store';
import { cloneSettings, type SweepSettings } from '../store/settings';
import { batchTooLarge, cellCount, stopReasons } from './grid';
import { describeSweepError } from './sweep-errors';
import type { SweepEvent, SweepStart } from './sweep-protocol';
import { useSweepStore } from './sweep-store';

/** Stops the sweep in flight; set by whichever path started it. */
let stopActive: (() => void) | null = null;
/** Whether the sweep in flight runs on the shared GPU engine. */
let activeOnGpu = false;
/** The engine of the GPU sweep in flight (null otherwise), which can move it to the CPU. */
let activeFailover: FailoverEngine | null = null;
/** Why the latest GPU sweep went on on the CPU (the lost device's reason), or null. */
let lostMidSweep: string | null = null;
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
  const onGpu = useAppStore.getState().activeBackend === 'gpu';
  let text = `Solved ${cells.length} cells as one batch of ${batchSize} configurations in ${(elapsedMs / 1000).toFixed(1)} s on ${backendLabel}.`;
  // Cells finished before the loss are float32, the rest float64: the reader should know both.
  if (lostMidSweep !== null) text += ` ${continuedText(lostMidSweep)}`;
  if (unconverged > 0) {
    text += ` ${unconverged} stopped before the tolerance (${stopReasons(cells)}); their τ is where they stopped.`;
    // float32 gradients rarely go below ~1e-6 (see run-controller's hint for single runs).
    if (onGpu && cells.some((c) => c.status === 'stalled'))
      text += ' On WebGPU (float32) raise the tolerance to about 1e-5, or use the CPU backend.';
  }
  return text;
}

function finishWith(gen: number, event: SweepEvent): void {
  if (gen !== generation) return;
  const store = useSweepStore.getState();
  if (event.type === 'done') store.finish('done', describeDone(event.elapsedMs, event.batchSize));
  else if (event.type === 'error') store.finish('error', event.message);
  stopActive = null;
  activeOnGpu = false;
  activeFailover = null;
}

/** Says that (and why) a GPU sweep went on on the CPU. */
function continuedText(reason: string): string {
  return `The GPU device was lost mid-sweep (${reason}), so the sweep continued on the CPU engine (float64, on this page) from its current iterates; the cells finished before the loss were kept.`;
}

/**
 * The GPU device of the sweep in flight was lost: later evaluations go to a float64 CpuEngine (the
 * failover engine also retries the evaluation that was in flight), and the sweep store says so.
 */
function continueOnCpu(failover: FailoverEngine, reason: string): void {
  failover.switchToCpu();
  lostMidSweep = reason;
  // The GPU is no longer shared, so a single run started now (on the CPU worker) need not stop it;
  // and the loss is absorbed once: a later backend change clears the sweep as for any CPU sweep.
  activeOnGpu = false;
  activeFailover = null;
  useSweepStore.setState({ backendLabel: CPU_AFTER_LOSS_LABEL, message: continuedText(reason) });
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

/** The GPU engine on the main thread; its awaits keep the page responsive. */
function startOnGpu(gen: number, engine: Engine, spec: SweepSpec): void {
  const abort = new AbortController();
  stopActive = () => abort.abort();
  activeOnGpu = true;
  // The failover engine keeps the batch alive if the device is lost (see startSweepSync).
  const failover = new FailoverEngine(engine);
  activeFailover = failover;
  let pending: SweepCell[] = [];
  runSweep(failover, spec, {
    signal: abort.signal,
    onCell: (cell) => pending.push(cell),
    onProgress: (progress) => {
      report(gen, progress, pending);
      pending = [];
    },
  }).then(
    (result) => finishWith(gen, { type: 'done', elapsedMs: result.elapsedMs, batchSize: result.batchSize }),
    (e: unknown) => finishWith(gen, { type: 'error', message: describeSweepError(e) }),
  );
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
  const gen = ++generation;
  const dataset = app.dataset;
  const settings = cloneSettings(app.settings);
  const grid: SweepSettings = settings.sweep;
  const spec = sweepSpec(settings, dataset.d);
  // The single run and the sweep would share the engine (and the two cores): stop the run.
  if (app.runStatus === 'running' || app.runStatus === 'starting')
    resetRun('The run was stopped to make room for the sweep. Press play to run again.');
  const sweep = useSweepStore.getState();
  sweep.begin(grid, cellCount(grid), app.activeBackend === 'gpu' ? app.backendLabel : CPU_LABEL);
  if (app.activeBackend === 'gpu') {
    const engine = await gpuEngineFor(dataset);
    if (gen !== generation) return;
    if (engine) {
      useSweepStore.setState({ backendLabel: useAppStore.getState().backendLabel });
      startOnGpu(gen, engine, spec);
      return;
    }
    // gpuEngineFor already switched the page to the CPU and stored why.
    useSweepStore.setState({ backendLabel: CPU_LABEL });
  }
  startInWorker(gen, dataset, spec);
}

/** Cancels the sweep in flight, keeping the cells that finished. */
export function cancelSweep(): void {
  const stop = stopActive;
  stopActive = null;
  activeOnGpu = false;
  activeFailover = null;
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
    // A single run started while the sweep uses the GPU engine: the two would interleave their
    // work on one device, so the sweep gives way (the user just asked for the run).
    if (activeOnGpu && state.runStatus === 'starting' && prev.runStatus !== 'starting') {
      cancelSweep();
      useSweepStore
        .getState()
        .finish('cancelled', 'The sweep was cancelled because a single run started on the same GPU engine.');
      return;
    }
    const a = sweepKey(state);
    const b = sweepKey(prev);
    if (!keysDiffer(a, b)) return;
    if (useSweepStore.getState().status === 'idle') return;
    // The backend changes on its own when the GPU device is lost: say that, not "you changed it".
    const onlyBackend = a.every((v, i) => v === b[i] || i === a.length - 1);
    // A lost device (not a backend the user picked) under a GPU sweep: the sweep goes on on the CPU.
    const lost = activeFailover?.lostReason ?? null;
    if (onlyBackend && activeFailover && lost !== null) {
      continueOnCpu(activeFailover, lost);
      return;
    }
    cancelSweep();
    const why = onlyBackend
      ? `The backend changed${state.fallbackReason ? ` (${state.fallbackReason})` : ''}`
      : 'The data, solver or grid changed';
    useSweepStore.getState().clear(`${why}, so the sweep results were cleared. Press “Run sweep” again.`);
  });
}
