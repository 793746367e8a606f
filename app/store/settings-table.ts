/**
 * Every setting of the playground declared once: its link key, label, type, range or choices,
 * when it applies, which results it invalidates, and its CLI flag. Everything else derives from
 * this table (in the spirit of tensorflow/playground's state.ts): the URL codec (url-codec.ts),
 * the panels' limits (they import {@link RANGES}), the run and sweep reset keys
 * ({@link scopeKey}), the run-manifest check (app/export/settings-check.ts, through the codec)
 * and the CLI's `--link` (src/cli). A round-trip test covers every entry (settings-table.test.ts).
 *
 * Reading never throws: a malformed value keeps the current one, an out-of-range one is clamped,
 * and each change is reported as a notice, with the input quoted at most {@link clipEcho} long.
 */
import { clipEcho } from '../../src/data/echo';
import { DATA_LIMITS } from '../../src/data/limits';
import { parseDecimal } from '../../src/data/number';
import { SOLVER_NAMES } from '../../src/solve/solver-options';
import type { Reading } from '../../src/math/types';
import { METHOD_NAMES, METHODS, type MethodName } from '../../src/math/methods';
import { mergeSelections } from '../../src/lm/selections';
import { LM_TEXT_LIMITS } from '../../src/lm/text-limits';
import {
  DEFAULT_RANDOM_TAGS,
  DEFAULT_SETTINGS,
  LIMITS,
  type BackendChoice,
  type GeneratorKind,
  type OtherMethod,
  type PageView,
  type RowsView,
  type Settings,
  type LmNumberKey,
} from './settings';

/**
 * What a setting's change makes stale:
 * - `data`: the data set itself (regenerated, or another file asked for);
 * - `tags`: the copyright mask;
 * - `run`: the single run's iterates, curves, claims and exports;
 * - `sweep`: the sweep's cells;
 * - `lm`: the language-model view's training run (app/lm);
 * - `lmSweep`: the language-model view's sweep (app/lm/LmSweepPanel.tsx): its grid, and the
 *   language-model settings its cells train with (not γ and steps, which the grid replaces).
 * Settings with no scope (views, playback speed, page modes) change how results are shown only.
 */
export type Scope = 'data' | 'tags' | 'run' | 'sweep' | 'lm' | 'lmSweep';

/** A closed range for a number setting; `integer` rounds. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
}

/**
 * The range of every number setting, used by the codec to clamp and by the panels' fields. The
 * copyrighted fraction stays inside (0, 1) so that at least one row is on each side, as the run and
 * the sweep need (applyTagRule then tags 1 ≤ n1 ≤ n − 1 rows for any n ≥ 2).
 */
export const RANGES = {
  n: { min: DATA_LIMITS.nMin, max: LIMITS.nMax, integer: true },
  d: { min: 1, max: LIMITS.dMax, integer: true },
  noise: { min: 0, max: 10 },
  seed: { min: 0, max: LIMITS.seedMax, integer: true },
  xScale: { min: 0, max: 10 },
  clusters: { min: 1, max: 16, integer: true },
  spread: { min: 0, max: 10 },
  fraction: { min: 0.001, max: 0.999 },
  tagSeed: { min: 0, max: LIMITS.seedMax, integer: true },
  firstK: { min: 0, max: DATA_LIMITS.nMax, integer: true },
  /** γc, or another method's strength s: the widest method range (each method clamps to its own). */
  gammaC: { min: 0, max: Math.max(...METHOD_NAMES.map((m) => METHODS[m].strength.max)) },
  /** τ-target's t: τ = ℓ1/n1 − ℓ2/n2 lies in [−2, 2] (a row's squared error is at most 2). */
  tauTarget: { min: 1e-6, max: 2 },
  reg: { min: 0, max: LIMITS.regMax },
  tol: { min: 1e-15, max: 1 },
  maxIter: { min: 1, max: LIMITS.maxIterMax, integer: true },
  gdStep: { min: 0, max: 1e6 },
  sketchRows: { min: 0, max: DATA_LIMITS.nMax, integer: true },
  x0Seed: { min: 0, max: LIMITS.seedMax, integer: true },
  speed: { min: 0, max: LIMITS.speedMax },
  sweepSeeds: { min: 1, max: LIMITS.sweepSeedsMax, integer: true },
  // The language-model view (app/lm): a model small enough to train in a browser tab on the CPU.
  lmSeed: { min: 0, max: LIMITS.seedMax, integer: true },
  lmGamma: { min: 0, max: 10 },
  lmSteps: { min: 1, max: 20_000, integer: true },
  lmWidth: { min: 8, max: 128, integer: true },
  lmHeads: { min: 1, max: 4, integer: true },
  lmLayers: { min: 1, max: 2, integer: true },
  lmContext: { min: 8, max: 128, integer: true },
  lmBatch: { min: 1, max: 64, integer: true },
  lmLr: { min: 1e-5, max: 0.1 },
  lmFraction: { min: 0, max: 0.5 },
  lmCanaries: { min: 0, max: 5, integer: true },
  lmRepeats: { min: 1, max: 100, integer: true },
  lmWeightDecay: { min: 0, max: 1 },
} as const satisfies Record<string, NumberRange>;

