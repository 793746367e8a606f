/**
 * The language-model worker's session (lm-session.ts) in Node: on the float64 reference it
 * measures exactly what LmTrainer.step() trains; on Dawn/SwiftShader a device destroyed mid-run
 * hands the training to the reference from the last measurement (weights, AdamW moments and
 * batches as they were), with an unbroken history and the reason reported, whether the loss meets
 * a step in flight or a paused training. Like every GPU test here, the GPU cases fail (never
 * skip) without a Node WebGPU adapter.
 */
import { describe, expect, it } from 'vitest';
import { acquireGpu, type GpuAcquireResult } from '../../src/gpu/device';
import { relErr, requireGpu } from '../../src/gpu/testing';
import { defaultLmSpec } from '../../src/lm/lm-defaults';
import { makeRunAndTwin, measure, type LmTrainSpec } from '../../src/lm/training';
import type { LmCommand, LmEvent, LmPoint } from './lm-protocol';
import { LM_CPU_ENGINE, LmSession } from './lm-session';

/** The e2e test's tiny model (width 16, context 16, batch 4, γ = 0.5). */
function spec(): LmTrainSpec {
  const s = defaultLmSpec(3, 0.5);
  s.model = { ...s.model, width: 16, context: 16 };
  s.batch = 4;
  return s;
}

/** A session, its events, a way to wait for one, and the devices it acquired. */
function harness() {
  const events: LmEvent[] = [];
  const waiters: { match: (e: LmEvent) => boolean; resolve: () => void }[] = [];
  const devices: GPUDevice[] = [];
  let onEvent: (e: LmEvent) => void = () => undefined;
  const session = new LmSession(
    (e) => {
      events.push(e);
      onEvent(e);
      for (const w of [...waiters])
        if (w.match(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
    },
    {
      acquire: async (): Promise<GpuAcquireResult> => {
        const got = await acquireGpu();
        if (got.ok) devices.push(got.gpu.device);
        return got;
      },
    },
  );
  const next = (match: (e: LmEvent) => boolean, timeoutMs = 100_000): Promise<void> =>
    events.some(match)
      ? Promise.resolve()
      : new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no such event in time')), timeoutMs);
          waiters.push({
            match,
            resolve: () => {
              clearTimeout(timer);
              resolve();
            },
          });
        });
  const send = (c: LmCommand): void => session.handle(c);
  const points = (): LmPoint[] => events.flatMap((e) => (e.type === 'metrics' ? [e.point] : []));
  const setOnEvent = (f: (e: LmEvent) => void): void => {
    onEvent = f;
  };
  return { session, events, next, send, points, devices, setOnEvent };
}

const finished = (e: LmEvent): boolean => e.type === 'state' && e.state === 'finished';
const paused = (e: LmEvent): boolean => e.type === 'state' && e.state === 'paused';

/** CE free, CE copyrighted and validation perplexity of both models at a point. */
function metricVector(p: LmPoint): number[] {
  return (['run', 'twin'] as const).flatMap((m) => [
    p[m].ceFree,
    p[m].ceCopyright,
    p[m].validationPerplexity,
  ]);
}

/** Fails, naming the reason, when this Node has no WebGPU adapter (GPU tests never skip). */
async function requireAdapter(): Promise<void> {
  (await requireGpu()).device.destroy();
}

/** The float64 reference's own measurements at `every` steps (what a CPU session must send). */
function referencePoints(s: LmTrainSpec, steps: number, every: number): LmPoint[] {
  const { run, twin } = makeRunAndTwin(s);
  const out: LmPoint[] = [{ step: 0, run: measure(run), twin: measure(twin) }];
  for (let k = 1; k <= steps; k++) {
    run.step();
    twin.step();
    if (k % every === 0 || k === steps) out.push({ step: k, run: measure(run), twin: measure(twin) });
  }
  return out;
}

/**
 * A session that trained on WebGPU (float32) for some steps and on the reference after, against
 * the reference throughout: the same float32 argument as lm-train-gpu.test.ts (weights rounded to
 * 2⁻²⁴, float32 gradients ≤ 2e-5 relative through Adam's normalised update at lr = 0.01: ≲ 1e-6
 * relative in CE and perplexity after a few steps; measured ≈ 1e-8). Resuming with restarted
 * AdamW moments, or with the batches not replayed, moves them by ≈ 1e-2 (tried by hand).
 */
const METRIC_TOL = 1e-6;

