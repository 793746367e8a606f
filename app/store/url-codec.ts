/**
 * The URL hash as the shareable face of the settings: parse and serialise, both driven by the one
 * settings table (settings-table.ts), so they cannot drift. Parsing never throws: a malformed value
 * keeps the default, an out-of-range one is clamped, a key given twice takes its last value (people
 * append to links), and every such change is reported as a notice the page shows, bounded in
 * length and count however long the link is.
 */
import { clipEcho, listSome } from '../../src/data/echo';
import { DEFAULT_SETTINGS, cloneSettings, type Settings } from './settings';
import { SETTINGS_TABLE, numberSetting, settingSpec } from './settings-table';

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

/** Keys of settings that the query string may set as well as the hash (`?present=1`). */
const QUERY_FLAGS = ['present', 'embed'] as const;

const KNOWN_KEYS = new Set(['v', ...SETTINGS_TABLE.map((p) => p.key)]);

/** Version 1's `w` (the absolute scale, or a CSV's multiplier), read with v1's range into `reg`. */
const V1_W = numberSetting({
  key: 'w',
  label: 'regularisation w (version 1)',
  range: { min: 0, max: 100 },
  invalidates: [],
  get: (s) => s.reg,
  put: (s, v) => (s.reg = v),
});

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
  for (const p of SETTINGS_TABLE) {
    if (p.applies(s) && (p.writeIf?.(s) ?? true)) parts.push(`${p.key}=${encodeURIComponent(p.write(s))}`);
  }
  return parts.join('&');
}

/** Most notices one link produces; the rest are counted in a last one. */
export const NOTICES_MAX = 12;

/**
 * The last value of each key, and a notice for each key given more than once with different
 * values (the last one wins, as people append to links to change a setting).
 */
function lastValues(params: URLSearchParams, notices: string[]): Map<string, string> {
  const values = new Map<string, string>();
  const repeated = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (values.has(key)) repeated.set(key, [...(repeated.get(key) ?? [values.get(key)!]), value]);
    values.set(key, value);
  }
  for (const [key, all] of repeated) {
    if (new Set(all).size === 1) continue;
    const label = settingSpec(key)?.label ?? key;
    notices.push(
      `${label}: given ${all.length} times (${listSome(all.map((v) => clipEcho(v, 20)))}); used the last, ${clipEcho(all[all.length - 1])}.`,
    );
  }
  return values;
}

/** Removes repeated notices and caps their number, counting the rest. */
function boundNotices(notices: string[]): string[] {
  const unique = [...new Set(notices)];
  if (unique.length <= NOTICES_MAX) return unique;
  const kept = unique.slice(0, NOTICES_MAX - 1);
  kept.push(`…and ${unique.length - kept.length} more changes to the link's settings.`);
  return kept;
}

/**
 * Parses a hash (with or without '#') into settings, starting from the defaults. An empty hash
 * gives the defaults and no notices. `query` is the page's search string: `?backend=cpu|gpu` there
 * overrides the hash, and `?present=1` / `?embed=1` set the page modes, as people type them.
 */
export function parseHash(hash: string, query = ''): ParsedHash {
  const s = cloneSettings(DEFAULT_SETTINGS);
  const notices: string[] = [];
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.trim() !== '') {
    const params = lastValues(new URLSearchParams(text), notices);
    const v = params.get('v');
    const v1 = v === '1';
    if (v1) {
      // Read on top of the defaults version 1 was written against; `w` is read here, not below.
      s.reg = V1_DEFAULTS.reg;
      s.tagRule = { kind: 'random', fraction: V1_DEFAULTS.fraction, seed: 1 };
      const rawW = params.get('w');
      params.delete('w');
      const notice = rawW === undefined ? undefined : V1_W.read(s, rawW);
      if (notice) notices.push(notice);
    } else if (v === undefined)
      notices.push(`The link has no version (v=${URL_VERSION}); read it as version ${URL_VERSION}.`);
    else if (v !== String(URL_VERSION))
      notices.push(
        `The link is version ${clipEcho(v, 12)}; this page reads version ${URL_VERSION}, so some settings may differ.`,
      );
    const unknown = [...params.keys()].filter((key) => !KNOWN_KEYS.has(key));
    if (unknown.length === 1) notices.push(`Ignored the unknown setting "${clipEcho(unknown[0], 30)}".`);
    else if (unknown.length > 1)
      notices.push(
        `Ignored ${unknown.length} unknown settings: ${listSome(unknown.map((k) => `"${clipEcho(k, 30)}"`))}.`,
      );
    for (const p of SETTINGS_TABLE) {
      const raw = params.get(p.key);
      if (raw === undefined || !p.applies(s)) continue;
      const notice = p.read(s, raw);
      if (notice) notices.push(notice);
    }
    if (s.source === 'csv' && s.csvHash === '') {
      s.source = 'generate';
      notices.push('The link names an uploaded CSV without its SHA-256; using generated data instead.');
    }
    if (v1) notices.unshift(migrateV1(s));
  }
  const queryParams = lastValues(new URLSearchParams(query), notices);
  for (const key of QUERY_FLAGS) {
    const raw = queryParams.get(key);
    const spec = settingSpec(key);
    if (raw !== undefined && spec) {
      const notice = spec.read(s, raw);
      if (notice) notices.push(notice);
    }
  }
  const forced = queryParams.get('backend');
  if (forced !== undefined) {
    if (forced === 'cpu' || forced === 'gpu' || forced === 'auto') s.backend = forced;
    else notices.push(`backend: "${clipEcho(forced)}" is not one of auto, cpu, gpu; using auto.`);
  }
  return { settings: s, notices: boundNotices(notices) };
}
