/**
 * The URL hash as the shareable face of the settings. One declarative table of parameters drives
 * both parse and serialise (as tensorflow/playground's state.ts does), so the two cannot drift.
 * Parsing never throws: a malformed value is reset to its default and an out-of-range one is
 * clamped, and every such change is reported as a notice the page shows.
 */
import {
  DEFAULT_RANDOM_TAGS,
  DEFAULT_SETTINGS,
  LIMITS,
  cloneSettings,
  type BackendChoice,
  type GeneratorKind,
  type PageView,
  type RowsView,
  type Settings,
  type SolverChoice,
} from './settings';

/**
 * Version of the link format; bump it when a parameter changes meaning.
 * - 1: `w` was the absolute regularisation scale (w_i = w·u_i), defaults n1/n = 0.2, w = 0.1.
 * - 2: `reg` is ρ with w_i = ρ·u_i/n (balanced at every n), defaults n1/n = 0.1, ρ = 0.3;
 *   `speed` (playback). Version-1 links are migrated by {@link migrateV1} with a notice.
 */
export const URL_VERSION = 2;

/**
 * The defaults that version-1 links were written against (a link omits nothing it applies to,
 * but a hand-edited one may): a v1 link is read on top of these, then migrated.
 */
const V1_DEFAULTS: Readonly<Pick<Settings, 'reg'> & { fraction: number }> = { reg: 0.1, fraction: 0.2 };

/** What parsing a hash produced: the settings and a human-readable list of what was changed. */
export interface ParsedHash {
  settings: Settings;
  notices: string[];
}

interface ParamSpec {
  /** Short key in the hash. */
  key: string;
  /** Label used in notices. */
  label: string;
  /** Whether the parameter is read and written for these settings (e.g. cluster count only for clusters). */
  applies(s: Settings): boolean;
  /** Extra condition for writing it (e.g. the backend only when forced); default always. */
  writeIf?(s: Settings): boolean;
  write(s: Settings): string;
  /** Applies the raw text to s; returns a notice when the value had to be changed. */
  read(s: Settings, raw: string): string | undefined;
}

interface NumberOptions {
  min: number;
  max: number;
  integer?: boolean;
}

/** Formats numbers without losing precision and without trailing noise. */
function formatNumber(x: number): string {
  return String(x);
}

function numberParam(
  key: string,
  label: string,
  opts: NumberOptions,
  get: (s: Settings) => number,
  put: (s: Settings, v: number) => void,
  applies: (s: Settings) => boolean = () => true,
): ParamSpec {
  return {
    key,
    label,
    applies,
    write: (s) => formatNumber(get(s)),
    read(s, raw) {
      const text = raw.trim();
      const v = text === '' ? NaN : Number(text);
      if (!Number.isFinite(v)) {
        return `${label}: "${raw}" is not a number; reset to ${formatNumber(get(s))}.`;
      }
      let clamped = Math.min(opts.max, Math.max(opts.min, v));
      if (opts.integer) clamped = Math.round(clamped);
      put(s, clamped);
      if (clamped !== v) {
        const why =
          v < opts.min
            ? `below the minimum ${opts.min}`
            : v > opts.max
              ? `above the maximum ${opts.max}`
              : 'not a whole number';
        return `${label}: ${raw} is ${why}; set to ${formatNumber(clamped)}.`;
      }
      return undefined;
    },
  };
}

function enumParam<T extends string>(
  key: string,
  label: string,
  values: readonly T[],
  get: (s: Settings) => T,
  put: (s: Settings, v: T) => void,
  applies: (s: Settings) => boolean = () => true,
): ParamSpec {
  return {
    key,
    label,
    applies,
    write: get,
    read(s, raw) {
      const found = values.find((v) => v === raw);
      if (found === undefined) {
        return `${label}: "${raw}" is not one of ${values.join(', ')}; reset to ${get(s)}.`;
      }
      put(s, found);
      return undefined;
    },
  };
}

/**
 * A sorted, de-duplicated list of numbers written as `0.1_0.2_0.3` ('_' needs no escaping in a
 * URL; ',' is read too). Entries that are not numbers are dropped and out-of-range ones clamped,
 * with a notice; a list left empty is reset to its current (default) value.
 */
