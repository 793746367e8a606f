/**
 * Runs the language-model sweep (γ × n1/n × seeds, src/lm/sweep.ts) off the page's thread: a small
 * pool of module workers (lm-sweep.worker.ts), each sent the next cell when it finishes one, so the
 * cores stay busy however unequal the cells. Cancel terminates the workers (a cell runs in one go,
 * so no message would reach it); a worker's error ends the sweep, keeping the finished cells. A
 * change of the grid or of a model setting the cells train with clears the sweep (the settings
 * table's `lmSweep` scope); the view's own training is not touched.
 */
import { sweepCells, type LmSweepCell, type LmSweepJob } from '../../src/lm/sweep';
import { useAppStore } from '../store/app-store';
import { scopeChanged } from '../store/settings-table';
import { formatDuration, lmSweepSpecFrom, poolSize } from './lm-sweep-data';
import { currentUpload } from './lm-text';
import type { LmSweepCommand, LmSweepEvent } from './lm-sweep-protocol';
import { LM_SWEEP_IDLE, useLmSweepStore } from './lm-sweep-store';

/** How often the elapsed time and the estimate are refreshed while nothing else reports (ms). */
const TICK_MS = 1000;

let pool: Worker[] = [];
let ticker: ReturnType<typeof setInterval> | null = null;
/** Bumped by every start and stop, so messages of an older sweep's workers are ignored. */
let generation = 0;
let startedAt = 0;

function stopPool(): void {
  generation++;
  for (const w of pool) w.terminate();
  pool = [];
  if (ticker !== null) clearInterval(ticker);
  ticker = null;
}

function elapsed(): number {
  return performance.now() - startedAt;
}

function describeCell(job: LmSweepJob): string {
  return `γ = ${job.gamma}, n1/n = ${job.fraction}, seed ${job.seed}`;
}

/** Ends the sweep in flight with an error, keeping its finished cells. */
function fail(text: string): void {
  stopPool();
  const { cells, total } = useLmSweepStore.getState();
  useLmSweepStore.setState({
    status: 'error',
    elapsedMs: elapsed(),
    message: `The sweep stopped: ${text} ${cells.length} of ${total} cells had finished; they are kept.`,
  });
}

/** Starts a sweep of the current settings (stopping one in flight). */
export function startLmSweep(): void {
  stopPool();
  const { lm, lmSweep } = useAppStore.getState().settings;
  const text = currentUpload();
  const made = text.ok ? lmSweepSpecFrom(lm, lmSweep, text.upload) : text;
  if (!made.ok) {
    useLmSweepStore.setState({ ...LM_SWEEP_IDLE, status: 'error', message: made.reason });
    return;
  }
  const spec = made.spec;
  const jobs = sweepCells(spec);
  const size = poolSize(navigator.hardwareConcurrency, jobs.length);
  const gen = generation;
  startedAt = performance.now();
  useLmSweepStore.setState({
    ...LM_SWEEP_IDLE,
    status: 'running',
    spec,
    total: jobs.length,
    stepsTotal: jobs.length * spec.steps,
    workers: size,
  });
  let next = 0;
  let finished = 0;
  /** Steps done in each worker's cell in training. */
  const inFlight = new Map<Worker, number>();
  const progress = (): void => {
    let steps = finished * spec.steps;
    for (const s of inFlight.values()) steps += s;
    useLmSweepStore.setState({ stepsDone: steps, elapsedMs: elapsed() });
  };
  const give = (w: Worker): void => {
    if (next >= jobs.length) {
      // Nothing left for this worker: let its core go.
      inFlight.delete(w);
      w.terminate();
      pool = pool.filter((p) => p !== w);
      return;
    }
    const index = next++;
    inFlight.set(w, 0);
    w.postMessage({ type: 'train', spec, job: jobs[index], index } satisfies LmSweepCommand);
  };
  const onEvent = (w: Worker, e: LmSweepEvent): void => {
    if (gen !== generation) return;
    switch (e.type) {
      case 'step':
        inFlight.set(w, e.step);
        progress();
        break;
      case 'cell': {
        finished++;
        inFlight.set(w, 0);
        const cells: LmSweepCell[] = [...useLmSweepStore.getState().cells, e.cell];
        useLmSweepStore.setState({ cells });
        progress();
        if (finished === jobs.length) {
          stopPool();
          useLmSweepStore.setState({
            status: 'done',
            elapsedMs: elapsed(),
            message: `Trained ${jobs.length} cells of ${spec.steps} steps in ${formatDuration(elapsed())} on ${size} worker${size === 1 ? '' : 's'} (CPU, float64 reference).`,
          });
        } else give(w);
        break;
      }
      case 'error':
        fail(`the cell ${describeCell(jobs[e.index])} failed: ${e.message}.`);
        break;
    }
  };
  for (let k = 0; k < size; k++) {
    const w = new Worker(new URL('./lm-sweep.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (m: MessageEvent<LmSweepEvent>) => onEvent(w, m.data);
    w.onerror = (e) => {
      e.preventDefault();
      if (gen !== generation) return;
      // The first line only (a script that fails to load, memory running out): no stack for people.
      const why = (e.message || '').split('\n')[0];
      fail(`a worker stopped unexpectedly${why ? ` (${why})` : ''}.`);
    };
    pool.push(w);
  }
  for (const w of [...pool]) give(w);
  ticker = setInterval(() => {
    if (gen === generation) useLmSweepStore.setState({ elapsedMs: elapsed() });
  }, TICK_MS);
}

/** Stops the sweep in flight; its finished cells stay (drawn as a partial sweep). */
export function cancelLmSweep(): void {
  if (useLmSweepStore.getState().status !== 'running') return;
  stopPool();
  const { cells, total } = useLmSweepStore.getState();
  useLmSweepStore.setState({
    status: 'cancelled',
    elapsedMs: elapsed(),
    message: `Cancelled after ${formatDuration(elapsed())}: ${cells.length} of ${total} cells had finished; the charts and the table show those.`,
  });
}

/** Stops and forgets the sweep. */
export function clearLmSweep(message = ''): void {
  stopPool();
  useLmSweepStore.setState({ ...LM_SWEEP_IDLE, message });
}

let syncing = false;

/** Clears the sweep when its grid or a model setting its cells use changes (installed once, by the panel). */
export function installLmSweepSync(): void {
  if (syncing) return;
  syncing = true;
  useAppStore.subscribe((state, prev) => {
    if (
      scopeChanged(state.settings, prev.settings, 'lmSweep') &&
      useLmSweepStore.getState().status !== 'idle'
    )
      clearLmSweep(
        'The sweep’s grid or the model’s settings changed, so its results were cleared. Press Run sweep to run it again.',
      );
  });
}
