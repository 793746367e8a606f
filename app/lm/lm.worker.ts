/**
 * Trains the language-model view's model and its γ = 0 twin off the page's thread: on WebGPU
 * (float32 kernels, src/gpu/lm) when the page's backend is WebGPU and a device can be had here,
 * else on the float64 reference (src/lm), saying which. The same weights and batches for both, a
 * measurement every `every` steps on the float64 reference (metrics never include the penalty),
 * play / pause / step. The page terminates the worker on reset.
 */
import { parameterCount } from '../../src/lm/transformer';
import { makeRunAndTwin, measure, type LmStepper, type LmTrainer } from '../../src/lm/training';
import type { LmCommand, LmEvent } from './lm-protocol';

/** How long one slice of training runs before the worker reads its messages again (ms). */
const SLICE_MS = 40;

let run: LmTrainer | null = null;
let twin: LmTrainer | null = null;
/** The WebGPU engines of the run and the twin, when training there. */
let gpu: { run: LmStepper; twin: LmStepper } | null = null;
let target = 0;
let every = 1;
let playing = false;
let busy = false;
/** A pause that arrived while the start was still under way (WebGPU is acquired asynchronously). */
let starting = false;
let pauseWhileStarting = false;
let trainedMs = 0;
let tokensPerStep = 0;

function post(event: LmEvent): void {
  (self as unknown as Worker).postMessage(event);
}

async function report(): Promise<void> {
  if (!run || !twin) return;
  if (gpu) await Promise.all([run.syncFrom(gpu.run), twin.syncFrom(gpu.twin)]);
  post({
    type: 'metrics',
    point: { step: run.steps, run: measure(run), twin: measure(twin) },
    tokensPerSecond: trainedMs > 0 ? (tokensPerStep * run.steps) / (trainedMs / 1000) : 0,
  });
}

async function trainOne(): Promise<void> {
  if (!run || !twin) return;
  const t0 = performance.now();
  if (gpu) {
    await run.stepWith(gpu.run);
    await twin.stepWith(gpu.twin);
  } else {
    run.step();
    twin.step();
  }
  trainedMs += performance.now() - t0;
  if (run.steps % every === 0 || run.steps === target) await report();
}

function fail(e: unknown): void {
  playing = false;
  busy = false;
  post({
    type: 'error',
    message: `Training stopped: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
  });
}

async function pump(): Promise<void> {
  busy = true;
  try {
    while (playing && run && run.steps < target) {
      const until = performance.now() + SLICE_MS;
      while (playing && run.steps < target && performance.now() < until) await trainOne();
      // Let a pause message in.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (run && run.steps >= target) {
      playing = false;
      post({ type: 'state', state: 'finished' });
    }
  } catch (e) {
    fail(e);
  } finally {
    busy = false;
  }
}

/** The WebGPU engines for the run and its twin from their (equal) initial weights, or why not. */
async function gpuEngines(
  a: LmTrainer,
  b: LmTrainer,
): Promise<{ ok: true; label: string } | { ok: false; reason: string }> {
  try {
    const [{ acquireGpu, describeAdapter }, { LmGpu }] = await Promise.all([
      import('../../src/gpu/device'),
      import('../../src/gpu/lm/lm-gpu'),
    ]);
    const got = await acquireGpu({ powerPreference: 'high-performance' });
    if (!got.ok) return { ok: false, reason: got.message };
    const device = got.gpu.device;
    const [ga, gb] = await Promise.all([
      LmGpu.create(a.params.config, device, a.params.data),
      LmGpu.create(b.params.config, device, b.params.data),
    ]);
    gpu = { run: ga, twin: gb };
    return { ok: true, label: `WebGPU float32 on ${describeAdapter(got.gpu.adapter)}` };
  } catch (e) {
    return { ok: false, reason: `WebGPU failed to start: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function start(c: Extract<LmCommand, { type: 'start' }>): Promise<void> {
  starting = true;
  pauseWhileStarting = false;
  const made = makeRunAndTwin(c.spec);
  run = made.run;
  twin = made.twin;
  gpu = null;
  target = c.steps;
  every = c.every;
  trainedMs = 0;
  // Both models: batch × context targets each.
  tokensPerStep = 2 * c.spec.batch * c.spec.model.context;
  let engine = 'CPU float64 (reference)';
  let reason: string | null = null;
  if (c.backend === 'gpu') {
    const got = await gpuEngines(run, twin);
    if (got.ok) engine = got.label;
    else reason = got.reason;
  }
  post({
    type: 'ready',
    characters: made.corpus.text.length,
    vocabulary: made.corpus.vocabulary.length,
    protectedPassages: made.corpus.protectedPassages.length,
    parameters: parameterCount(run.params.config),
    engine,
    reason,
  });
  await report(); // step 0: where both start
  starting = false;
  if (c.autoplay && !pauseWhileStarting) {
    playing = true;
    post({ type: 'state', state: 'running' });
    if (!busy) void pump();
  } else post({ type: 'state', state: 'paused' });
}

self.onmessage = (message: MessageEvent<LmCommand>) => {
  const c = message.data;
  switch (c.type) {
    case 'start':
      start(c).catch(fail);
      break;
    case 'play':
      if (!run || run.steps >= target) break;
      playing = true;
      post({ type: 'state', state: 'running' });
      if (!busy) void pump();
      break;
    case 'pause':
      if (starting) pauseWhileStarting = true;
      // A pause that arrives after the last step changes nothing: the training stays finished.
      if (!playing) break;
      playing = false;
      if (run && run.steps < target) post({ type: 'state', state: 'paused' });
      break;
    case 'step':
      if (!run || playing || busy || run.steps >= target) break;
      busy = true;
      void (async () => {
        try {
          await trainOne();
          if (run.steps % every !== 0 && run.steps !== target) await report();
          post({ type: 'state', state: run.steps >= target ? 'finished' : 'paused' });
        } catch (e) {
          fail(e);
        } finally {
          busy = false;
        }
      })();
      break;
  }
};