/** Most characters of a manual-tag bitset: the encoding of {@link DATA_LIMITS}.nMax rows. */
const BITS_MAX_CHARS = Math.ceil((Math.ceil(DATA_LIMITS.nMax / 8) * 8) / 6);

/** One setting. */
export interface SettingSpec {
  /** Short key in the link. */
  key: string;
  /** Label used in notices and messages. */
  label: string;
  /** What kind of value it is (for the fuzz test and the docs). */
  type: 'number' | 'choice' | 'flag' | 'list' | 'text';
  /** Range of a number (or of each entry of a list). */
  range?: NumberRange;
  /** Allowed values of a choice. */
  choices?: readonly string[];
  /** Whether it is read and written for these settings (e.g. the cluster count only for clusters). */
  applies(s: Settings): boolean;
  /** Extra condition for writing it in a link (e.g. the backend only when forced); default always. */
  writeIf?(s: Settings): boolean;
  /** The value as the link writes it. */
  write(s: Settings): string;
  /** Applies the raw text to s; returns a notice when the value had to be changed. */
  read(s: Settings, raw: string): string | undefined;
  /** Which results a change of it makes stale. */
  invalidates: readonly Scope[];
  /** The CLI flag (without `--`) that sets the same thing, when the CLI has one. */
  cli?: string;
}

/** The scopes of a setting that describes the data: everything computed from the data. */
const DATA: readonly Scope[] = ['data', 'tags', 'run', 'sweep'];
/** A setting of the objective or the solver: both kinds of results. */
const SOLVE: readonly Scope[] = ['run', 'sweep'];
/** Only the single run (the sweep has its own grid and tags). */
const RUN: readonly Scope[] = ['run'];
/** The tags, and so the single run (the sweep tags its own cells). */
const TAGS: readonly Scope[] = ['tags', 'run'];
/** How results are shown, not what they are. */
const NONE: readonly Scope[] = [];

/** Numbers are written as JavaScript prints them: shortest round-trip form, no trailing noise. */
function formatNumber(x: number): string {
  return String(x);
}

/** Quotes raw input in a notice, cut to a bounded length. */
function quote(raw: string): string {
  return `"${clipEcho(raw)}"`;
}

interface Base {
  key: string;
  label: string;
  invalidates: readonly Scope[];
  cli?: string;
  applies?(s: Settings): boolean;
  writeIf?(s: Settings): boolean;
}

export function numberSetting(
  base: Base & { range: NumberRange; get(s: Settings): number; put(s: Settings, v: number): void },
): SettingSpec {
  const { range, get, put } = base;
  return {
    key: base.key,
    label: base.label,
    type: 'number',
    range,
    applies: base.applies ?? (() => true),
    writeIf: base.writeIf,
    invalidates: base.invalidates,
    cli: base.cli,
    write: (s) => formatNumber(get(s)),
    read(s, raw) {
      const parsed = parseDecimal(raw);
      if (!parsed.ok) {
        const why = parsed.why === 'too large' ? 'too large' : `not a number`;
        return `${base.label}: ${quote(raw)} is ${why}; kept ${formatNumber(get(s))}.`;
      }
      const v = parsed.value;
      let clamped = Math.min(range.max, Math.max(range.min, v));
      if (range.integer) clamped = Math.round(clamped);
      put(s, clamped);
      if (clamped === v) return undefined;
      const why =
        v < range.min
          ? `below the minimum ${range.min}`
          : v > range.max
            ? `above the maximum ${range.max}`
            : 'not a whole number';
      return `${base.label}: ${clipEcho(raw.trim())} is ${why}; set to ${formatNumber(clamped)}.`;
    },
  };
}

function choiceSetting<T extends string>(
  base: Base & { choices: readonly T[]; get(s: Settings): T; put(s: Settings, v: T): void },
): SettingSpec {
  const { choices, get, put } = base;
  return {
    key: base.key,
    label: base.label,
    type: 'choice',
    choices,
    applies: base.applies ?? (() => true),
    writeIf: base.writeIf,
    invalidates: base.invalidates,
    cli: base.cli,
    write: get,
    read(s, raw) {
      const found = choices.find((v) => v === raw);
      if (found === undefined) {
        return `${base.label}: ${quote(raw)} is not one of ${choices.join(', ')}; kept ${get(s)}.`;
      }
      put(s, found);
      return undefined;
    },
  };
}

