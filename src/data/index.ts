/**
 * The data layer: synthetic generators, CSV and JSON import/export, copyright tagging, hashing.
 * Pure TypeScript (float64), no React, DOM or WebGPU: it runs in the app, a Worker and the CLI.
 */
export { DataError, formatDataError } from './errors';
export type { DataErrorLocation } from './errors';
export { createRng, deterministicLog } from './prng';
export type { Rng, MutableArrayLike } from './prng';
export {
  generate,
  validateGeneratorSpec,
  DEFAULT_GENERATOR,
  DEFAULT_CLUSTERS_GENERATOR,
  MAX_GENERATED_CELLS,
} from './generators';
export type {
  GeneratorSpec,
  GaussianGeneratorSpec,
  ClustersGeneratorSpec,
  GeneratorSpecInput,
  GeneratedData,
  ValidatedGeneratorSpec,
} from './generators';
export { applyTagRule, countTagged, encodeMaskBitset, decodeMaskBitset } from './tagging';
export type { TagRule } from './tagging';
export { parseCsv, writeCsv, formatNumber, B_SUM_TOLERANCE } from './csv';
export type { ParsedCsv } from './csv';
export { parseProblemJson, writeProblemJson } from './problem-json';
export type { ParsedProblemJson } from './problem-json';
export { sha256Hex, datasetHash } from './hash';
export { neumaierSum } from './sum';
