/**
 * What the language-model worker does (lm.worker.ts is its shell): trains the view's model and its
 * γ = 0 twin on WebGPU (float32 kernels, src/gpu/lm) when the page's backend is WebGPU and a
 * device can be had here, else on the float64 reference (src/lm), saying which. The same weights
 * and batches for both, a measurement every `every` steps on the float64 reference (metrics never
 * include the penalty), play / pause / step.
 *
 * A WebGPU device lost mid-training (the device's `lost` promise, or a step or a readback that
 * fails with the device gone) hands the training to the float64 reference from the last
 * measurement: the weights and AdamW's moments are read back from the GPU at every measurement,
 * so nothing else is lost than the steps since then, which are trained again on the same batches.
 * The history is kept and the page is told where it was lost and where it resumed. DOM-free:
 * tests drive it in Node on Dawn.
 */
import type { GpuAcquireResult } from '../../src/gpu/device';
import type { LmGpu } from '../../src/gpu/lm/lm-gpu';
import {
  adamwStep,
  lossAndGradient,
  parameterCount,
  type AdamState,
  type LmParams,
  type LmSequence,
} from '../../src/lm/transformer';
import {
  makeRunAndTwin,
  measure,
  type LmStepper,
  type LmTrainer,
  type LmTrainSpec,
} from '../../src/lm/training';
import type { LmCommand, LmEvent } from './lm-protocol';

/** How long one slice of training runs before the session reads its messages again (ms). */
const SLICE_MS = 40;
/**
 * How long a failed GPU step waits for the device's `lost` promise before it counts the failure
 * as an error of its own: the readback's rejection and the loss arrive as separate events.
 */
const LOSS_GRACE_MS = 1000;

/** Where the training runs on the float64 reference (also the page's label for it). */
export const LM_CPU_ENGINE = 'CPU float64 (reference)';

/**
 * The float64 reference as an {@link LmStepper} on a trainer's own parameters: the same
 * lossAndGradient and adamwStep as LmTrainer.step(), with Adam's moments given (zeros at the
 * start, or those the GPU had at the last measurement).
 */
class CpuStepper implements LmStepper {
  private grad: Float64Array | null = null;

  constructor(
    private readonly params: LmParams,
    private readonly adam: AdamState,
  ) {}

  async lossAndGradient(
    batch: readonly LmSequence[],
    gamma: number,
  ): Promise<{ loss: { loss: number; penaltyApplied: boolean } }> {
    const { loss, grad } = lossAndGradient(this.params, batch, gamma);
    this.grad = grad;
    return { loss };
  }

  adamwStep(o: { lr: number; weightDecay: number }): void {
    if (!this.grad) throw new Error('adamwStep before lossAndGradient');
    adamwStep(this.params.data, this.grad, this.adam, o);
    this.grad = null;
  }

  async readParams(): Promise<Float64Array> {
    return this.params.data.slice();
  }
}

/**
 * Draws a step's batch and trains nothing: replaying the batch draws up to a step puts a fresh
 * trainer's batch generator where the first one's was (LmTrainer draws exactly one batch per
 * stepWith), so training resumed from a measurement sees the batches it would have seen.
 */
const SKIP_STEP: LmStepper = {
  lossAndGradient: async () => ({ loss: { loss: NaN, penaltyApplied: false } }),
  adamwStep: () => undefined,
  readParams: () => Promise.reject(new Error('nothing to read')),
};

/** One model's state at a measurement: enough to train on from there on the reference. */
interface TrainerState {
  params: Float64Array;
  adam: AdamState;
  lastLoss: number;
  lastPenalty: boolean;
}

interface Checkpoint {
  step: number;
  run: TrainerState;
  twin: TrainerState;
}

/** The run's and the twin's kernels on one device, and whether (why) the device was lost. */
interface GpuTraining {
  device: GPUDevice;
  run: LmGpu;
  twin: LmGpu;
  lost: Promise<string>;
  lostReason: string | null;
}

export interface LmSessionOptions {
  /** How a WebGPU device is had (default: acquireGpu of src/gpu/device.ts); tests reach it here. */
  acquire?: () => Promise<GpuAcquireResult>;
}

