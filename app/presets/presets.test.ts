import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, LIMITS, cloneSettings } from '../store/settings';
import { parseHash, serializeSettings } from '../store/url-codec';
import { PRESETS, applyPreset, matchingPreset } from './presets';

describe('presets', () => {
  it('has the classroom presets of issues 5, 8, 12 and 13', () => {
    expect(PRESETS.map((p) => p.id)).toEqual([
      'quick',
      'figure1',
      'utility',
      'frontier',
      'canary',
      'fraction',
      'readings',
      'nonconvex',
      'topic',
      'claim-fails',
      'large',
    ]);
  });

  it('no two presets make the same settings (the picker can tell them apart)', () => {
    const keys = PRESETS.map((p) => JSON.stringify(p.make()));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('every preset survives the link unchanged (so a shared link reproduces it)', () => {
    for (const p of PRESETS) {
      const s = applyPreset(p, DEFAULT_SETTINGS);
      const back = parseHash(serializeSettings(s));
      expect(back.notices).toEqual([]);
      expect(back.settings).toEqual(s);
    }
  });

  it('keeps the backend choice and the page modes', () => {
    const current = cloneSettings(DEFAULT_SETTINGS);
    current.backend = 'cpu';
    current.present = true;
    current.speed = 60;
    const s = applyPreset(PRESETS[1], current);
    expect(s.backend).toBe('cpu');
    expect(s.present).toBe(true);
    expect(s.speed).toBe(60);
    expect(matchingPreset(s)?.id).toBe('figure1');
    // The defaults are the quick demo, so a first visit shows its note.
    expect(matchingPreset(DEFAULT_SETTINGS)?.id).toBe('quick');
  });

  it('the large preset is within the limits and the Figure 1 analogue sets the sweep grid', () => {
    const large = PRESETS.find((p) => p.id === 'large')!.make();
    expect(large.gen.n).toBe(LIMITS.nMax);
    expect(large.gen.d).toBeLessThanOrEqual(LIMITS.dMax);
    const fig = PRESETS.find((p) => p.id === 'figure1')!.make();
    expect(fig.sweep.gammas).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(fig.page).toBe('sweep');
  });
});
