import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, cloneSettings } from '../store/settings';
import { checkSettings } from './settings-check';

const keep = { present: false, embed: false };

describe('settings from a file', () => {
  it('migrates a pre-version-2 file: wScale (absolute w) becomes ρ = w·n, with a notice', () => {
    const { reg: _reg, speed: _speed, ...old } = cloneSettings(DEFAULT_SETTINGS);
    const raw = { ...old, gen: { ...old.gen, n: 200 }, wScale: 0.1 };
    const checked = checkSettings(raw, keep);
    if (!checked.ok) throw new Error(checked.errors.join('; '));
    expect(checked.settings.reg).toBeCloseTo(20, 12);
    expect(checked.notices.join('\n')).toMatch(/version 1.*w = 0.1 at n = 200 is now ρ = 20/);
    expect(checked.notices.join('\n')).not.toMatch(/settings\.reg is not in the file/);
  });

  it('keeps a current file’s ρ as it is', () => {
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.reg = 7;
    const checked = checkSettings(s, keep);
    expect(checked.ok && checked.settings.reg).toBe(7);
  });
});