/** The worker's side of the protocol (lm-protocol.ts); `post` sends an event to the page. */
export class LmSession {
  private spec: LmTrainSpec | null = null;
  private run: LmTrainer | null = null;
  private twin: LmTrainer | null = null;
  /** What the run and the twin train with: the GPU kernels or the reference. */
  private steppers: { run: LmStepper; twin: LmStepper } | null = null;
  private gpu: GpuTraining | null = null;
  /** The last measurement's state, where training resumes if the GPU goes. */
  private checkpoint: Checkpoint | null = null;
  private target = 0;
  private every = 1;
  private playing = false;
  private busy = false;
  /** A pause that arrived while the start was still under way (WebGPU is acquired asynchronously). */
  private starting = false;
  private pauseWhileStarting = false;
  private disposed = false;
  /** Training time and steps on the current engine (tokens/s is that engine's speed). */
  private segment = { fromStep: 0, ms: 0 };
  private tokensPerStep = 0;

  constructor(
    private readonly post: (event: LmEvent) => void,
    private readonly options: LmSessionOptions = {},
  ) {}

  /** Handles one message of the page; never throws (failures are events). */
  handle(c: LmCommand): void {
    switch (c.type) {
      case 'start':
        this.start(c).catch((e: unknown) => this.fail(e));
        break;
      case 'play':
        if (!this.run || this.run.steps >= this.target) break;
        this.playing = true;
        this.post({ type: 'state', state: 'running' });
        if (!this.busy) void this.pump();
        break;
      case 'pause':
        if (this.starting) this.pauseWhileStarting = true;
        // A pause that arrives after the last step changes nothing: the training stays finished.
        if (!this.playing) break;
        this.playing = false;
        if (this.run && this.run.steps < this.target) this.post({ type: 'state', state: 'paused' });
        break;
      case 'step':
        if (!this.run || this.playing || this.busy || this.run.steps >= this.target) break;
        void this.stepOnce();
        break;
    }
  }

  /** Stops the training and gives the GPU back (the worker is closing, or a test is done). */
  dispose(): void {
    this.disposed = true;
    this.playing = false;
    const gpu = this.gpu;
    this.gpu = null;
    if (gpu) destroyGpu(gpu, true);
  }

  private async start(c: Extract<LmCommand, { type: 'start' }>): Promise<void> {
    this.starting = true;
    this.pauseWhileStarting = false;
    this.playing = false;
    if (this.gpu) destroyGpu(this.gpu, true);
    this.gpu = null;
    this.steppers = null;
    this.checkpoint = null;
    const made = makeRunAndTwin(c.spec);
    this.spec = c.spec;
    this.run = made.run;
    this.twin = made.twin;
    this.target = c.steps;
    this.every = c.every;
    this.segment = { fromStep: 0, ms: 0 };
    // Both models: batch × context targets each.
    this.tokensPerStep = 2 * c.spec.batch * c.spec.model.context;
    let engine = LM_CPU_ENGINE;
    let reason: string | null = null;
    if (c.backend === 'gpu') {
      const got = await this.gpuEngines(made.run, made.twin);
      if (got.ok) engine = got.label;
      else reason = got.reason;
    }
    // Disposed while WebGPU was being acquired: give back what was acquired meanwhile.
    if (this.disposed) return this.dispose();
    this.steppers ??= {
      run: new CpuStepper(made.run.params, zeroAdam(made.run.params)),
      twin: new CpuStepper(made.twin.params, zeroAdam(made.twin.params)),
    };
    this.post({
      type: 'ready',
      characters: made.corpus.text.length,
      vocabulary: made.corpus.vocabulary.length,
      protectedPassages: made.corpus.protectedPassages.length,
      parameters: parameterCount(made.run.params.config),
      engine,
      reason,
    });
    await this.report(); // step 0: where both start
    this.starting = false;
    // Lost while starting (deviceLost leaves that to the start): on to the reference now.
    const gpu = this.gpu as GpuTraining | null; // set by gpuEngines (TypeScript keeps the null above)
    if (gpu?.lostReason != null) await this.moveToCpu(gpu);
    if (c.autoplay && !this.pauseWhileStarting) {
      this.playing = true;
      this.post({ type: 'state', state: 'running' });
      if (!this.busy) void this.pump();
    } else if (c.firstStep && !this.pauseWhileStarting && this.target > 0) await this.stepOnce();
    else this.post({ type: 'state', state: 'paused' });
  }

