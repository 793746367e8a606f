/**
 * Builds the Dataset and ObjectiveConfig a CLI verb works on, from a JSON problem, a CSV file or a
 * generator, with every bad value reported as a {@link UsageError} (exit code 2, one line).
 */
import { readFileSync, statSync } from 'node:fs';
import { clipEcho } from '../data/echo';
import { DataError, formatDataError } from '../data/errors';
import { generate, validateGeneratorSpec } from '../data/generators';
import { parseCsv } from '../data/csv';
import { fileSizeProblem } from '../data/limits';
import { parseDecimal } from '../data/number';
import { parseProblemJson } from '../data/problem-json';
import { decodeDataFile, type DecodedText } from '../data/text';
import { applyTagRule } from '../data/tagging';
import type { Dataset, ObjectiveConfig, Reading } from '../math/types';
import { METHOD_NAMES, METHODS, type MethodName } from '../math/methods';
import { SETTINGS_TABLE } from '../../app/store/settings-table';

/** A problem with the user's input: exit code 2 and one line on stderr. */
export class UsageError extends Error {}

/** The loaded problem and any notices (e.g. b normalised) for stderr. */
export interface LoadedProblem {
  dataset: Dataset;
  config: ObjectiveConfig;
  notices: string[];
  source: string;
}

export type Flags = Record<string, string | boolean | undefined>;

/**
 * Reads a file's bytes, or throws a UsageError naming it. The size is checked first (fs.statSync),
 * so a file over the data limit fails at once instead of after reading gigabytes.
 */
export function readBytes(path: string): Uint8Array {
  const cannot = (e: unknown): UsageError => {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    return new UsageError(`cannot read ${path}: ${why}`);
  };
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    throw cannot(e);
  }
  if (stat.isDirectory()) throw new UsageError(`cannot read ${path}: is a directory`);
  const tooBig = fileSizeProblem(stat.size);
  if (tooBig) throw new UsageError(`${path}: ${tooBig}`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw cannot(e);
  }
}

/**
 * Reads a data file (size-checked, see {@link readBytes}) and decodes it as the page's data worker
 * does (decodeDataFile: UTF-8, or UTF-16 with a notice saying so).
 */
export function readDataFile(path: string): DecodedText {
  return decodeDataFile(readBytes(path));
}

/** A text file's contents, read and decoded as {@link readDataFile} does. */
export function readText(path: string): string {
  return readDataFile(path).text;
}

