/**
 * The CPU engine's sweep in a Web Worker (on row shards from 4,096 rows, as a run), so the page stays responsive however large the grid.
 * The worker runs one sweep; the page cancels by terminating it (runSweep's iterations do not
 * yield to the event loop, so a 'cancel' message would only be read after the sweep ended).
 */
import { CpuEngine } from '../../src/engine/cpu-engine';
import { runSweep, type SweepCell } from '../../src/engine/sweep';
import { browserShards } from '../worker/shard-port';
import type { SweepEvent, SweepStart } from './sweep-protocol';
import { describeSweepError } from './sweep-errors';

function post(event: SweepEvent): void {
  (self as unknown as Worker).postMessage(event);
}

self.onmessage = (message: MessageEvent<SweepStart>) => {
  const { dataset, spec } = message.data;
  let pending: SweepCell[] = [];
  // The rows split over one worker per core but one, as a run's (the same bits: row-shards.ts);
  // terminating this worker ends its shards too.
  const engine = new CpuEngine(dataset, { shards: browserShards() });
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