  /** The WebGPU engines for the run and its twin from their (equal) initial weights, or why not. */
  private async gpuEngines(
    a: LmTrainer,
    b: LmTrainer,
  ): Promise<{ ok: true; label: string } | { ok: false; reason: string }> {
    try {
      const [{ acquireGpu, describeAdapter }, { LmGpu }] = await Promise.all([
        import('../../src/gpu/device'),
        import('../../src/gpu/lm/lm-gpu'),
      ]);
      const got = await (
        this.options.acquire ?? (() => acquireGpu({ powerPreference: 'high-performance' }))
      )();
      if (!got.ok) return { ok: false, reason: got.message };
      const device = got.gpu.device;
      let ga: LmGpu;
      let gb: LmGpu;
      try {
        [ga, gb] = await Promise.all([
          LmGpu.create(a.params.config, device, a.params.data),
          LmGpu.create(b.params.config, device, b.params.data),
        ]);
      } catch (e) {
        device.destroy();
        throw e;
      }
      const gpu: GpuTraining = {
        device,
        run: ga,
        twin: gb,
        lost: got.gpu.lost.then((info) =>
          info.message ? `${String(info.reason)}: ${firstLine(info.message)}` : String(info.reason),
        ),
        lostReason: null,
      };
      void gpu.lost.then((why) => this.deviceLost(gpu, why));
      this.gpu = gpu;
      this.steppers = { run: ga, twin: gb };
      return { ok: true, label: `WebGPU float32 on ${describeAdapter(got.gpu.adapter)}` };
    } catch (e) {
      return { ok: false, reason: `WebGPU failed to start: ${firstLine(message(e))}` };
    }
  }

  /** Measures both models in float64 (the GPU's weights and moments read back first) and reports. */
  private async report(): Promise<void> {
    const run = this.run;
    const twin = this.twin;
    if (!run || !twin) return;
    const gpu = this.gpu;
    // At step 0 both engines hold the float64 initial weights (the GPU their float32 rounding).
    if (gpu && run.steps > 0) {
      try {
        await Promise.all([run.syncFrom(gpu.run), twin.syncFrom(gpu.twin)]);
        const [adamRun, adamTwin] = await Promise.all([gpu.run.readAdamState(), gpu.twin.readAdamState()]);
        this.checkpoint = {
          step: run.steps,
          run: trainerState(run, adamRun),
          twin: trainerState(twin, adamTwin),
        };
      } catch (e) {
        await this.recover(gpu, e);
        return;
      }
    } else if (gpu) {
      this.checkpoint = {
        step: 0,
        run: trainerState(run, zeroAdam(run.params)),
        twin: trainerState(twin, zeroAdam(twin.params)),
      };
    }
    const seconds = this.segment.ms / 1000;
    this.post({
      type: 'metrics',
      point: { step: run.steps, run: measure(run), twin: measure(twin) },
      tokensPerSecond: seconds > 0 ? (this.tokensPerStep * (run.steps - this.segment.fromStep)) / seconds : 0,
    });
  }

  /**
   * One step of both models, measured when due. Returns 'lost' when the GPU went and the training
   * went back to the last measurement instead (no step was added).
   */
  private async trainOne(): Promise<'trained' | 'measured' | 'lost'> {
    const gpu = this.gpu;
    if (gpu?.lostReason != null) {
      await this.moveToCpu(gpu);
      return 'lost';
    }
    const run = this.run!;
    const twin = this.twin!;
    const { run: a, twin: b } = this.steppers!;
    const t0 = performance.now();
    try {
      await run.stepWith(a);
      await twin.stepWith(b);
    } catch (e) {
      if (!gpu) throw e;
      await this.recover(gpu, e);
      return 'lost';
    }
    this.segment.ms += performance.now() - t0;
    if (run.steps % this.every !== 0 && run.steps !== this.target) return 'trained';
    await this.report();
    return this.gpu !== gpu ? 'lost' : 'measured';
  }

