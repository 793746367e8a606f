import { describe, expect, it } from 'vitest';
import { encodeMaskBitset } from '../../src/data/tagging';
import { DEFAULT_SETTINGS, cloneSettings } from './settings';
import { parseHash, serializeSettings } from './url-codec';

describe('url codec', () => {
  it('gives the defaults and no notices for an empty hash', () => {
    expect(parseHash('')).toEqual({ settings: DEFAULT_SETTINGS, notices: [] });
  });

  it('round-trips every kind of setting', () => {
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.gen = { kind: 'clusters', n: 321, d: 5, noise: 0.25, seed: 77, xScale: 1.5, clusters: 4, spread: 2.5 };
    s.tagRule = { kind: 'cluster', clusters: [1, 3] };
    s.gammaC = 0.0123456789;
    s.reading = 'separate';
    s.reg = 0.05;
    s.solver = 'gd';
    s.gdStep = 0.5;
    s.tol = 1e-7;
    s.maxIter = 999;
    s.x0Seed = 5;
    s.twin = false;
    s.backend = 'cpu';
    s.rowsView = 'projection';
    const back = parseHash('#' + serializeSettings(s));
    expect(back.notices).toEqual([]);
    expect(back.settings).toEqual(s);
  });

  it('round-trips manual tags and CSV sources', () => {
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.source = 'csv';
    s.csvHash = 'a'.repeat(64);
    s.tagRule = { kind: 'manual' };
    s.manualBits = encodeMaskBitset(new Uint8Array([1, 0, 1, 1, 0, 0, 0, 0, 1]));
    const back = parseHash(serializeSettings(s));
    expect(back.settings).toEqual(s);
    // Generated-data parameters are not written for CSV data.
    expect(serializeSettings(s)).not.toContain('seed=');
  });

  it('clamps out-of-range values and says what changed', () => {
    const { settings, notices } = parseHash('#v=2&n=1000000&g=-3&it=2.6&frac=1.5');
    expect(settings.gen.n).toBe(50_000);
    expect(settings.gammaC).toBe(0);
    expect(settings.maxIter).toBe(3);
    // Defect 4 (issue 9): n1/n is clamped into the range the run accepts, one row on each side,
    // not to 1 (every row tagged, and Play then fails).
    expect(settings.tagRule).toEqual({ kind: 'random', fraction: 0.999, seed: 1 });
    expect(notices).toHaveLength(4);
    expect(notices.join('\n')).toMatch(/n1\/n: 1.5 is above the maximum 0.999; set to 0.999/);
    expect(notices[0]).toMatch(/rows n: 1000000 is above the maximum 50000; set to 50000/);
  });

  it('resets malformed values and reports unknown keys and versions', () => {
    const { settings, notices } = parseHash('#v=7&g=abc&solver=bfgs&foo=1&sha=xyz&src=csv');
    expect(settings.gammaC).toBe(DEFAULT_SETTINGS.gammaC);
    expect(settings.solver).toBe('newton');
    expect(settings.source).toBe('generate');
    expect(notices.join('\n')).toMatch(/version 7/);
    expect(notices.join('\n')).toMatch(/unknown setting "foo"/);
    expect(notices.join('\n')).toMatch(/γc: "abc" is not a number/);
    expect(notices.join('\n')).toMatch(/solver: "bfgs"/);
    expect(notices.join('\n')).toMatch(/without its SHA-256/);
  });

  it('migrates a version-1 link to the same objective, with a notice', () => {
    // v1: w_i = w·u_i (w = 0.1 absolute); v2: w_i = ρ·u_i/n, so ρ = w·n keeps every w_i.
    const { settings, notices } = parseHash('#v=1&n=200&d=10&seed=1&frac=0.2&tseed=1&g=0.1&w=0.1');
    expect(settings.reg).toBeCloseTo(20, 12);
    expect(settings.tagRule).toEqual({ kind: 'random', fraction: 0.2, seed: 1 });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/version 1.*w = 0.1 at n = 200 is now ρ = 20/);
    // A v1 link without w or frac used v1's defaults (w = 0.1, n1/n = 0.2).
    const bare = parseHash('#v=1&n=500');
    expect(bare.settings.reg).toBeCloseTo(50, 12);
    expect(bare.settings.tagRule).toEqual({ kind: 'random', fraction: 0.2, seed: 1 });
    // For an uploaded CSV, w was (and ρ is) a multiplier of the file's w column.
    // A bad v1 w is reset to v1's default with its own notice, then migrated.
    const bad = parseHash('#v=1&n=100&w=abc');
    expect(bad.settings.reg).toBeCloseTo(10, 12);
    expect(bad.notices.join('\n')).toMatch(/regularisation w \(version 1\): "abc" is not a number/);
    const csv = parseHash(`#v=1&src=csv&sha=${'b'.repeat(64)}&w=2`);
    expect(csv.settings.reg).toBe(2);
    expect(csv.notices[0]).toMatch(/version 1/);
  });

  it('round-trips the playback speed, and clamps it', () => {
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.speed = 0;
    expect(parseHash(serializeSettings(s)).settings.speed).toBe(0);
    const { settings, notices } = parseHash('#v=2&speed=500');
    expect(settings.speed).toBe(60);
    expect(notices[0]).toMatch(/playback speed/);
  });

  it('lets ?backend= in the query force a backend', () => {
    expect(parseHash('#v=2', '?backend=cpu').settings.backend).toBe('cpu');
    expect(parseHash('#v=2&backend=gpu').settings.backend).toBe('gpu');
    expect(parseHash('', '?backend=tpu').notices[0]).toMatch(/backend/);
  });
});