/** A 0/1 flag. */
function flagSetting(
  base: Base & { get(s: Settings): boolean; put(s: Settings, v: boolean): void },
): SettingSpec {
  const { get, put } = base;
  return {
    key: base.key,
    label: base.label,
    type: 'flag',
    applies: base.applies ?? (() => true),
    writeIf: base.writeIf,
    invalidates: base.invalidates,
    cli: base.cli,
    write: (s) => (get(s) ? '1' : '0'),
    read(s, raw) {
      if (raw !== '0' && raw !== '1')
        return `${base.label}: ${quote(raw)} is not 0 or 1; left ${get(s) ? 'on' : 'off'}.`;
      put(s, raw === '1');
      return undefined;
    },
  };
}

/**
 * A sorted, de-duplicated list of numbers written as `0.1_0.2_0.3` ('_' needs no escaping in a
 * URL; ',' is read too). Entries that are not numbers are dropped and out-of-range ones clamped,
 * with a notice; a list left empty keeps its current value.
 */
function listSetting(
  base: Base & {
    range: NumberRange;
    maxCount: number;
    get(s: Settings): number[];
    put(s: Settings, v: number[]): void;
  },
): SettingSpec {
  const { range, maxCount, get, put } = base;
  return {
    key: base.key,
    label: base.label,
    type: 'list',
    range,
    applies: base.applies ?? (() => true),
    writeIf: base.writeIf,
    invalidates: base.invalidates,
    cli: base.cli,
    write: (s) => get(s).map(formatNumber).join('_'),
    read(s, raw) {
      const problems: string[] = [];
      const values: number[] = [];
      const parts = raw.split(/[_,]/);
      for (const part of parts.slice(0, 4 * maxCount)) {
        const parsed = parseDecimal(part);
        if (!parsed.ok) {
          if (problems.length < maxCount) problems.push(`${quote(part)} is not a number`);
          continue;
        }
        const v = parsed.value;
        const clamped = Math.min(range.max, Math.max(range.min, v));
        if (clamped !== v && problems.length < maxCount)
          problems.push(
            `${clipEcho(part.trim())} is outside [${range.min}, ${range.max}], set to ${clamped}`,
          );
        values.push(clamped);
      }
      let list = [...new Set(values)].sort((a, b) => a - b);
      if (list.length > maxCount || parts.length > 4 * maxCount) {
        problems.push(`more than ${maxCount} values, kept the first ${Math.min(maxCount, list.length)}`);
        list = list.slice(0, maxCount);
      }
      if (list.length === 0) {
        return `${base.label}: ${quote(raw)} has no usable values; kept ${get(s).join(', ')}.`;
      }
      put(s, list);
      return problems.length ? `${base.label}: ${problems.join('; ')}.` : undefined;
    },
  };
}

/** The sweep grid goes in the link in the sweep view, or when it is not the default grid. */
const writeSweep = (s: Settings): boolean =>
  s.page === 'sweep' ||
  s.sweep.seeds !== DEFAULT_SETTINGS.sweep.seeds ||
  s.sweep.gammas.join() !== DEFAULT_SETTINGS.sweep.gammas.join() ||
  s.sweep.fractions.join() !== DEFAULT_SETTINGS.sweep.fractions.join() ||
  s.sweep.methods.join() !== DEFAULT_SETTINGS.sweep.methods.join();

/** The methods other than the paper's, in the table's order. */
const OTHER_METHODS = METHOD_NAMES.filter((m): m is OtherMethod => m !== 'paper');

/** The link key of each other method's sweep strengths. */
const SWEEP_STRENGTH_KEYS: Record<OtherMethod, string> = {
  reweight: 'sr',
  ascent: 'sa',
  logbarrier: 'sl',
  'tau-target': 'st',
};

/** A method's strength range (src/math/methods.ts). */
export function strengthRange(m: MethodName): NumberRange {
  return { min: METHODS[m].strength.min, max: METHODS[m].strength.max };
}

/** The strength's name for people: γc for the paper's method, s for the others (the link's `g`). */
export function strengthLabel(m: MethodName): string {
  return m === 'paper' ? 'γc' : `γc (the strength s of ${METHODS[m].label})`;
}

/**
 * The method of the single run. Read after the reading: a method defined under the global
 * reading only moves a 'separate' reading to 'global', saying so.
 */
function methodSetting(): SettingSpec {
  const choice = choiceSetting<MethodName>({
    key: 'm',
    label: 'method',
    choices: METHOD_NAMES,
    invalidates: RUN,
    cli: 'method',
    writeIf: (s) => s.method !== 'paper',
    get: (s) => s.method,
    put: (s, v) => (s.method = v),
  });
  return {
    ...choice,
    read(s, raw) {
      const notice = choice.read(s, raw);
      if (notice !== undefined || METHODS[s.method].bothReadings || s.reading === 'global') return notice;
      s.reading = 'global';
      return `reading: ${METHODS[s.method].label} is defined under the global reading only; set to global.`;
    },
  };
}

/**
 * γc, or the strength s of the run's method: read after the method, clamped to that method's
 * range (reweight's s is at most 1, the paper's γc at most 100).
 */
