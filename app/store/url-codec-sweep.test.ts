/** The sweep grid and the page view in the link (app/sweep). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, cloneSettings, paperSweep } from './settings';
import { parseHash, serializeSettings } from './url-codec';

describe('url codec: sweep grid', () => {
  it('leaves the sweep out of a single-run link with the default grid', () => {
    const text = serializeSettings(DEFAULT_SETTINGS);
    expect(text).not.toMatch(/(^|&)(page|sg|sf|ss)=/);
  });

  it('round-trips the page view and the grid', () => {
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.page = 'sweep';
    s.sweep = paperSweep({ gammas: [0.05, 0.2, 1.25], fractions: [0.1, 0.25, 0.8], seeds: 4 });
    const text = serializeSettings(s);
    expect(text).toContain('page=sweep');
    expect(text).toContain('sg=0.05_0.2_1.25');
    expect(text).toContain('sf=0.1_0.25_0.8');
    expect(text).toContain('ss=4');
    const back = parseHash('#' + text);
    expect(back.notices).toEqual([]);
    expect(back.settings).toEqual(s);
  });

  it('writes a non-default grid in the single-run view too, so switching views keeps it', () => {
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.sweep.fractions = [0.1, 0.2, 0.4, 0.6, 0.8];
    const back = parseHash(serializeSettings(s));
    expect(back.settings.sweep).toEqual(s.sweep);
    expect(back.settings.page).toBe('run');
  });

  it('sorts, de-duplicates and accepts commas', () => {
    const { settings, notices } = parseHash('#v=2&sg=0.3,0.1_0.3&sf=0.4_0.2');
    expect(notices).toEqual([]);
    expect(settings.sweep.gammas).toEqual([0.1, 0.3]);
    expect(settings.sweep.fractions).toEqual([0.2, 0.4]);
  });

  it('clamps out-of-range values and drops non-numbers, saying so', () => {
    const { settings, notices } = parseHash('#v=2&sg=-1_abc_0.2_500&sf=0_1.5_0.3&ss=99');
    expect(settings.sweep.gammas).toEqual([0, 0.2, 100]);
    expect(settings.sweep.fractions).toEqual([0.001, 0.3, 0.999]);
    expect(settings.sweep.seeds).toBe(20);
    const text = notices.join('\n');
    expect(notices).toHaveLength(3);
    expect(text).toMatch(/sweep γc values: .*"abc" is not a number/);
    expect(text).toMatch(/-1 is outside \[0, 100\], set to 0/);
    expect(text).toMatch(/sweep n1\/n values: .*1.5 is outside \[0.001, 0.999\], set to 0.999/);
    expect(text).toMatch(/sweep seeds: 99 is above the maximum 20; set to 20/);
  });

  it('resets an unusable list or view to the default', () => {
    const { settings, notices } = parseHash('#v=2&sg=x_y&sf=&page=grid&ss=0.5');
    expect(settings.sweep.gammas).toEqual(DEFAULT_SETTINGS.sweep.gammas);
    expect(settings.sweep.fractions).toEqual(DEFAULT_SETTINGS.sweep.fractions);
    expect(settings.page).toBe('run');
    expect(settings.sweep.seeds).toBe(1);
    const text = notices.join('\n');
    expect(text).toMatch(/sweep γc values: "x_y" has no usable values; kept 0.1, 0.2/);
    expect(text).toMatch(/sweep n1\/n values: "" has no usable values/);
    expect(text).toMatch(/page view: "grid" is not one of run, sweep/);
  });

  it('keeps at most 12 values in a list', () => {
    const many = Array.from({ length: 15 }, (_, i) => (i + 1) / 100).join('_');
    const { settings, notices } = parseHash(`#v=2&sg=${many}`);
    expect(settings.sweep.gammas).toHaveLength(12);
    expect(notices[0]).toMatch(/more than 12 values/);
  });
});