/** A string flag's value, or undefined; a bare `--flag` with no value is an error. */
export function str(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} needs a value`);
  return v;
}

/** A number in the project's one grammar (parseDecimal), or a UsageError naming the flag. */
function decimal(name: string, raw: string): number {
  const r = parseDecimal(raw);
  if (r.ok) return r.value;
  const why = r.why === 'empty' ? 'is empty' : `is ${r.why}`;
  throw new UsageError(`--${name}: "${clipEcho(raw)}" ${why}`);
}

/** Limits of a numeric flag. */
export interface NumLimits {
  min?: number;
  max?: number;
  integer?: boolean;
  /** The minimum itself is not allowed (e.g. a tolerance > 0). */
  exclusiveMin?: boolean;
}

/** Checks v against the limits; the message names the flag and the limit. */
function checkLimits(name: string, raw: string, v: number, opts: NumLimits): number {
  const shown = clipEcho(raw.trim());
  if (opts.integer && !Number.isInteger(v)) throw new UsageError(`--${name}: ${shown} is not an integer`);
  if (opts.min !== undefined) {
    if (opts.exclusiveMin && v <= opts.min)
      throw new UsageError(`--${name}: ${shown} must be above ${opts.min}`);
    if (v < opts.min) throw new UsageError(`--${name}: ${shown} is below the minimum ${opts.min}`);
  }
  if (opts.max !== undefined && v > opts.max)
    throw new UsageError(`--${name}: ${shown} is above the maximum ${opts.max}`);
  return v;
}

/** A numeric flag (parseDecimal: no hex, no Infinity), checked against the limits. */
/**
 * A number flag that sets a playground setting, checked against that setting's range in the one
 * settings table (app/store/settings-table.ts), so the CLI and a link accept the same values.
 */
export function settingFlag(flags: Flags, flag: string): number | undefined {
  const spec = SETTINGS_TABLE.find((p) => p.cli === flag && p.type === 'number');
  if (!spec?.range) throw new Error(`no number setting has the CLI flag --${flag}`);
  const { min, max, integer } = spec.range;
  return num(flags, flag, { min, max, integer });
}

export function num(flags: Flags, name: string, opts: NumLimits = {}): number | undefined {
  const s = str(flags, name);
  if (s === undefined) return undefined;
  return checkLimits(name, s, decimal(name, s), opts);
}

/** A comma-separated list of numbers, each checked against the limits. */
export function numList(flags: Flags, name: string, opts: NumLimits = {}): number[] | undefined {
  const s = str(flags, name);
  if (s === undefined) return undefined;
  return s.split(',').map((part) => checkLimits(name, part, decimal(name, part), opts));
}

/** One method name, as --method takes it. */
function methodName(flag: string, raw: string): MethodName {
  const m = METHOD_NAMES.find((name) => name === raw.trim());
  if (m === undefined)
    throw new UsageError(
      `--${flag}: unknown method "${clipEcho(raw.trim())}" (use ${METHOD_NAMES.join(', ')})`,
    );
  return m;
}

/** --method NAME for eval and solve (default the paper's). */
export function methodFlag(flags: Flags): MethodName {
  const raw = str(flags, 'method');
  return raw === undefined ? 'paper' : methodName('method', raw);
}

/** --method a,b,c for sweep (default the paper's only), in the table's order. */
export function methodListFlag(flags: Flags): MethodName[] {
  const raw = str(flags, 'method');
  if (raw === undefined) return ['paper'];
  const asked = new Set(raw.split(',').map((part) => methodName('method', part)));
  return METHOD_NAMES.filter((m) => asked.has(m));
}

/**
 * The strength of the method: --strength S, or --gamma G (the paper's name for it); one of the
 * two. Checked against the method's own range (src/math/methods.ts), as a link is.
 */
export function strengthFlag(flags: Flags, method: MethodName): number | undefined {
  if (flags.strength !== undefined && flags.gamma !== undefined)
    throw new UsageError('give --strength or --gamma, not both (they are the same number)');
  const flag = flags.strength !== undefined ? 'strength' : 'gamma';
  const { min, max } = METHODS[method].strength;
  return num(flags, flag, { min, max });
}

/** The --reading flag. */
export function readingFlag(flags: Flags): Reading | undefined {
  const r = str(flags, 'reading');
  if (r === undefined) return undefined;
  if (r !== 'global' && r !== 'separate')
    throw new UsageError(`--reading must be global or separate, got "${r}"`);
  return r;
}

/** Reads and parses a data file; parse errors become one-line UsageErrors naming the file. */
function parseFile<T extends { notices: string[] }>(
  file: string,
  parse: (text: string) => T,
  notices: string[],
): T {
  const decoded = readDataFile(file);
  let parsed: T;
  try {
    parsed = parse(decoded.text);
  } catch (e) {
    if (e instanceof DataError) throw new UsageError(`${file}: ${formatDataError(e)}`);
    throw e;
  }
  notices.push(...[...decoded.notices, ...parsed.notices].map((m) => `${file}: ${m}`));
  return parsed;
}

/** The generator's field names that are spelled differently as flags. */
const GENERATOR_FLAG_NAMES: Readonly<Record<string, string>> = { xScale: 'x-scale' };

/**
 * A generator notice ("n: -5 is below the minimum 2; using 2") as the CLI's error, naming the flag
 * ("--n: -5 is below the minimum 2"): the limits stay the generator's own, defined once there.
 */
function generatorFlagMessage(notice: string): string {
  const m = /^(\w+): (.*?)(?:; using .*)?$/.exec(notice);
  if (!m) return `--generate: ${notice}`;
  return `--${GENERATOR_FLAG_NAMES[m[1]] ?? m[1]}: ${m[2]}`;
}

/**
 * Loads the problem from exactly one of --problem, --data or --generate. --gamma and --reading
 * override the file's values; for CSV without a copyright column, or for generated data, --fraction
 * tags a random n1/n of the rows with --tag-seed (default: --seed, else 1).
 */
export function loadProblem(flags: Flags, opts: { requireTags: boolean }): LoadedProblem {
  const sources = ['problem', 'data', 'generate'].filter((k) => flags[k] !== undefined);
  if (sources.length !== 1) {
    throw new UsageError('give exactly one of --problem P.json, --data D.csv or --generate NAME');
  }
  const method = methodFlag(flags);
  const gamma = strengthFlag(flags, method);
  const tauTarget = settingFlag(flags, 'tau-target');
  const reading = readingFlag(flags);
  if (method !== 'paper' && reading === 'separate')
    throw new UsageError(
      `--method ${method} is defined under the global reading only; drop --reading separate`,
    );
  if (tauTarget !== undefined && method !== 'tau-target')
    throw new UsageError('--tau-target is for --method tau-target');
  const fraction = settingFlag(flags, 'fraction');
  const seed = settingFlag(flags, 'seed');
  const tagSeed = settingFlag(flags, 'tag-seed') ?? seed ?? 1;
  const notices: string[] = [];
  let dataset: Dataset;
  let config: ObjectiveConfig;
  let source: string;

  if (sources[0] === 'problem') {
    const file = str(flags, 'problem')!;
    const parsed = parseFile(file, parseProblemJson, notices);
    dataset = parsed.dataset;
    config = { ...parsed.config };
    source = file;
    if (fraction !== undefined)
      config.mask = applyTagRule({ kind: 'random', fraction, seed: tagSeed }, dataset.n);
  } else if (sources[0] === 'data') {
    const file = str(flags, 'data')!;
    const parsed = parseFile(file, parseCsv, notices);
    dataset = parsed.dataset;
    let mask = parsed.mask;
    if (fraction !== undefined) mask = applyTagRule({ kind: 'random', fraction, seed: tagSeed }, dataset.n);
    else if (!parsed.hasCopyrightColumn && opts.requireTags) {
      throw new UsageError(
        `${file}: no "copyright" column; add one or pass --fraction F to tag rows at random`,
      );
    }
    config = { gammaC: 0, mask, reading: 'global' };
    source = file;
  } else {
    const name = str(flags, 'generate')!;
    if (name !== 'gaussian' && name !== 'clusters') {
      throw new UsageError(`--generate: unknown generator "${name}" (use gaussian or clusters)`);
    }
    const input = {
      kind: name,
      n: num(flags, 'n'),
      d: num(flags, 'd'),
      noise: num(flags, 'noise'),
      reg: num(flags, 'reg'),
      xScale: num(flags, 'x-scale'),
      clusters: num(flags, 'clusters'),
      spread: num(flags, 'spread'),
      seed,
    };
    const { spec, notices: specNotices } = validateGeneratorSpec(input);
    if (specNotices.length) throw new UsageError(generatorFlagMessage(specNotices[0]));
    const generated = generate(spec);
    dataset = generated.dataset;
    const mask =
      fraction !== undefined
        ? applyTagRule({ kind: 'random', fraction, seed: tagSeed }, dataset.n)
        : new Uint8Array(dataset.n);
    if (fraction === undefined && opts.requireTags) {
      throw new UsageError('--generate needs --fraction F (the share n1/n of rows tagged copyrighted)');
    }
    config = { gammaC: 0, mask, reading: 'global' };
    source = `generate ${name} n=${spec.n} d=${spec.d} seed=${spec.seed}`;
  }
  if (gamma !== undefined) config.gammaC = gamma;
  if (reading !== undefined) config.reading = reading;
  if (method !== 'paper') {
    if (config.reading !== 'global')
      throw new UsageError(
        `--method ${method} is defined under the global reading only; the problem file asks for "${config.reading}"`,
      );
    config.method = method;
    if (method === 'tau-target' && tauTarget !== undefined) config.tauTarget = tauTarget;
  }
  return { dataset, config, notices, source };
}

/** Reads X.json ({"x": [...]}) and checks its length against d. */
export function loadX(path: string, d: number): Float64Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(path));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const x = (parsed as { x?: unknown })?.x;
  if (!Array.isArray(x)) throw new UsageError(`${path}: expected an object {"x": [numbers]}`);
  if (x.length !== d) throw new UsageError(`${path}: x has ${x.length} entries but the problem has d = ${d}`);
  x.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new UsageError(`${path}: x[${i}] is not a finite number`);
  });
  return Float64Array.from(x as number[]);
}
