/**
 * Messages of the data worker (generation, and reading + hashing + decoding + parsing uploads off
 * the main thread). Typed arrays in answers are transferred, not copied: the main thread does no
 * O(n·d) work on a data set it receives.
 */
import type { GeneratorSpec } from '../../src/data/generators';
import type { Dataset } from '../../src/math/types';

export type DataCommand =
  { type: 'generate'; id: number; spec: GeneratorSpec } | { type: 'parse'; id: number; file: File };

/** The steps of a parse, in order, each reported with how far it has got. */
export type ParsePhase = 'reading' | 'parsing';

export type DataEvent =
  | {
      type: 'generated';
      id: number;
      dataset: Dataset;
      featureNames: string[];
      clusters: Int32Array | null;
    }
  /** How far `phase` has got, 0 to 1 (reading: bytes read of the file size; parsing: text parsed). */
  | { type: 'progress'; id: number; phase: ParsePhase; fraction: number }
  | {
      type: 'parsed';
      id: number;
      /** A, b, w with their own buffers, transferred. */
      dataset: Dataset;
      /** Transferred too. */
      mask: Uint8Array;
      hasCopyrightColumn: boolean;
      featureNames: string[];
      notices: string[];
      sha256: string;
      fileName: string;
    }
  /** A friendly one-line message, with line and column for CSV errors. */
  | { type: 'failed'; id: number; message: string };