function numberListParam(
  key: string,
  label: string,
  opts: { min: number; max: number; maxCount: number },
  get: (s: Settings) => number[],
  put: (s: Settings, v: number[]) => void,
  writeIf: (s: Settings) => boolean,
): ParamSpec {
  return {
    key,
    label,
    applies: () => true,
    writeIf,
    write: (s) => get(s).map(formatNumber).join('_'),
    read(s, raw) {
      const problems: string[] = [];
      const values: number[] = [];
      for (const part of raw.split(/[_,]/)) {
        const text = part.trim();
        const v = text === '' ? NaN : Number(text);
        if (!Number.isFinite(v)) {
          problems.push(`"${part}" is not a number`);
          continue;
        }
        const clamped = Math.min(opts.max, Math.max(opts.min, v));
        if (clamped !== v) problems.push(`${text} is outside [${opts.min}, ${opts.max}], set to ${clamped}`);
        values.push(clamped);
      }
      let list = [...new Set(values)].sort((a, b) => a - b);
      if (list.length > opts.maxCount) {
        problems.push(`more than ${opts.maxCount} values, kept the first ${opts.maxCount}`);
        list = list.slice(0, opts.maxCount);
      }
      if (list.length === 0) {
        return `${label}: "${raw}" has no usable values; reset to ${get(s).join(', ')}.`;
      }
      put(s, list);
      return problems.length ? `${label}: ${problems.join('; ')}.` : undefined;
    },
  };
}

/** The sweep grid goes in the link in the sweep view, or when it is not the default grid. */
const writeSweep = (s: Settings): boolean =>
  s.page === 'sweep' ||
  s.sweep.seeds !== DEFAULT_SETTINGS.sweep.seeds ||
  s.sweep.gammas.join() !== DEFAULT_SETTINGS.sweep.gammas.join() ||
  s.sweep.fractions.join() !== DEFAULT_SETTINGS.sweep.fractions.join();

/**
 * A page mode written as 1 only when on (`present=1`, `embed=1`). The same keys are also read from
 * the query string (`?present=1`), which is how people type them; see parseHash.
 */
function flagParam(
  key: string,
  label: string,
  get: (s: Settings) => boolean,
  put: (s: Settings, v: boolean) => void,
): ParamSpec {
  return {
    key,
    label,
    applies: () => true,
    writeIf: get,
    write: (s) => (get(s) ? '1' : '0'),
    read(s, raw) {
      if (raw !== '0' && raw !== '1')
        return `${label}: "${raw}" is not 0 or 1; left ${get(s) ? 'on' : 'off'}.`;
      put(s, raw === '1');
      return undefined;
    },
  };
}

/** Keys of parameters that the query string may set as well as the hash. */
const QUERY_FLAGS = ['present', 'embed'] as const;

const isGenerated = (s: Settings): boolean => s.source === 'generate';
const isClusters = (s: Settings): boolean => s.source === 'generate' && s.gen.kind === 'clusters';

/**
 * The parameter table. Order matters for parsing: `src` and `gen` come first because later
 * parameters' `applies` depend on them, and `tag` before its rule's fields.
 */