  /** After a GPU failure: on to the reference when the device was lost, else the error stands. */
  private async recover(gpu: GpuTraining, e: unknown): Promise<void> {
    if (gpu.lostReason === null) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const lost = await Promise.race([
        gpu.lost.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), LOSS_GRACE_MS))),
      ]);
      clearTimeout(timer);
      if (!lost) throw e;
      gpu.lostReason ??= await gpu.lost;
    }
    await this.moveToCpu(gpu);
  }

  /** Resumes on the reference (once) and tells the page. */
  private async moveToCpu(gpu: GpuTraining): Promise<void> {
    const event = await this.resumeOnCpu(gpu);
    if (event) this.post(event);
  }

  /** The device's `lost` promise: a paused training moves to the reference at once. */
  private deviceLost(gpu: GpuTraining, why: string): void {
    gpu.lostReason = why;
    // A step in flight, or the start, meets the loss itself and resumes there.
    if (this.gpu !== gpu || this.busy || this.starting || this.disposed) return;
    this.busy = true;
    this.resumeOnCpu(gpu).then(
      (event) => {
        // Free before the page hears of it, so that a step it sends in answer is taken.
        this.busy = false;
        if (event) this.post(event);
        // A play that arrived meanwhile found the session busy and left the training to it.
        if (this.playing && !this.busy) void this.pump();
      },
      (e: unknown) => this.fail(e),
    );
  }

  /**
   * Trains on from the last measurement on the float64 reference: fresh trainers (the same corpus
   * and batch generator) replayed to the measurement's step, its weights, AdamW moments and last
   * loss; returns the event that tells the page (the history up to there stays; later steps are
   * trained again), or null when the training is elsewhere already.
   */
  private async resumeOnCpu(gpu: GpuTraining): Promise<LmEvent | null> {
    if (this.gpu !== gpu || !this.spec || !this.run) return null;
    this.gpu = null;
    const lostAfter = this.run.steps;
    destroyGpu(gpu, false);
    const cp = this.checkpoint;
    const from = cp?.step ?? 0;
    const made = makeRunAndTwin(this.spec);
    // No checkpoint: lost before the step-0 measurement, so before any GPU step (fresh is right).
    const restore = async (t: LmTrainer, state: TrainerState | undefined): Promise<CpuStepper> => {
      for (let s = 0; s < from; s++) await t.stepWith(SKIP_STEP);
      if (!state) return new CpuStepper(t.params, zeroAdam(t.params));
      t.params.data.set(state.params);
      t.lastLoss = state.lastLoss;
      t.lastPenalty = state.lastPenalty;
      return new CpuStepper(t.params, cloneAdam(state.adam));
    };
    this.steppers = { run: await restore(made.run, cp?.run), twin: await restore(made.twin, cp?.twin) };
    this.run = made.run;
    this.twin = made.twin;
    this.segment = { fromStep: from, ms: 0 };
    const redo =
      lostAfter > from ? `; steps ${from + 1}–${lostAfter} are trained again on the same batches` : '';
    return {
      type: 'engine',
      engine: LM_CPU_ENGINE,
      reason:
        `the WebGPU device was lost after step ${lostAfter} (${gpu.lostReason ?? 'unknown'}), so the ` +
        `training resumed from step ${from}, its last measurement, with the weights and AdamW moments ` +
        `read back there${redo}.`,
      lostAfter,
      resumedFrom: from,
    };
  }

  private async pump(): Promise<void> {
    this.busy = true;
    try {
      while (this.playing && this.run && this.run.steps < this.target) {
        const until = performance.now() + SLICE_MS;
        while (this.playing && this.run.steps < this.target && performance.now() < until)
          await this.trainOne();
        // Let a pause message in.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      if (this.run && this.run.steps >= this.target && !this.disposed) {
        this.playing = false;
        this.post({ type: 'state', state: 'finished' });
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }

  /** One step on the page's request; a step that met a lost device is trained again on the CPU. */
  private async stepOnce(): Promise<void> {
    this.busy = true;
    try {
      let done = await this.trainOne();
      if (done === 'lost') done = await this.trainOne();
      if (done === 'trained') await this.report();
      const run = this.run!;
      this.post({ type: 'state', state: run.steps >= this.target ? 'finished' : 'paused' });
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }

  private fail(e: unknown): void {
    this.playing = false;
    this.busy = false;
    if (this.disposed) return;
    this.post({ type: 'error', message: `Training stopped: ${firstLine(message(e))}` });
  }
}

function zeroAdam(p: LmParams): AdamState {
  return { m: new Float64Array(p.data.length), v: new Float64Array(p.data.length), step: 0 };
}

function cloneAdam(a: AdamState): AdamState {
  return { m: a.m.slice(), v: a.v.slice(), step: a.step };
}

function trainerState(t: LmTrainer, adam: AdamState): TrainerState {
  return { params: t.params.data.slice(), adam, lastLoss: t.lastLoss, lastPenalty: t.lastPenalty };
}

/** Frees the kernels' buffers, and the device itself when it is still alive. */
function destroyGpu(gpu: GpuTraining, device: boolean): void {
  try {
    gpu.run.destroy();
    gpu.twin.destroy();
    if (device) gpu.device.destroy();
  } catch {
    // A lost device's buffers may already be gone; there is nothing left to free.
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