function strengthSetting(): SettingSpec {
  const number = numberSetting({
    key: 'g',
    label: 'γc',
    range: RANGES.gammaC,
    invalidates: RUN,
    cli: 'gamma',
    get: (s) => s.gammaC,
    put: (s, v) => (s.gammaC = v),
  });
  return {
    ...number,
    read(s, raw) {
      const notice = number.read(s, raw);
      const { min, max } = strengthRange(s.method);
      const v = s.gammaC;
      const clamped = Math.min(max, Math.max(min, v));
      if (clamped === v) return notice;
      s.gammaC = clamped;
      return `${strengthLabel(s.method)}: ${clipEcho(raw.trim())} is above the maximum ${max}; set to ${clamped}.`;
    },
  };
}

/**
 * The sweep's methods, written `paper_reweight_logbarrier` in the table's order. Unknown names
 * are dropped with a notice; methods that need the global reading are dropped under 'separate'
 * (read after the reading); an empty result keeps the current list.
 */
function sweepMethodsSetting(): SettingSpec {
  const label = 'sweep methods';
  return {
    key: 'sm',
    label,
    type: 'text',
    choices: METHOD_NAMES,
    applies: () => true,
    writeIf: (s) => writeSweep(s) && s.sweep.methods.join() !== DEFAULT_SETTINGS.sweep.methods.join(),
    invalidates: ['sweep'],
    cli: 'method',
    write: (s) => s.sweep.methods.join('_'),
    read(s, raw) {
      const parts = raw.split(/[_,]/).filter((p) => p !== '');
      const problems: string[] = [];
      const known = new Set<MethodName>();
      for (const part of parts.slice(0, 2 * METHOD_NAMES.length)) {
        const m = METHOD_NAMES.find((name) => name === part);
        if (m === undefined) {
          if (problems.length < METHOD_NAMES.length) problems.push(`${quote(part)} is not a method`);
        } else if (s.reading !== 'global' && !METHODS[m].bothReadings) {
          problems.push(`${m} needs the global reading`);
        } else known.add(m);
      }
      const list = METHOD_NAMES.filter((m) => known.has(m));
      if (list.length === 0)
        return `${label}: ${quote(raw)} has no usable method (use ${METHOD_NAMES.join(', ')}); kept ${s.sweep.methods.join(', ')}.`;
      s.sweep.methods = list;
      return problems.length ? `${label}: ${problems.join('; ')}; dropped.` : undefined;
    },
  };
}

/**
 * Selections of the uploaded text from a link: "start-end" character offsets separated by dots
 * (offsets past the end of the text are clipped when it is trained on). Malformed or empty spans
 * are dropped, overlapping ones merged, and at most LM_TEXT_LIMITS.selectionsMax kept.
 */
export function parseSelections(raw: string): { selections: [number, number][]; problem?: string } {
  const parts = raw.split('.').filter((p) => p !== '');
  const spans: [number, number][] = [];
  let bad = 0;
  for (const part of parts) {
    const m = /^(\d{1,7})-(\d{1,7})$/.exec(part);
    if (m && Number(m[1]) < Number(m[2])) spans.push([Number(m[1]), Number(m[2])]);
    else bad++;
  }
  const merged = mergeSelections(spans, Infinity);
  const kept = merged.slice(0, LM_TEXT_LIMITS.selectionsMax);
  const problems: string[] = [];
  if (bad > 0)
    problems.push(
      `${bad} of ${parts.length} spans in ${quote(raw)} are not "start-end" with start < end; dropped`,
    );
  if (merged.length > kept.length)
    problems.push(
      `${merged.length} spans, more than the ${LM_TEXT_LIMITS.selectionsMax} allowed; kept the first ${kept.length}`,
    );
  return problems.length ? { selections: kept, problem: `${problems.join('; ')}.` } : { selections: kept };
}

/** The language-model settings: link key, label, field, range (the heads must divide the width: the view clamps). */
const LM_SETTINGS: readonly [string, string, LmNumberKey, NumberRange][] = [
  ['lseed', 'seed', 'seed', RANGES.lmSeed],
  ['lg', 'γ', 'gamma', RANGES.lmGamma],
  ['lsteps', 'steps', 'steps', RANGES.lmSteps],
  ['lw', 'width', 'width', RANGES.lmWidth],
  ['lh', 'heads', 'heads', RANGES.lmHeads],
  ['ll', 'layers', 'layers', RANGES.lmLayers],
  ['lc', 'context', 'context', RANGES.lmContext],
  ['lb', 'batch', 'batch', RANGES.lmBatch],
  ['llr', 'learning rate', 'lr', RANGES.lmLr],
  ['lfrac', 'copyrighted fraction', 'fraction', RANGES.lmFraction],
  ['lcan', 'canaries', 'canaries', RANGES.lmCanaries],
  ['lrep', 'canary repeats', 'repeats', RANGES.lmRepeats],
  ['lwd', 'weight decay', 'weightDecay', RANGES.lmWeightDecay],
];

