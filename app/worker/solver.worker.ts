/**
 * The CPU engine and the solver in a Web Worker, so the page never freezes whatever n is. The
 * worker owns one SolverLoop at a time; a new `start` replaces the previous run.
 */
import { CpuEngine } from '../../src/engine/cpu-engine';
import { BatchSolver } from '../../src/solve/solvers';
import type { LoopCommand, LoopEvent } from '../run/protocol';
import { SolverLoop, friendlyError } from '../run/solver-loop';
import { browserShards } from './shard-port';

let loop: SolverLoop | null = null;
/** The current run's engine, released (with its row-shard workers) when a new run replaces it. */
let engine: CpuEngine | null = null;

/** The kernels last reported to the page (once they are known: after the first evaluation). */
let toldKernels = '';

function post(event: LoopEvent): void {
  if (event.type === 'progress' && engine && engine.kernelsDescription !== toldKernels) {
    toldKernels = engine.kernelsDescription;
    (self as unknown as Worker).postMessage({ type: 'engine', kernels: toldKernels } satisfies LoopEvent);
  }
  (self as unknown as Worker).postMessage(event);
}

self.onmessage = (message: MessageEvent<LoopCommand>) => {
  const command = message.data;
  try {
    switch (command.type) {
      case 'start': {
        loop?.dispose();
        engine?.dispose();
        toldKernels = '';
        // The rows split over one worker per core (the same bits as one thread: row-shards.ts).
        engine = new CpuEngine(command.dataset, { shards: browserShards() });
        const solver = new BatchSolver(engine, command.configs, command.x0, command.options);
        loop = new SolverLoop(solver, post);
        loop.setSpeed(command.speed);
        if (command.autoplay) loop.play();
        else loop.step(); // iteration 0: the start point, so the plots show where the run begins
        break;
      }
      case 'play':
        loop?.play();
        break;
      case 'pause':
        loop?.pause();
        break;
      case 'step':
        loop?.step();
        break;
      case 'speed':
        loop?.setSpeed(command.speed);
        break;
    }
  } catch (e) {
    post({ type: 'error', message: friendlyError(e) });
  }
};
