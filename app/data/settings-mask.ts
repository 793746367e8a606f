/**
 * The copyright mask that settings describe over n rows: the tag rule, or the manual bitset of a
 * link. One function for the page (app-store.ts, on new data and on a pasted link), the headless
 * runner (app/headless) and the CLI's `--link`, so a link that cannot apply is answered the same
 * way everywhere: no rows tagged, and a notice that says why.
 */
import { formatDataError } from '../../src/data/errors';
import { applyTagRule, decodeMaskBitset } from '../../src/data/tagging';
import type { Settings } from '../store/settings';

/** The mask, and why the settings' tags could not be used when they could not. */
export interface SettingsMask {
  mask: Uint8Array;
  /** Set when the tags were not applied (the mask is then all zeros). */
  notice?: string;
}

/** The mask of `s` over n rows; cluster ids are needed by the cluster rule only. */
export function maskFromSettings(s: Settings, n: number, clusters: Int32Array | null = null): SettingsMask {
  const rule = s.tagRule;
  if (rule.kind === 'manual') {
    if (s.manualBits === '') return { mask: new Uint8Array(n) };
    try {
      return { mask: decodeMaskBitset(s.manualBits, n) };
    } catch (e) {
      return {
        mask: new Uint8Array(n),
        notice: `The manual tags in the link were not used (${formatDataError(e)}); no rows are tagged.`,
      };
    }
  }
  try {
    return { mask: applyTagRule(rule, n, clusters ?? undefined) };
  } catch (e) {
    return { mask: new Uint8Array(n), notice: `Tag rule not applied: ${formatDataError(e)}` };
  }
}