/** The language-model settings the sweep's grid replaces in every cell (γ, steps): they do not stale it. */
const NOT_IN_LM_SWEEP: readonly (keyof Settings['lm'])[] = ['gamma', 'steps'];

/** The language-model sweep's grid goes in the link in the language-model view, or when not the default. */
const writeLmSweep = (s: Settings): boolean =>
  s.page === 'lm' ||
  s.lmSweep.seeds !== DEFAULT_SETTINGS.lmSweep.seeds ||
  s.lmSweep.steps !== DEFAULT_SETTINGS.lmSweep.steps ||
  s.lmSweep.gammas.join() !== DEFAULT_SETTINGS.lmSweep.gammas.join() ||
  s.lmSweep.fractions.join() !== DEFAULT_SETTINGS.lmSweep.fractions.join();

/** The language-model settings go in the link in its view, or when they are not the defaults. */
const writeLm = (s: Settings): boolean =>
  s.page === 'lm' ||
  (Object.keys(s.lm) as (keyof Settings['lm'])[]).some((k) => s.lm[k] !== DEFAULT_SETTINGS.lm[k]);

const isGenerated = (s: Settings): boolean => s.source === 'generate';
const isClusters = (s: Settings): boolean => s.source === 'generate' && s.gen.kind === 'clusters';
const isRandomTags = (s: Settings): boolean => s.tagRule.kind === 'random';

/** Cluster ids a link may tag: the clusters generator makes at most RANGES.clusters.max. */
const CLUSTER_ID_MAX = RANGES.clusters.max - 1;

/**
 * The table. Order matters for reading: `src` and `gen` come first because later settings'
 * `applies` depend on them, and `tag` before its rule's fields.
 */
