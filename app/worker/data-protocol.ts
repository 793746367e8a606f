/** Messages of the data worker (generation and CSV parsing off the main thread). */
import type { GeneratorSpec } from '../../src/data/generators';
import type { Dataset } from '../../src/math/types';

export type DataCommand =
  { type: 'generate'; id: number; spec: GeneratorSpec } | { type: 'parse'; id: number; file: File };

export type DataEvent =
  | {
      type: 'generated';
      id: number;
      dataset: Dataset;
      featureNames: string[];
      clusters: Int32Array | null;
    }
  /** Bytes read so far out of the file size (the parse itself follows the read). */
  | { type: 'progress'; id: number; loaded: number; total: number; phase: 'reading' | 'parsing' }
  | {
      type: 'parsed';
      id: number;
      dataset: Dataset;
      mask: Uint8Array;
      hasCopyrightColumn: boolean;
      featureNames: string[];
      notices: string[];
      sha256: string;
      fileName: string;
    }
  /** A friendly one-line message, with line and column for CSV errors. */
  | { type: 'failed'; id: number; message: string };