describe('the language-model session', () => {
  it('on the float64 reference sends exactly what LmTrainer.step() trains, at every measurement', async () => {
    const h = harness();
    h.send({ type: 'start', spec: spec(), steps: 6, every: 2, autoplay: true, backend: 'cpu' });
    await h.next(finished);
    const ready = h.events.find((e) => e.type === 'ready');
    expect(ready).toMatchObject({ engine: LM_CPU_ENGINE, reason: null });
    expect(h.points()).toEqual(referencePoints(spec(), 6, 2));
    expect(h.events.some((e) => e.type === 'engine' || e.type === 'error')).toBe(false);
    h.session.dispose();
  });

  it('Step on a new training measures step 0, takes one step, measures it and pauses', async () => {
    const h = harness();
    h.send({
      type: 'start',
      spec: spec(),
      steps: 6,
      every: 3,
      autoplay: false,
      firstStep: true,
      backend: 'cpu',
    });
    await h.next(paused);
    // Step 1 is measured although `every` is 3: a single step always shows where it got to.
    expect(h.points().map((p) => p.step)).toEqual([0, 1]);
    expect(h.points()).toEqual(referencePoints(spec(), 1, 1));
    expect(
      h.events.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? e.state : '')),
    ).toEqual(['paused']);
    h.session.dispose();
  });

  it('a device destroyed mid-run: training goes on on the CPU from the last measurement, history unbroken', async () => {
    await requireAdapter();
    const h = harness();
    // Destroy the device just after the step-4 measurement is sent, while the training runs on.
    h.setOnEvent((e) => {
      if (e.type === 'metrics' && e.point.step === 4) setTimeout(() => h.devices[0].destroy(), 0);
    });
    h.send({ type: 'start', spec: spec(), steps: 10, every: 2, autoplay: true, backend: 'gpu' });
    await h.next(finished);
    const ready = h.events.find((e) => e.type === 'ready');
    expect(ready?.type === 'ready' && ready.engine).toMatch(/^WebGPU float32 on /);
    expect(h.devices).toHaveLength(1);
    expect(h.events.some((e) => e.type === 'error')).toBe(false);

    const switched = h.events.filter((e) => e.type === 'engine');
    expect(switched).toHaveLength(1);
    const sw = switched[0] as Extract<LmEvent, { type: 'engine' }>;
    expect(sw.engine).toBe(LM_CPU_ENGINE);
    expect(sw.resumedFrom).toBe(4);
    expect(sw.lostAfter).toBeGreaterThanOrEqual(4);
    expect(sw.reason).toContain(`lost after step ${sw.lostAfter}`);
    expect(sw.reason).toContain('resumed from step 4');
    expect(sw.reason).not.toMatch(/\n|\s+at /);
    // Before the switch the last point sent is the one training resumed from; no step twice.
    const at = h.events.indexOf(sw);
    const before = h.events.slice(0, at).flatMap((e) => (e.type === 'metrics' ? [e.point.step] : []));
    expect(before[before.length - 1]).toBe(4);
    expect(h.points().map((p) => p.step)).toEqual([0, 2, 4, 6, 8, 10]);

    // GPU to step 4, then the reference with the GPU's weights, moments and the same batches.
    const ref = referencePoints(spec(), 10, 2);
    h.points().forEach((p, i) => {
      const err = relErr(metricVector(p), metricVector(ref[i]));
      expect(err, `step ${p.step}: relErr ${err.toExponential(2)}`).toBeLessThan(METRIC_TOL);
    });
    h.session.dispose();
  });

  it('a device lost while paused moves the training to the CPU at once; a step and play go on there', async () => {
    await requireAdapter();
    const h = harness();
    h.send({ type: 'start', spec: spec(), steps: 5, every: 5, autoplay: false, backend: 'gpu' });
    await h.next(paused);
    // Two single steps on the GPU: each is measured (a step is always shown).
    for (let k = 1; k <= 2; k++) {
      const seen = h.points().length;
      h.send({ type: 'step' });
      await h.next((e) => paused(e) && h.points().length > seen);
    }
    expect(h.points().map((p) => p.step)).toEqual([0, 1, 2]);
    h.devices[0].destroy();
    await h.next((e) => e.type === 'engine');
    const sw = h.events.find((e) => e.type === 'engine') as Extract<LmEvent, { type: 'engine' }>;
    expect(sw).toMatchObject({ engine: LM_CPU_ENGINE, lostAfter: 2, resumedFrom: 2 });
    h.send({ type: 'step' });
    await h.next((e) => e.type === 'metrics' && e.point.step === 3);
    await h.next((e) => paused(e) && h.points().length === 4);
    h.send({ type: 'play' });
    await h.next(finished);
    expect(h.points().map((p) => p.step)).toEqual([0, 1, 2, 3, 5]);
    const ref = referencePoints(spec(), 5, 1);
    for (const p of h.points())
      expect(relErr(metricVector(p), metricVector(ref[p.step])), `step ${p.step}`).toBeLessThan(METRIC_TOL);
    expect(h.events.some((e) => e.type === 'error')).toBe(false);
    h.session.dispose();
  });
});
