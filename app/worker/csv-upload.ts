/**
 * What the data worker needs for an uploaded CSV only, loaded with the first upload (generating
 * data, what a default visit does, needs none of it): the file's SHA-256, decoding (UTF-8 or
 * UTF-16) and the CSV parser, with papaparse.
 */
export { parseCsv } from '../../src/data/csv';
export { decodeDataFile } from '../../src/data/text';
export { sha256Hex } from './sha256';
