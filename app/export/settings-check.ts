/**
 * Checks settings that come from a file (a run manifest) before they are applied: every field the
 * page knows must have the right type, fields the file lacks (settings added after it was written)
 * take their defaults, and out-of-range values are clamped by the same parameter table as links,
 * with the same notices. Pure, so it is unit-tested.
 */
import { DEFAULT_SETTINGS, cloneSettings, type Settings, type TagRule } from '../store/settings';
import { migrateV1, parseHash, serializeSettings } from '../store/url-codec';

/** The result: settings to apply and what was changed, or the list of what is wrong. */
export type SettingsCheck =
  { ok: true; settings: Settings; notices: string[] } | { ok: false; errors: string[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Copies `raw` onto a clone of `shape`, type by type; reports wrong types as errors. */
function merge(shape: unknown, raw: unknown, path: string, errors: string[], missing: string[]): unknown {
  if (Array.isArray(shape)) {
    if (!Array.isArray(raw)) {
      errors.push(`${path} should be a list, not ${kindOf(raw)}.`);
      return shape;
    }
    const itemType = shape.length ? typeof shape[0] : 'number';
    raw.forEach((item, i) => {
      if (typeof item !== itemType)
        errors.push(`${path}[${i}] should be a ${itemType}, not ${kindOf(item)}.`);
    });
    return [...raw];
  }
  if (isRecord(shape)) {
    if (!isRecord(raw)) {
      errors.push(`${path} should be an object, not ${kindOf(raw)}.`);
      return shape;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(shape)) {
      if (!(key in raw)) {
        missing.push(`${path}.${key}`);
        out[key] = value;
      } else out[key] = merge(value, raw[key], `${path}.${key}`, errors, missing);
    }
    return out;
  }
  if (typeof raw !== typeof shape || (typeof raw === 'number' && !Number.isFinite(raw))) {
    errors.push(
      `${path} should be a ${typeof shape === 'number' ? 'finite number' : typeof shape}, not ${JSON.stringify(raw)}.`,
    );
    return shape;
  }
  return raw;
}

/** The tag rule is a union, so it is checked by its kind. */
function checkTagRule(raw: unknown, errors: string[]): TagRule {
  const fallback = cloneSettings(DEFAULT_SETTINGS).tagRule;
  if (!isRecord(raw)) {
    errors.push(`settings.tagRule should be an object, not ${kindOf(raw)}.`);
    return fallback;
  }
  const num = (key: string): number => {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      errors.push(`settings.tagRule.${key} should be a finite number, not ${JSON.stringify(v)}.`);
      return 0;
    }
    return v;
  };
  switch (raw.kind) {
    case 'random':
      return { kind: 'random', fraction: num('fraction'), seed: num('seed') };
    case 'first':
      return { kind: 'first', k: num('k') };
    case 'cluster': {
      const list = raw.clusters;
      if (!Array.isArray(list) || list.some((c) => typeof c !== 'number' || !Number.isInteger(c))) {
        errors.push('settings.tagRule.clusters should be a list of whole numbers.');
        return fallback;
      }
      return { kind: 'cluster', clusters: list as number[] };
    }
    case 'manual':
      return { kind: 'manual' };
    default:
      errors.push(
        `settings.tagRule.kind should be random, first, cluster or manual, not ${JSON.stringify(raw.kind)}.`,
      );
      return fallback;
  }
}

/**
 * Checks settings read from a file. Page modes (present, embed) are not taken from the file: the
 * page keeps its own, given in `keep`.
 */
export function checkSettings(raw: unknown, keep: Pick<Settings, 'present' | 'embed'>): SettingsCheck {
  const errors: string[] = [];
  const missing: string[] = [];
  const shape = cloneSettings(DEFAULT_SETTINGS) as unknown as Record<string, unknown>;
  const { tagRule: _ignored, ...rest } = shape;
  const merged = merge(rest, raw, 'settings', errors, missing) as Record<string, unknown>;
  if (!isRecord(raw)) return { ok: false, errors };
  const settings = { ...merged, tagRule: checkTagRule(raw.tagRule, errors) } as unknown as Settings;
  if (errors.length) return { ok: false, errors };
  settings.present = keep.present;
  settings.embed = keep.embed;
  // Files written before link version 2 carry `wScale` (the absolute w) instead of `reg`: migrate it
  // exactly as a version-1 link is migrated.
  const legacy: string[] = [];
  if (!('reg' in raw) && typeof raw.wScale === 'number' && Number.isFinite(raw.wScale)) {
    settings.reg = raw.wScale;
    legacy.push(migrateV1(settings));
    missing.splice(missing.indexOf('settings.reg'), 1);
  }
  // Ranges: the link's parameter table clamps and explains, exactly as for a pasted link.
  const viaLink = parseHash(serializeSettings(settings));
  const notices = missing
    .filter((m) => m !== 'settings.present' && m !== 'settings.embed')
    .map((m) => `${m} is not in the file (written by an older version); using the default.`);
  notices.push(...legacy, ...viaLink.notices);
  return { ok: true, settings: viaLink.settings, notices };
}
