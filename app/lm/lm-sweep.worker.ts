/**
 * One worker of the language-model sweep's pool: trains the cells it is sent, one at a time, on the
 * float64 reference (src/lm/sweep.ts trainCell), and posts each as it ends. A cell runs in one go
 * (no messages are read meanwhile): the page cancels by terminating the worker.
 */
import type { Corpus } from '../../src/lm/corpus';
import { cellCorpus, trainCell } from '../../src/lm/sweep';
import type { LmSweepCommand, LmSweepEvent } from './lm-sweep-protocol';

/** Least time between two step reports of a cell (ms): enough for a live estimate, few messages. */
const STEP_REPORT_MS = 250;

/** The last corpus made: the cells of one n1/n and seed (every γ) train on the same text. */
let cached: { key: string; data: { corpus: Corpus; tokens: Int32Array } } | null = null;

function post(event: LmSweepEvent): void {
  (self as unknown as Worker).postMessage(event);
}

self.onmessage = (message: MessageEvent<LmSweepCommand>) => {
  const { spec, job, index } = message.data;
  try {
    const key = `${job.fraction}/${job.seed}`;
    if (cached?.key !== key) cached = { key, data: cellCorpus(spec, job) };
    let last = performance.now();
    const cell = trainCell(
      spec,
      job,
      (step) => {
        const now = performance.now();
        if (now - last < STEP_REPORT_MS) return;
        last = now;
        post({ type: 'step', index, step });
      },
      cached.data,
    );
    post({ type: 'cell', index, cell });
  } catch (e) {
    // One line, no stack: the page shows it as is.
    const text = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    post({ type: 'error', index, message: text });
  }
};
