/**
 * Starts, plays, pauses, steps and resets the language-model view's training in its worker; a
 * change of any language-model setting resets it (the settings table's `lm` scope).
 */
import { useAppStore } from '../store/app-store';
import { scopeChanged } from '../store/settings-table';
import { measureEvery } from './lm-config';
import { lmSpecNow } from './lm-text';
import type { LmCommand, LmEvent } from './lm-protocol';
import { LM_IDLE, useLmStore } from './lm-store';

let worker: Worker | null = null;

function onEvent(e: LmEvent): void {
  const store = useLmStore;
  switch (e.type) {
    case 'ready':
      store.setState({
        engine: e.engine,
        engineReason: e.reason,
        corpus: {
          characters: e.characters,
          vocabulary: e.vocabulary,
          protectedPassages: e.protectedPassages,
          parameters: e.parameters,
        },
      });
      break;
    case 'engine':
      // The points after the one training resumed from would be trained again (there are none:
      // the worker resumes from its last measurement, which is the last point it sent).
      store.setState((s) => ({
        engine: e.engine,
        engineReason: e.reason,
        history: s.history.filter((p) => p.step <= e.resumedFrom),
        tokensPerSecond: 0,
      }));
      break;
    case 'metrics':
      store.setState((s) => ({ history: [...s.history, e.point], tokensPerSecond: e.tokensPerSecond }));
      break;
    case 'state':
      store.setState({
        status: e.state,
        message: e.state === 'finished' ? `Finished ${useAppStore.getState().settings.lm.steps} steps.` : '',
      });
      break;
    case 'error':
      store.setState({ status: 'error', message: e.message });
      break;
  }
}

/** Stops and forgets the training. */
export function resetLm(message = ''): void {
  worker?.terminate();
  worker = null;
  useLmStore.setState({ ...LM_IDLE, message });
}

function start(autoplay: boolean, firstStep = false): void {
  const lm = useAppStore.getState().settings.lm;
  const made = lmSpecNow(lm);
  if (!made.ok) {
    useLmStore.setState({ ...LM_IDLE, status: 'error', message: made.reason });
    return;
  }
  resetLm();
  useLmStore.setState({ status: 'starting', gamma: lm.gamma });
  worker = new Worker(new URL('./lm.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (m: MessageEvent<LmEvent>) => onEvent(m.data);
  worker.onerror = (e) => {
    e.preventDefault();
    onEvent({
      type: 'error',
      message: 'The training worker stopped unexpectedly. Press reset and try again.',
    });
  };
  // WebGPU when the page uses it (Auto: a hardware adapter; or forced), tried in the worker.
  const backend = useAppStore.getState().activeBackend === 'gpu' ? 'gpu' : 'cpu';
  worker.postMessage({
    type: 'start',
    spec: made.spec,
    steps: lm.steps,
    every: measureEvery(lm.steps),
    autoplay,
    firstStep,
    backend,
  } satisfies LmCommand);
}

function send(command: 'play' | 'pause' | 'step'): void {
  worker?.postMessage({ type: command } satisfies LmCommand);
}

/** Play: continue, or start a new training. */
export function playLm(): void {
  const { status } = useLmStore.getState();
  if (worker && status === 'paused') send('play');
  else if (status !== 'running' && status !== 'starting') start(true);
}

export function pauseLm(): void {
  send('pause');
}

/** One step (a new training measures step 0, then takes its first step). */
export function stepLm(): void {
  const { status } = useLmStore.getState();
  if (worker && status === 'paused') send('step');
  else if (status === 'idle' || status === 'finished' || status === 'error') start(false, true);
}

let syncing = false;

/** Resets the training when a language-model setting changes (installed once, by the view). */
export function installLmSync(): void {
  if (syncing) return;
  syncing = true;
  useAppStore.subscribe((state, prev) => {
    if (scopeChanged(state.settings, prev.settings, 'lm') && useLmStore.getState().status !== 'idle')
      resetLm('The language-model settings changed, so the training was reset. Press play to train again.');
  });
}