const PARAMS: ParamSpec[] = [
  enumParam(
    'src',
    'data source',
    ['generate', 'csv'] as const,
    (s) => s.source,
    (s, v) => (s.source = v),
  ),
  enumParam<GeneratorKind>(
    'gen',
    'generator',
    ['gaussian', 'clusters'],
    (s) => s.gen.kind,
    (s, v) => (s.gen.kind = v),
    isGenerated,
  ),
  numberParam(
    'n',
    'rows n',
    { min: 2, max: LIMITS.nMax, integer: true },
    (s) => s.gen.n,
    (s, v) => (s.gen.n = v),
    isGenerated,
  ),
  numberParam(
    'd',
    'features d',
    { min: 1, max: LIMITS.dMax, integer: true },
    (s) => s.gen.d,
    (s, v) => (s.gen.d = v),
    isGenerated,
  ),
  numberParam(
    'noise',
    'noise',
    { min: 0, max: 10 },
    (s) => s.gen.noise,
    (s, v) => (s.gen.noise = v),
    isGenerated,
  ),
  numberParam(
    'seed',
    'data seed',
    { min: 0, max: LIMITS.seedMax, integer: true },
    (s) => s.gen.seed,
    (s, v) => (s.gen.seed = v),
    isGenerated,
  ),
  numberParam(
    'xs',
    'x_true scale',
    { min: 0, max: 10 },
    (s) => s.gen.xScale,
    (s, v) => (s.gen.xScale = v),
    isGenerated,
  ),
  numberParam(
    'k',
    'clusters',
    { min: 1, max: 16, integer: true },
    (s) => s.gen.clusters,
    (s, v) => (s.gen.clusters = v),
    isClusters,
  ),
  numberParam(
    'spread',
    'cluster spread',
    { min: 0, max: 10 },
    (s) => s.gen.spread,
    (s, v) => (s.gen.spread = v),
    isClusters,
  ),
  {
    key: 'sha',
    label: 'CSV SHA-256',
    applies: (s) => s.source === 'csv',
    write: (s) => s.csvHash,
    read(s, raw) {
      if (!/^[0-9a-f]{64}$/.test(raw)) return `CSV SHA-256: "${raw}" is not a 64-digit hex hash; ignored.`;
      s.csvHash = raw;
      return undefined;
    },
  },
  {
    key: 'tag',
    label: 'tag rule',
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
          return `tag rule: "${raw}" is not one of random, first, cluster, manual; reset to ${s.tagRule.kind}.`;
      }
    },
  },
  numberParam(
    'frac',
    'copyrighted fraction n1/n',
    { min: 0, max: 1 },
    (s) => (s.tagRule.kind === 'random' ? s.tagRule.fraction : 0),
    (s, v) => {
      if (s.tagRule.kind === 'random') s.tagRule.fraction = v;
    },
    (s) => s.tagRule.kind === 'random',
  ),
  numberParam(
    'tseed',
    'tag seed',
    { min: 0, max: LIMITS.seedMax, integer: true },
    (s) => (s.tagRule.kind === 'random' ? s.tagRule.seed : 0),
    (s, v) => {
      if (s.tagRule.kind === 'random') s.tagRule.seed = v;
    },
    (s) => s.tagRule.kind === 'random',
  ),
  numberParam(
    'first',
    'first k rows',
    { min: 0, max: LIMITS.nMax, integer: true },
    (s) => (s.tagRule.kind === 'first' ? s.tagRule.k : 0),
    (s, v) => {
      if (s.tagRule.kind === 'first') s.tagRule.k = v;
    },
    (s) => s.tagRule.kind === 'first',
  ),
  {
    key: 'cl',
    label: 'tagged clusters',
    applies: (s) => s.tagRule.kind === 'cluster',
    write: (s) => (s.tagRule.kind === 'cluster' ? s.tagRule.clusters.join('.') : ''),
    read(s, raw) {
      if (s.tagRule.kind !== 'cluster') return undefined;
      const parts = raw === '' ? [] : raw.split('.');
      const ids = parts.map(Number);
      if (ids.some((v) => !Number.isInteger(v) || v < 0 || v > 15)) {
        return `tagged clusters: "${raw}" is not a dot-separated list of cluster numbers 0–15; reset to ${s.tagRule.clusters.join('.')}.`;
      }
      s.tagRule.clusters = [...new Set(ids)].sort((a, b) => a - b);
      return undefined;
    },
  },
  {
    key: 'bits',
    label: 'manual tags',
    applies: (s) => s.tagRule.kind === 'manual',
    write: (s) => s.manualBits,
    read(s, raw) {
      if (!/^[A-Za-z0-9_-]*$/.test(raw))
        return `manual tags: the bitset has characters outside base64url; no rows tagged.`;
      s.manualBits = raw;
      return undefined;
    },
  },
  numberParam(
    'g',
    'γc',
    { min: 0, max: LIMITS.gammaMax },
    (s) => s.gammaC,
    (s, v) => (s.gammaC = v),
  ),
  enumParam(
    'read',
    'reading',
    ['global', 'separate'] as const,
    (s) => s.reading,
    (s, v) => (s.reading = v),
  ),
  numberParam(
    'reg',
    'regularisation ρ',
    { min: 0, max: LIMITS.regMax },
    (s) => s.reg,
    (s, v) => (s.reg = v),
  ),
  enumParam<SolverChoice>(
    'solver',
    'solver',
    ['newton', 'gd', 'sketched'],
    (s) => s.solver,
    (s, v) => (s.solver = v),
  ),
  numberParam(
    'tol',
    'tolerance',
    { min: 1e-15, max: 1 },
    (s) => s.tol,
    (s, v) => (s.tol = v),
  ),
  numberParam(
    'it',
    'max iterations',
    { min: 1, max: LIMITS.maxIterMax, integer: true },
    (s) => s.maxIter,
    (s, v) => (s.maxIter = v),
  ),
  numberParam(
    'step',
    'GD step',
    { min: 0, max: 1e6 },
    (s) => s.gdStep,
    (s, v) => (s.gdStep = v),
    (s) => s.solver === 'gd',
  ),
  numberParam(
    'rows',
    'sketch rows',
    { min: 0, max: LIMITS.nMax, integer: true },
    (s) => s.sketchRows,
    (s, v) => (s.sketchRows = v),
    (s) => s.solver === 'sketched',
  ),
  numberParam(
    'x0',
    'x0 seed',
    { min: 0, max: LIMITS.seedMax, integer: true },
    (s) => s.x0Seed,
    (s, v) => (s.x0Seed = v),
  ),
  numberParam(
    'speed',
    'playback speed',
    { min: 0, max: LIMITS.speedMax },
    (s) => s.speed,
    (s, v) => (s.speed = v),
  ),
  {
    key: 'twin',
    label: 'baseline twin',
    applies: () => true,
    write: (s) => (s.twin ? '1' : '0'),
    read(s, raw) {
      if (raw !== '0' && raw !== '1')
        return `baseline twin: "${raw}" is not 0 or 1; reset to ${s.twin ? 1 : 0}.`;
      s.twin = raw === '1';
      return undefined;
    },
  },
  {
    ...enumParam<BackendChoice>(
      'backend',
      'backend',
      ['auto', 'cpu', 'gpu'],
      (s) => s.backend,
      (s, v) => (s.backend = v),
    ),
    writeIf: (s) => s.backend !== 'auto',
  },
  enumParam<RowsView>(
    'view',
    'view',
    ['table', 'projection'],
    (s) => s.rowsView,
    (s, v) => (s.rowsView = v),
  ),
  {
    ...enumParam<PageView>(
      'page',
      'page view',
      ['run', 'sweep'],
      (s) => s.page,
      (s, v) => (s.page = v),
    ),
    writeIf: (s) => s.page !== 'run',
  },
  numberListParam(
    'sg',
    'sweep γc values',
    // γc = 0 is the baseline every sweep adds; the list holds the protected values.
    { min: 0, max: LIMITS.gammaMax, maxCount: LIMITS.sweepValuesMax },
    (s) => s.sweep.gammas,
    (s, v) => (s.sweep.gammas = v),
    writeSweep,
  ),
  numberListParam(
    'sf',
    'sweep n1/n values',
    // The sweep needs n1 ≥ 1 and n2 ≥ 1, so n1/n stays strictly inside (0, 1).
    { min: 0.01, max: 0.99, maxCount: LIMITS.sweepValuesMax },
    (s) => s.sweep.fractions,
    (s, v) => (s.sweep.fractions = v),
    writeSweep,
  ),
  {
    ...numberParam(
      'ss',
      'sweep seeds',
      { min: 1, max: LIMITS.sweepSeedsMax, integer: true },
      (s) => s.sweep.seeds,
      (s, v) => (s.sweep.seeds = v),
    ),
    writeIf: writeSweep,
  },
  flagParam(
    'present',
    'presenter mode',
    (s) => s.present,
    (s, v) => (s.present = v),
  ),
  flagParam(
    'embed',
    'embed mode',
    (s) => s.embed,
    (s, v) => (s.embed = v),
  ),
];

