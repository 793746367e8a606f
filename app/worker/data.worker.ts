/**
 * Data work off the main thread: generating synthetic data and reading + parsing uploaded CSVs,
 * with byte progress while a large file is read. Errors come back as one line (with line and
 * column for CSVs), never as a stack trace.
 */
import { parseCsv } from '../../src/data/csv';
import { formatDataError } from '../../src/data/errors';
import { generate } from '../../src/data/generators';
import type { DataCommand, DataEvent } from './data-protocol';
import { sha256Hex } from './sha256';

function post(event: DataEvent, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(event, transfer);
}

/** Reads a file in chunks, reporting progress, and returns its bytes. */
async function readWithProgress(id: number, file: File): Promise<Uint8Array> {
  const total = file.size;
  const out = new Uint8Array(total);
  const reader = file.stream().getReader();
  let loaded = 0;
  let lastReport = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value, loaded);
    loaded += value.length;
    const now = performance.now();
    if (now - lastReport > 50) {
      lastReport = now;
      post({ type: 'progress', id, loaded, total, phase: 'reading' });
    }
  }
  return out.subarray(0, loaded);
}

async function handle(command: DataCommand): Promise<void> {
  switch (command.type) {
    case 'generate': {
      const g = generate(command.spec);
      const { A, b, w } = g.dataset;
      post(
        {
          type: 'generated',
          id: command.id,
          dataset: g.dataset,
          featureNames: g.featureNames,
          clusters: g.clusters ?? null,
        },
        [A.buffer, b.buffer, w.buffer],
      );
      return;
    }
    case 'parse': {
      const bytes = await readWithProgress(command.id, command.file);
      post({ type: 'progress', id: command.id, loaded: bytes.length, total: bytes.length, phase: 'parsing' });
      const sha256 = await sha256Hex(bytes);
      const text = new TextDecoder('utf-8').decode(bytes);
      const parsed = parseCsv(text);
      post({
        type: 'parsed',
        id: command.id,
        dataset: parsed.dataset,
        mask: parsed.mask,
        hasCopyrightColumn: parsed.hasCopyrightColumn,
        featureNames: parsed.featureNames,
        notices: parsed.notices,
        sha256,
        fileName: command.file.name,
      });
      return;
    }
  }
}

self.onmessage = (message: MessageEvent<DataCommand>) => {
  const command = message.data;
  handle(command).catch((e: unknown) => {
    const where = command.type === 'parse' ? `${command.file.name}: ` : '';
    post({ type: 'failed', id: command.id, message: where + formatDataError(e) });
  });
};
