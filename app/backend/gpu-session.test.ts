/**
 * The GPU worker's session on a real WebGPU device (Dawn in Node on SwiftShader, as
 * engines-device.test.ts): runs and sweeps in the worker, their lease, and a lost device.
 */
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu-engine';
import { BatchSolver } from '../../src/solve/solvers';
import { randomProblem, randomVector, splitProblem } from '../../src/testing/random-problem';
import type { LoopEvent, RunSummary } from '../run/protocol';
import type { GpuCommand, GpuReply } from './gpu-protocol';
import { GpuSession } from './gpu-session';

/** A session and every reply it posts, with a way to wait for one. */
function harness() {
  const replies: GpuReply[] = [];
  const waiters: { match: (r: GpuReply) => boolean; resolve: (r: GpuReply) => void }[] = [];
  const session = new GpuSession((reply) => {
    replies.push(reply);
    for (const w of [...waiters])
      if (w.match(reply)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(reply);
      }
  });
  const send = (c: GpuCommand): void => session.handle(c);
  const next = <T extends GpuReply>(match: (r: GpuReply) => r is T, timeoutMs = 60_000): Promise<T> => {
    const seen = replies.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such reply in time')), timeoutMs);
      waiters.push({
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r as T);
        },
      });
    });
  };
  const runEvents = (runId: number): LoopEvent[] =>
    replies.flatMap((r) => (r.type === 'run-event' && r.runId === runId ? [r.event] : []));
  return { session, replies, send, next, runEvents };
}

const isType =
  <K extends GpuReply['type']>(type: K, pick: (r: Extract<GpuReply, { type: K }>) => boolean = () => true) =>
  (r: GpuReply): r is Extract<GpuReply, { type: K }> =>
    r.type === type && pick(r as Extract<GpuReply, { type: K }>);

function problem(seed: number) {
  return splitProblem(randomProblem({ n: 96, d: 5, n1: 12, gammaC: 0.2, seed }));
}