export const SETTINGS_TABLE: readonly SettingSpec[] = [
  choiceSetting({
    key: 'src',
    label: 'data source',
    choices: ['generate', 'csv'] as const,
    invalidates: DATA,
    get: (s) => s.source,
    put: (s, v) => (s.source = v),
  }),
  choiceSetting<GeneratorKind>({
    key: 'gen',
    label: 'generator',
    choices: ['gaussian', 'clusters'],
    invalidates: DATA,
    cli: 'generate',
    applies: isGenerated,
    get: (s) => s.gen.kind,
    put: (s, v) => (s.gen.kind = v),
  }),
  numberSetting({
    key: 'n',
    label: 'rows n',
    range: RANGES.n,
    invalidates: DATA,
    cli: 'n',
    applies: isGenerated,
    get: (s) => s.gen.n,
    put: (s, v) => (s.gen.n = v),
  }),
  numberSetting({
    key: 'd',
    label: 'features d',
    range: RANGES.d,
    invalidates: DATA,
    cli: 'd',
    applies: isGenerated,
    get: (s) => s.gen.d,
    put: (s, v) => (s.gen.d = v),
  }),
  numberSetting({
    key: 'noise',
    label: 'noise',
    range: RANGES.noise,
    invalidates: DATA,
    cli: 'noise',
    applies: isGenerated,
    get: (s) => s.gen.noise,
    put: (s, v) => (s.gen.noise = v),
  }),
  numberSetting({
    key: 'seed',
    label: 'data seed',
    range: RANGES.seed,
    invalidates: DATA,
    cli: 'seed',
    applies: isGenerated,
    get: (s) => s.gen.seed,
    put: (s, v) => (s.gen.seed = v),
  }),
  numberSetting({
    key: 'xs',
    label: 'x_true scale',
    range: RANGES.xScale,
    invalidates: DATA,
    cli: 'x-scale',
    applies: isGenerated,
    get: (s) => s.gen.xScale,
    put: (s, v) => (s.gen.xScale = v),
  }),
  numberSetting({
    key: 'k',
    label: 'clusters',
    range: RANGES.clusters,
    invalidates: DATA,
    cli: 'clusters',
    applies: isClusters,
    get: (s) => s.gen.clusters,
    put: (s, v) => (s.gen.clusters = v),
  }),
  numberSetting({
    key: 'spread',
    label: 'cluster spread',
    range: RANGES.spread,
    invalidates: DATA,
    cli: 'spread',
    applies: isClusters,
    get: (s) => s.gen.spread,
    put: (s, v) => (s.gen.spread = v),
  }),
  {
    key: 'sha',
    label: 'CSV SHA-256',
    type: 'text',
    invalidates: DATA,
    applies: (s) => s.source === 'csv',
    write: (s) => s.csvHash,
    read(s, raw) {
      if (!/^[0-9a-f]{64}$/.test(raw))
        return `CSV SHA-256: ${quote(raw)} is not a 64-digit hex hash; ignored.`;
      s.csvHash = raw;
      return undefined;
    },
  },
  {
    key: 'tag',
    label: 'tag rule',
    type: 'choice',
    choices: ['random', 'first', 'cluster', 'manual'],
    invalidates: TAGS,
    applies: () => true,
    write: (s) => s.tagRule.kind,
    read(s, raw) {
      switch (raw) {
        case 'random':
          // Keeps the fraction of the defaults the link is read on (they differ between versions).
          if (s.tagRule.kind !== 'random') s.tagRule = { ...DEFAULT_RANDOM_TAGS };
          return undefined;
        case 'first':
          s.tagRule = { kind: 'first', k: 10 };
          return undefined;
        case 'cluster':
          s.tagRule = { kind: 'cluster', clusters: [0] };
          return undefined;
        case 'manual':
          s.tagRule = { kind: 'manual' };
          return undefined;
        default:
          return `tag rule: ${quote(raw)} is not one of random, first, cluster, manual; kept ${s.tagRule.kind}.`;
      }
    },
  },
  numberSetting({
    key: 'frac',
    label: 'copyrighted fraction n1/n',
    range: RANGES.fraction,
    invalidates: TAGS,
    cli: 'fraction',
    applies: isRandomTags,
    get: (s) => (s.tagRule.kind === 'random' ? s.tagRule.fraction : 0),
    put: (s, v) => {
      if (s.tagRule.kind === 'random') s.tagRule.fraction = v;
    },
  }),
  numberSetting({
    key: 'tseed',
    label: 'tag seed',
    range: RANGES.tagSeed,
    invalidates: TAGS,
    cli: 'tag-seed',
    applies: isRandomTags,
    get: (s) => (s.tagRule.kind === 'random' ? s.tagRule.seed : 0),
    put: (s, v) => {
      if (s.tagRule.kind === 'random') s.tagRule.seed = v;
    },
  }),
  numberSetting({
    key: 'first',
    label: 'first k rows',
    range: RANGES.firstK,
    invalidates: TAGS,
    applies: (s) => s.tagRule.kind === 'first',
    get: (s) => (s.tagRule.kind === 'first' ? s.tagRule.k : 0),
    put: (s, v) => {
      if (s.tagRule.kind === 'first') s.tagRule.k = v;
    },
  }),
  {
    key: 'cl',
    label: 'tagged clusters',
    type: 'text',
    invalidates: TAGS,
    applies: (s) => s.tagRule.kind === 'cluster',
    write: (s) => (s.tagRule.kind === 'cluster' ? s.tagRule.clusters.join('.') : ''),
    read(s, raw) {
      if (s.tagRule.kind !== 'cluster') return undefined;
      // Whole numbers separated by single dots: "1.5." or ".2" are malformed, not cluster 0.
      const ok = /^\d{1,2}(?:\.\d{1,2})*$/.test(raw);
      const ids = ok ? raw.split('.').map(Number) : [];
      if (!ok || ids.some((v) => v > CLUSTER_ID_MAX)) {
        return `tagged clusters: ${quote(raw)} is not a dot-separated list of cluster numbers 0–${CLUSTER_ID_MAX}; kept ${s.tagRule.clusters.join('.')}.`;
      }
      s.tagRule.clusters = [...new Set(ids)].sort((a, b) => a - b);
      return undefined;
    },
  },
  {
    key: 'bits',
    label: 'manual tags',
    type: 'text',
    invalidates: TAGS,
    applies: (s) => s.tagRule.kind === 'manual',
    write: (s) => s.manualBits,
    read(s, raw) {
      // A rejected bitset is not kept, so the rewritten link does not carry it on.
      if (raw.length > BITS_MAX_CHARS) {
        s.manualBits = '';
        return `manual tags: the bitset has ${raw.length.toLocaleString('en-US')} characters, more than the ${BITS_MAX_CHARS.toLocaleString('en-US')} of ${DATA_LIMITS.nMax.toLocaleString('en-US')} rows; no rows tagged.`;
      }
      if (!/^[A-Za-z0-9_-]*$/.test(raw)) {
        s.manualBits = '';
        return `manual tags: the bitset has characters outside base64url; no rows tagged.`;
      }
      s.manualBits = raw;
      return undefined;
    },
  },
  choiceSetting<Reading>({
    key: 'read',
    label: 'reading',
    choices: ['global', 'separate'],
    invalidates: SOLVE,
    cli: 'reading',
    get: (s) => s.reading,
    put: (s, v) => (s.reading = v),
  }),
  methodSetting(),
  // The sweep's methods before the τ target, whose `applies` reads them (and after the reading).
  sweepMethodsSetting(),
  strengthSetting(),
  numberSetting({
    key: 'tt',
    label: 'τ target t',
    range: RANGES.tauTarget,
    invalidates: SOLVE,
    cli: 'tau-target',
    applies: (s) => s.method === 'tau-target' || s.sweep.methods.includes('tau-target'),
    get: (s) => s.tauTarget,
    put: (s, v) => (s.tauTarget = v),
  }),
  numberSetting({
    key: 'reg',
    label: 'regularisation ρ',
    range: RANGES.reg,
    invalidates: SOLVE,
    cli: 'reg',
    get: (s) => s.reg,
    put: (s, v) => (s.reg = v),
  }),
  choiceSetting({
    key: 'solver',
    label: 'solver',
    choices: SOLVER_NAMES,
    invalidates: SOLVE,
    cli: 'solver',
    get: (s) => s.solver,
    put: (s, v) => (s.solver = v),
  }),
  numberSetting({
    key: 'tol',
    label: 'tolerance',
    range: RANGES.tol,
    invalidates: SOLVE,
    cli: 'tol',
    get: (s) => s.tol,
    put: (s, v) => (s.tol = v),
  }),
  numberSetting({
    key: 'it',
    label: 'max iterations',
    range: RANGES.maxIter,
    invalidates: SOLVE,
    cli: 'max-iter',
    get: (s) => s.maxIter,
    put: (s, v) => (s.maxIter = v),
  }),
  numberSetting({
    key: 'step',
    label: 'GD step',
    range: RANGES.gdStep,
    invalidates: SOLVE,
    cli: 'step',
    applies: (s) => s.solver === 'gd',
    get: (s) => s.gdStep,
    put: (s, v) => (s.gdStep = v),
  }),
  numberSetting({
    key: 'rows',
    label: 'sketch rows',
    range: RANGES.sketchRows,
    invalidates: SOLVE,
    cli: 'sketch-rows',
    applies: (s) => s.solver === 'sketched',
    get: (s) => s.sketchRows,
    put: (s, v) => (s.sketchRows = v),
  }),
  numberSetting({
    key: 'x0',
    label: 'x0 seed',
    range: RANGES.x0Seed,
    invalidates: SOLVE,
    cli: 'x0-seed',
    get: (s) => s.x0Seed,
    put: (s, v) => (s.x0Seed = v),
  }),
  numberSetting({
    key: 'speed',
    label: 'playback speed',
    range: RANGES.speed,
    // How fast a run is shown, not what it computes: the run goes on (run-sync.ts).
    invalidates: NONE,
    get: (s) => s.speed,
    put: (s, v) => (s.speed = v),
  }),
  flagSetting({
    key: 'twin',
    label: 'baseline twin',
    invalidates: RUN,
    get: (s) => s.twin,
    put: (s, v) => (s.twin = v),
  }),
  choiceSetting<BackendChoice>({
    key: 'backend',
    label: 'backend',
    choices: ['auto', 'cpu', 'gpu'],
    // The engine in use (not the choice) is what results depend on: the run and sweep keys hold
    // the active backend, which changes when the choice does (run-sync.ts selectBackend).
    invalidates: NONE,
    cli: 'engine',
    writeIf: (s) => s.backend !== 'auto',
    get: (s) => s.backend,
    put: (s, v) => (s.backend = v),
  }),
  choiceSetting<RowsView>({
    key: 'view',
    label: 'view',
    choices: ['table', 'projection'],
    invalidates: NONE,
    get: (s) => s.rowsView,
    put: (s, v) => (s.rowsView = v),
  }),
  choiceSetting<PageView>({
    key: 'page',
    label: 'page view',
    choices: ['run', 'sweep', 'lm'],
    invalidates: NONE,
    writeIf: (s) => s.page !== 'run',
    get: (s) => s.page,
    put: (s, v) => (s.page = v),
  }),
  listSetting({
    key: 'sg',
    label: 'sweep γc values',
    // γc = 0 is the baseline every sweep adds; the list holds the protected values.
    range: strengthRange('paper'),
    maxCount: LIMITS.sweepValuesMax,
    invalidates: ['sweep'],
    cli: 'gamma',
    writeIf: writeSweep,
    get: (s) => s.sweep.gammas,
    put: (s, v) => (s.sweep.gammas = v),
  }),
  listSetting({
    key: 'sf',
    label: 'sweep n1/n values',
    // Each cell needs n1 ≥ 1 and n2 ≥ 1: the same range as the single run's fraction.
    range: RANGES.fraction,
    maxCount: LIMITS.sweepValuesMax,
    invalidates: ['sweep'],
    cli: 'fraction',
    writeIf: writeSweep,
    get: (s) => s.sweep.fractions,
    put: (s, v) => (s.sweep.fractions = v),
  }),
  ...OTHER_METHODS.map((m) =>
    listSetting({
      key: SWEEP_STRENGTH_KEYS[m],
      label: `sweep strengths of ${METHODS[m].label}`,
      range: strengthRange(m),
      maxCount: LIMITS.sweepValuesMax,
      invalidates: ['sweep'],
      cli: 'strength',
      applies: (s) => s.sweep.methods.includes(m),
      writeIf: writeSweep,
      get: (s) => s.sweep.strengths[m],
      put: (s, v) => (s.sweep.strengths[m] = v),
    }),
  ),
  numberSetting({
    key: 'ss',
    label: 'sweep seeds',
    range: RANGES.sweepSeeds,
    invalidates: ['sweep'],
    cli: 'seeds',
    writeIf: writeSweep,
    get: (s) => s.sweep.seeds,
    put: (s, v) => (s.sweep.seeds = v),
  }),
  {
    key: 'ltxt',
    label: 'language model: text SHA-256',
    type: 'text',
    invalidates: ['lm', 'lmSweep'],
    applies: () => true,
    writeIf: (s) => s.lmText.sha256 !== '',
    write: (s) => s.lmText.sha256,
    read(s, raw) {
      if (!/^[0-9a-f]{64}$/.test(raw))
        return `language model: text SHA-256: ${quote(raw)} is not a 64-digit hex hash; the generated text is used.`;
      s.lmText.sha256 = raw;
      return undefined;
    },
  },
  {
    key: 'lsel',
    label: 'language model: tagged selections',
    type: 'text',
    invalidates: ['lm', 'lmSweep'],
    applies: (s) => s.lmText.sha256 !== '',
    writeIf: (s) => s.lmText.selections.length > 0,
    write: (s) => s.lmText.selections.map(([a, b]) => `${a}-${b}`).join('.'),
    read(s, raw) {
      const got = parseSelections(raw);
      s.lmText.selections = got.selections;
      return got.problem ? `language model: tagged selections: ${got.problem}` : undefined;
    },
  },
  ...LM_SETTINGS.map(([key, label, field, range]) =>
    numberSetting({
      key,
      label: `language model: ${label}`,
      range,
      // The sweep trains with every other language-model setting, so those stale a finished sweep.
      invalidates: NOT_IN_LM_SWEEP.includes(field) ? ['lm'] : ['lm', 'lmSweep'],
      writeIf: writeLm,
      get: (s) => s.lm[field],
      put: (s, v) => (s.lm[field] = v),
    }),
  ),
  flagSetting({
    key: 'ltie',
    label: 'language model: tied output head',
    invalidates: ['lm', 'lmSweep'],
    writeIf: writeLm,
    get: (s) => s.lm.tiedHead,
    put: (s, v) => (s.lm.tiedHead = v),
  }),
  // The language-model sweep's grid (the γ = 0 baseline is always added): changing it stales the
  // sweep only, not the view's training.
  listSetting({
    key: 'lsg',
    label: 'language-model sweep γ values',
    range: RANGES.lmGamma,
    maxCount: LIMITS.sweepValuesMax,
    invalidates: ['lmSweep'],
    writeIf: writeLmSweep,
    get: (s) => s.lmSweep.gammas,
    put: (s, v) => (s.lmSweep.gammas = v),
  }),
  listSetting({
    key: 'lsf',
    label: 'language-model sweep n1/n values',
    range: RANGES.lmFraction,
    maxCount: LIMITS.sweepValuesMax,
    invalidates: ['lmSweep'],
    writeIf: writeLmSweep,
    get: (s) => s.lmSweep.fractions,
    put: (s, v) => (s.lmSweep.fractions = v),
  }),
  numberSetting({
    key: 'lss',
    label: 'language-model sweep seeds',
    range: RANGES.sweepSeeds,
    invalidates: ['lmSweep'],
    writeIf: writeLmSweep,
    get: (s) => s.lmSweep.seeds,
    put: (s, v) => (s.lmSweep.seeds = v),
  }),
  numberSetting({
    key: 'lsst',
    label: 'language-model sweep steps per cell',
    range: RANGES.lmSteps,
    invalidates: ['lmSweep'],
    writeIf: writeLmSweep,
    get: (s) => s.lmSweep.steps,
    put: (s, v) => (s.lmSweep.steps = v),
  }),
  flagSetting({
    key: 'present',
    label: 'presenter mode',
    invalidates: NONE,
    writeIf: (s) => s.present,
    get: (s) => s.present,
    put: (s, v) => (s.present = v),
  }),
  flagSetting({
    key: 'embed',
    label: 'embed mode',
    invalidates: NONE,
    writeIf: (s) => s.embed,
    get: (s) => s.embed,
    put: (s, v) => (s.embed = v),
  }),
];

/** The entry of a key. */
export function settingSpec(key: string): SettingSpec | undefined {
  return SETTINGS_TABLE.find((p) => p.key === key);
}

/**
 * The values of every setting in `scope` as the link writes them (undefined where a setting does
 * not apply): two settings objects give different keys exactly when a result in that scope is stale.
 */
export function scopeKey(s: Settings, scope: Scope): string[] {
  const key: string[] = [];
  for (const p of SETTINGS_TABLE) {
    if (p.invalidates.includes(scope)) key.push(p.applies(s) ? `${p.key}=${p.write(s)}` : '');
  }
  return key;
}

/** Whether a setting in `scope` differs between a and b. */
export function scopeChanged(a: Settings, b: Settings, scope: Scope): boolean {
  if (a === b) return false;
  const ka = scopeKey(a, scope);
  const kb = scopeKey(b, scope);
  return ka.some((v, i) => v !== kb[i]);
}
