/** The uploaded text's selections in a link (`lsel`): parsed, merged, bounded, with a notice. */
import { describe, expect, it } from 'vitest';
import { LM_TEXT_LIMITS } from '../../src/lm/text-file';
import { cloneSettings, DEFAULT_SETTINGS } from './settings';
import { parseSelections } from './settings-table';
import { parseHash, serializeSettings } from './url-codec';

describe('lsel', () => {
  it('reads dot-separated start-end spans, merging overlaps', () => {
    expect(parseSelections('40-50.3-10.8-12')).toEqual({
      selections: [
        [3, 12],
        [40, 50],
      ],
    });
  });

  it('drops malformed spans and keeps at most selectionsMax, saying so', () => {
    const got = parseSelections('5-2.x.7-9');
    expect(got.selections).toEqual([[7, 9]]);
    expect(got.problem).toContain('2 of 3 spans');
    const many = Array.from(
      { length: LM_TEXT_LIMITS.selectionsMax + 3 },
      (_, i) => `${10 * i}-${10 * i + 5}`,
    ).join('.');
    const capped = parseSelections(many);
    expect(capped.selections).toHaveLength(LM_TEXT_LIMITS.selectionsMax);
    expect(capped.problem).toContain(`kept the first ${LM_TEXT_LIMITS.selectionsMax}`);
  });

  it('travels with the text hash in a link, and is ignored without one', () => {
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.lmText = {
      sha256: 'f'.repeat(64),
      selections: [
        [2, 9],
        [20, 31],
      ],
    };
    const back = parseHash(serializeSettings(s));
    expect(back.settings.lmText).toEqual(s.lmText);
    expect(parseHash('#lsel=2-9').settings.lmText).toEqual(DEFAULT_SETTINGS.lmText);
  });
});