describe('the GPU worker session on a software WebGPU device', () => {
  it('runs a GPU run to the CPU float64 answer within float32, and a run taking the engine stops the sweep at once', async () => {
    const seed = Math.floor(Math.random() * 1e6) + 1;
    console.log(`gpu-session seed ${seed}`);
    const { dataset, config } = problem(seed);
    const h = harness();
    h.send({ type: 'choose', id: 1, requested: 'gpu' });
    const chosen = await h.next(isType('chosen'));
    expect(chosen.decision.kind).toBe('gpu');
    h.send({ type: 'dataset', datasetId: 7, dataset });

    // A sweep holds the engine first; a run that starts stops it before the run's first step.
    const spec = {
      gammas: [0, 0.1, 0.2],
      fractions: [0.1, 0.2],
      seeds: 2,
      reading: config.reading,
      solver: { solver: 'newton' as const, maxIter: 40, tol: 1e-5 },
    };
    h.send({ type: 'sweep-start', sweepId: 2, datasetId: 7, spec });
    expect((await h.next(isType('sweep-started'))).label).toContain('WebGPU float32');
    await h.next(isType('sweep-event', (r) => r.event.type === 'progress'));

    const x0 = randomVector(dataset.d, seed + 1, 0.1);
    const options = { solver: 'newton' as const, maxIter: 60, tol: 1e-5 };
    h.send({
      type: 'run-start',
      runId: 3,
      datasetId: 7,
      start: { configs: [config], x0, options, autoplay: true, speed: 0 },
    });
    await h.next(isType('run-started'));
    const order = h.replies.map((r) => r.type);
    // The sweep was told it was stopped before the run started, and sends nothing afterwards.
    expect(order.indexOf('sweep-revoked')).toBeGreaterThan(-1);
    expect(order.indexOf('sweep-revoked')).toBeLessThan(order.indexOf('run-started'));
    const done = await h.next(isType('run-event', (r) => r.runId === 3 && r.event.type === 'done'));
    const lastSweep = h.replies.map((r) => r.type).lastIndexOf('sweep-event');
    expect(lastSweep).toBeLessThan(order.indexOf('sweep-revoked'));

    // Against the float64 engine's own solve from the same start (the reference, not the worker).
    const reference = new BatchSolver(new CpuEngine(dataset), [config], x0, options);
    while (!reference.done) await reference.step();
    const [ref] = reference.results();
    const [got] = (done.event as { results: RunSummary[] }).results;
    expect(got.status).toBe('converged');
    expect(got.precision).toBe('float32');
    expect(Math.abs(got.parts.L - ref.parts.L)).toBeLessThanOrEqual(1e-4 * Math.abs(ref.parts.L));
    let far = 0;
    for (let j = 0; j < dataset.d; j++) far = Math.max(far, Math.abs(got.x[j] - ref.x[j]));
    expect(far).toBeLessThan(1e-2 * Math.max(1, Math.max(...ref.x.map(Math.abs))));
    h.session.dispose();
  });

  it('a lost device moves the run in progress onto the float64 CPU engine in the worker, which finishes it', async () => {
    const seed = Math.floor(Math.random() * 1e6) + 1;
    console.log(`gpu-session loss seed ${seed}`);
    const { dataset, config } = problem(seed);
    const h = harness();
    h.send({ type: 'choose', id: 1, requested: 'gpu' });
    expect((await h.next(isType('chosen'))).decision.kind).toBe('gpu');
    h.send({ type: 'dataset', datasetId: 1, dataset });
    const x0 = new Float64Array(dataset.d);
    h.send({
      type: 'run-start',
      runId: 5,
      datasetId: 1,
      start: {
        configs: [config, { ...config, gammaC: 0 }],
        x0,
        options: { solver: 'gd', maxIter: 400, tol: 1e-10 },
        autoplay: false,
        speed: 0,
      },
    });
    await h.next(isType('run-started'));
    // Iteration 0, then three steps on the GPU, each ending paused.
    const paused = (): number =>
      h.runEvents(5).filter((e) => e.type === 'state' && e.state === 'paused').length;
    for (let k = 1; k <= 4; k++) {
      if (k > 1) h.send({ type: 'run-control', runId: 5, command: 'step' });
      while (paused() < k) await new Promise((r) => setTimeout(r, 5));
    }
    h.send({ type: 'lose-device', id: 9 });
    expect((await h.next(isType('device-destroyed'))).destroyed).toBe(true);
    const lost = await h.next(isType('device-lost'));
    expect(lost.continuedRunId).toBe(5);
    h.send({ type: 'run-control', runId: 5, command: 'play' });
    const done = await h.next(
      isType('run-event', (r) => r.runId === 5 && r.event.type === 'done'),
      120_000,
    );
    const results = (done.event as { results: RunSummary[] }).results;
    expect(results.map((r) => r.precision)).toEqual(['float64', 'float64']);
    // Every iteration streamed once, the history unbroken across the switch.
    const steps = h.runEvents(5).flatMap((e) => (e.type === 'progress' ? e.steps : []));
    const iterations = steps.map((s) => s[0]?.iter).filter((i) => i !== undefined);
    expect(iterations).toEqual(iterations.map((_, k) => k));
    expect(iterations.length - 1).toBe(results[0].iterations);
    expect(results[0].iterations).toBeGreaterThan(3);

    // After the loss the engine cannot be leased again: a new start is refused, for the CPU worker.
    h.send({
      type: 'run-start',
      runId: 6,
      datasetId: 1,
      start: { configs: [config], x0, options: { solver: 'newton' }, autoplay: true, speed: 0 },
    });
    const refused = await h.next(isType('run-refused'));
    expect(refused.why).toBe('unavailable');
    expect(refused.reason).toContain('The GPU device was lost');
    h.session.dispose();
  });

  it('refuses a start for data it was not sent, and one the page reset while it waited', async () => {
    const { dataset, config } = problem(11);
    const h = harness();
    h.send({ type: 'choose', id: 1, requested: 'gpu' });
    await h.next(isType('chosen'));
    const start = {
      configs: [config],
      x0: new Float64Array(dataset.d),
      options: { solver: 'newton' as const },
      autoplay: true,
      speed: 0,
    };
    h.send({ type: 'run-start', runId: 1, datasetId: 4, start });
    expect((await h.next(isType('run-refused', (r) => r.runId === 1))).why).toBe('unavailable');
    h.send({ type: 'dataset', datasetId: 4, dataset });
    h.send({ type: 'run-start', runId: 2, datasetId: 4, start });
    h.send({ type: 'run-dispose', runId: 2 });
    expect((await h.next(isType('run-refused', (r) => r.runId === 2))).why).toBe('reset');
    // A cancelled sweep sends nothing more, and its engine is free for the next run.
    const spec = {
      gammas: [0, 0.1],
      fractions: [0.1],
      seeds: 1,
      reading: config.reading,
      solver: { solver: 'newton' as const, maxIter: 30 },
    };
    h.send({ type: 'sweep-start', sweepId: 3, datasetId: 4, spec });
    await h.next(isType('sweep-started'));
    h.send({ type: 'sweep-cancel', sweepId: 3 });
    const after = h.replies.length;
    h.send({ type: 'run-start', runId: 4, datasetId: 4, start });
    await h.next(isType('run-event', (r) => r.runId === 4 && r.event.type === 'done'));
    expect(h.replies.slice(after).filter((r) => r.type.startsWith('sweep'))).toEqual([]);
    h.session.dispose();
  });
});
