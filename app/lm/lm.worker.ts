/**
 * Trains the language-model view's model and its γ = 0 twin on the float64 reference (src/lm),
 * off the page's thread: the same weights and batches for both, a measurement every `every`
 * steps (metrics never include the penalty), play / pause / step. A new start replaces the run;
 * the page terminates the worker on reset.
 */
import { parameterCount } from '../../src/lm/transformer';
import { makeRunAndTwin, measure, type LmTrainer } from '../../src/lm/training';
import type { LmCommand, LmEvent } from './lm-protocol';

/** How long one slice of training runs before the worker reads its messages again (ms). */
const SLICE_MS = 40;

let run: LmTrainer | null = null;
let twin: LmTrainer | null = null;
let target = 0;
let every = 1;
let playing = false;
let busy = false;
let trainedMs = 0;
let tokensPerStep = 0;

function post(event: LmEvent): void {
  (self as unknown as Worker).postMessage(event);
}

function report(): void {
  if (!run || !twin) return;
  post({
    type: 'metrics',
    point: { step: run.steps, run: measure(run), twin: measure(twin) },
    tokensPerSecond: trainedMs > 0 ? (tokensPerStep * run.steps) / (trainedMs / 1000) : 0,
  });
}

function trainOne(): void {
  if (!run || !twin) return;
  const t0 = performance.now();
  run.step();
  twin.step();
  trainedMs += performance.now() - t0;
  if (run.steps % every === 0 || run.steps === target) report();
}

function pump(): void {
  if (!playing || !run) {
    busy = false;
    return;
  }
  busy = true;
  const until = performance.now() + SLICE_MS;
  while (playing && run.steps < target && performance.now() < until) trainOne();
  if (run.steps >= target) {
    playing = false;
    busy = false;
    post({ type: 'state', state: 'finished' });
    return;
  }
  setTimeout(pump, 0);
}

self.onmessage = (message: MessageEvent<LmCommand>) => {
  const c = message.data;
  try {
    switch (c.type) {
      case 'start': {
        const made = makeRunAndTwin(c.spec);
        run = made.run;
        twin = made.twin;
        target = c.steps;
        every = c.every;
        trainedMs = 0;
        // Both models: batch × context targets each.
        tokensPerStep = 2 * c.spec.batch * c.spec.model.context;
        post({
          type: 'ready',
          characters: made.corpus.text.length,
          vocabulary: made.corpus.vocabulary.length,
          protectedPassages: made.corpus.protectedPassages.length,
          parameters: parameterCount(run.params.config),
        });
        report(); // step 0: where both start
        if (c.autoplay) {
          playing = true;
          post({ type: 'state', state: 'running' });
          if (!busy) pump();
        } else post({ type: 'state', state: 'paused' });
        break;
      }
      case 'play':
        if (!run || run.steps >= target) break;
        playing = true;
        post({ type: 'state', state: 'running' });
        if (!busy) pump();
        break;
      case 'pause':
        playing = false;
        post({ type: 'state', state: 'paused' });
        break;
      case 'step':
        if (!run || playing || run.steps >= target) break;
        trainOne();
        if (run.steps % every !== 0 && run.steps !== target) report();
        post({ type: 'state', state: run.steps >= target ? 'finished' : 'paused' });
        break;
    }
  } catch (e) {
    playing = false;
    post({
      type: 'error',
      message: `Training stopped: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
    });
  }
};
