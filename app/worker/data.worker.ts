/**
 * Data work off the main thread: generating synthetic data, and for an uploaded CSV everything from
 * the File to the typed arrays: the size check, reading (with byte progress), SHA-256, decoding
 * (UTF-8 or UTF-16) and parsing (with progress). The arrays go back as transferables, so the main
 * thread neither parses nor copies O(n·d) numbers. Errors come back as one bounded line (with line
 * and column for CSVs), never as a stack trace. The code for uploads (csv-upload.ts: hashing,
 * decoding, papaparse) loads with the first upload.
 */
import { clipEcho } from '../../src/data/echo';
import { DataError, formatDataError } from '../../src/data/errors';
import { generate } from '../../src/data/generators';
import { fileSizeProblem } from '../../src/data/limits';
import type { Dataset } from '../../src/math/types';
import type { DataCommand, DataEvent, ParsePhase } from './data-protocol';

function post(event: DataEvent, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(event, transfer);
}

/** The buffers of a data set's arrays, to transfer them (each array owns its whole buffer). */
function buffersOf(dataset: Dataset): ArrayBuffer[] {
  return [dataset.A.buffer, dataset.b.buffer, dataset.w.buffer] as ArrayBuffer[];
}

/** Progress of one phase, reported at most once per whole percent (not by time, so tests can count). */
function progressReporter(id: number, phase: ParsePhase): (fraction: number) => void {
  let lastPercent = -1;
  return (fraction) => {
    const percent = Math.floor(fraction * 100);
    if (percent <= lastPercent) return;
    lastPercent = percent;
    post({ type: 'progress', id, phase, fraction });
  };
}

/** Reads a file in chunks, reporting progress, and returns its bytes. */
async function readWithProgress(id: number, file: File): Promise<Uint8Array> {
  const total = file.size;
  const out = new Uint8Array(total);
  const reader = file.stream().getReader();
  const report = progressReporter(id, 'reading');
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // A file that grew after it was chosen: refuse rather than overrun the buffer.
    if (loaded + value.length > total) throw new DataError('the file changed while it was being read');
    out.set(value, loaded);
    loaded += value.length;
    report(total > 0 ? loaded / total : 1);
  }
  return out.subarray(0, loaded);
}

async function handle(command: DataCommand): Promise<void> {
  switch (command.type) {
    case 'generate': {
      const g = generate(command.spec);
      post(
        {
          type: 'generated',
          id: command.id,
          dataset: g.dataset,
          featureNames: g.featureNames,
          clusters: g.clusters ?? null,
        },
        buffersOf(g.dataset),
      );
      return;
    }
    case 'parse': {
      // The page checks the size before sending; this keeps the worker safe on its own.
      const tooLarge = fileSizeProblem(command.file.size);
      if (tooLarge) throw new DataError(tooLarge);
      // The upload code loads while the file is read (a failed load is reported after the read).
      const loading = import('./csv-upload');
      loading.catch(() => undefined);
      const bytes = await readWithProgress(command.id, command.file);
      const { decodeDataFile, parseCsv, sha256Hex } = await loading;
      const sha256 = await sha256Hex(bytes);
      const decoded = decodeDataFile(bytes);
      const parsed = parseCsv(decoded.text, { onProgress: progressReporter(command.id, 'parsing') });
      post(
        {
          type: 'parsed',
          id: command.id,
          dataset: parsed.dataset,
          mask: parsed.mask,
          hasCopyrightColumn: parsed.hasCopyrightColumn,
          featureNames: parsed.featureNames,
          notices: [...decoded.notices, ...parsed.notices],
          sha256,
          fileName: command.file.name,
        },
        [...buffersOf(parsed.dataset), parsed.mask.buffer as ArrayBuffer],
      );
      return;
    }
  }
}

self.onmessage = (message: MessageEvent<DataCommand>) => {
  const command = message.data;
  handle(command).catch((e: unknown) => {
    const where = command.type === 'parse' ? `${clipEcho(command.file.name)}: ` : '';
    post({ type: 'failed', id: command.id, message: where + formatDataError(e) });
  });
};
