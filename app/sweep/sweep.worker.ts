/**
 * The CPU engine's sweep in a Web Worker, so the page stays responsive however large the grid.
 * The worker runs one sweep; the page cancels by terminating it (runSweep's iterations do not
 * yield to the event loop, so a 'cancel' message would only be read after the sweep ended).
 */
import { CpuEngine } from '../../src/engine/cpu-engine';
import { runSweep, type SweepCell } from '../../src/engine/sweep';
import type { SweepEvent, SweepStart } from './sweep-protocol';
import { describeSweepError } from './sweep-errors';

function post(event: SweepEvent): void {
  (self as unknown as Worker).postMessage(event);
}

self.onmessage = (message: MessageEvent<SweepStart>) => {
  const { dataset, spec } = message.data;
  let pending: SweepCell[] = [];
  const engine = new CpuEngine(dataset);
  runSweep(engine, spec, {
    onCell: (cell) => pending.push(cell),
    onProgress: (progress) => {
      post({ type: 'progress', progress, cells: pending });
      pending = [];
    },
  }).then(
    (result) => post({ type: 'done', elapsedMs: result.elapsedMs, batchSize: result.batchSize }),
    (e: unknown) => post({ type: 'error', message: describeSweepError(e) }),
  );
};