const KNOWN_KEYS = new Set(['v', ...PARAMS.map((p) => p.key)]);

/** Version 1's `w` (the absolute scale, or a CSV's multiplier), read with v1's range into `reg`. */
const V1_W = numberParam(
  'w',
  'regularisation w (version 1)',
  { min: 0, max: 100 },
  (s) => s.reg,
  (s, v) => (s.reg = v),
);

/**
 * Finishes reading version-1 settings (a link, or a run manifest's): their `w` (already in s.reg) becomes ρ = w·n for generated
 * data, the same w_i since v2 draws w_i = ρ·u_i/n from the same u_i; for a CSV it stays the
 * multiplier of the file's w. Returns the notice that says so.
 */
export function migrateV1(s: Settings): string {
  const oldW = s.reg;
  if (s.source === 'csv')
    return `These settings are from version 1 of the playground; read as version ${URL_VERSION} with the same meaning (w multiplier ${oldW} → ρ = ${oldW}).`;
  s.reg = oldW * s.gen.n;
  return `These settings are from version 1 of the playground; read as version ${URL_VERSION} with the same meaning: regularisation w = ${oldW} at n = ${s.gen.n} is now ρ = ${s.reg} (w_i = ρ·u_i/n gives the same w_i). Settings made after version 1, such as playback speed, take their defaults.`;
}

