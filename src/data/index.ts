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
export { parseCsv, writeCsv, formatNumber, B_SUM_TOLERANCE, PROGRESS_STEPS } from './csv';
export type { ParsedCsv, ParseCsvOptions } from './csv';
export {
  DATA_LIMITS,
  dataShapeProblem,
  featureCountProblem,
  rowCountProblem,
  tooFewRowsProblem,
  fileSizeProblem,
  formatBytes,
} from './limits';
export { parseDecimal, DECIMAL_RE } from './number';
export type { ParsedDecimal } from './number';
export { clipEcho, listSome, listSomeQuoted, ECHO_CHARS_MAX, ECHO_ITEMS_MAX } from './echo';
export { decodeDataFile, utf16Problem, UTF16_AS_UTF8_MESSAGE } from './text';
export type { DecodedText } from './text';
export { parseProblemJson, writeProblemJson } from './problem-json';
export type { ParsedProblemJson } from './problem-json';
export { sha256Hex, datasetHash } from './hash';
export { neumaierSum } from './sum';