/** Serialises settings to a hash string without the leading '#'. */
export function serializeSettings(s: Settings): string {
  const parts = [`v=${URL_VERSION}`];
  for (const p of PARAMS) {
    if (p.applies(s) && (p.writeIf?.(s) ?? true)) parts.push(`${p.key}=${encodeURIComponent(p.write(s))}`);
  }
  return parts.join('&');
}

/**
 * Parses a hash (with or without '#') into settings, starting from the defaults. An empty hash
 * gives the defaults and no notices. `query` is the page's search string: `?backend=cpu|gpu` there
 * overrides the hash, as the issue asks for a query parameter to force a backend.
 */
export function parseHash(hash: string, query = ''): ParsedHash {
  const s = cloneSettings(DEFAULT_SETTINGS);
  const notices: string[] = [];
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const params = new URLSearchParams(text);
  if (text.trim() !== '') {
    const v = params.get('v');
    const v1 = v === '1';
    if (v1) {
      // Read on top of the defaults version 1 was written against; `w` is read here, not below.
      s.reg = V1_DEFAULTS.reg;
      s.tagRule = { kind: 'random', fraction: V1_DEFAULTS.fraction, seed: 1 };
      const rawW = params.get('w');
      params.delete('w');
      const notice = rawW === null ? undefined : V1_W.read(s, rawW);
      if (notice) notices.push(notice);
    } else if (v === null)
      notices.push(`The link has no version (v=${URL_VERSION}); read it as version ${URL_VERSION}.`);
    else if (v !== String(URL_VERSION))
      notices.push(
        `The link is version ${v}; this page reads version ${URL_VERSION}, so some settings may differ.`,
      );
    for (const key of params.keys()) {
      if (!KNOWN_KEYS.has(key)) notices.push(`Ignored the unknown setting "${key}".`);
    }
    for (const p of PARAMS) {
      const raw = params.get(p.key);
      if (raw === null || !p.applies(s)) continue;
      const notice = p.read(s, raw);
      if (notice) notices.push(notice);
    }
    if (s.source === 'csv' && s.csvHash === '') {
      s.source = 'generate';
      notices.push('The link names an uploaded CSV without its SHA-256; using generated data instead.');
    }
    if (v1) notices.unshift(migrateV1(s));
  }
  const queryParams = new URLSearchParams(query);
  for (const key of QUERY_FLAGS) {
    const raw = queryParams.get(key);
    const spec = PARAMS.find((p) => p.key === key);
    if (raw !== null && spec) {
      const notice = spec.read(s, raw);
      if (notice) notices.push(notice);
    }
  }
  const forced = queryParams.get('backend');
  if (forced !== null) {
    if (forced === 'cpu' || forced === 'gpu' || forced === 'auto') s.backend = forced;
    else notices.push(`backend: "${forced}" is not one of auto, cpu, gpu; using auto.`);
  }
  return { settings: s, notices };
}
