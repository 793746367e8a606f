import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, cloneSettings } from '../store/settings';
import { runConfigs, solverOptionsFrom, startPoint } from './run-config';

describe('run configuration', () => {
  it('adds the γc = 0 twin over the same tags when asked', () => {
    const mask = new Uint8Array([1, 0, 1]);
    const s = cloneSettings(DEFAULT_SETTINGS);
    const [run, twin] = runConfigs(s, mask);
    expect(run).toEqual({ gammaC: s.gammaC, mask, reading: 'global' });
    expect(twin).toEqual({ gammaC: 0, mask, reading: 'global' });
    s.twin = false;
    expect(runConfigs(s, mask)).toHaveLength(1);
  });

  it("runs another method with its strength and the τ target, against the plain fit's twin", () => {
    const mask = new Uint8Array([1, 0, 1]);
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.method = 'tau-target';
    s.gammaC = 1e4;
    s.tauTarget = 0.03;
    const [run, twin] = runConfigs(s, mask);
    expect(run).toEqual({ gammaC: 1e4, mask, reading: 'global', method: 'tau-target', tauTarget: 0.03 });
    expect(twin).toEqual({ gammaC: 0, mask, reading: 'global' });
    s.method = 'reweight';
    expect(runConfigs(s, mask)[0]).toEqual({ gammaC: 1e4, mask, reading: 'global', method: 'reweight' });
  });

  it('passes only the options the solver should not default', () => {
    const s = cloneSettings(DEFAULT_SETTINGS);
    expect(solverOptionsFrom(s)).toEqual({ solver: 'newton', maxIter: 100, tol: 1e-8, seed: 1 });
    s.solver = 'gd';
    s.gdStep = 0.5;
    expect(solverOptionsFrom(s).gdStep).toBe(0.5);
    s.gdStep = 0;
    expect(solverOptionsFrom(s)).not.toHaveProperty('gdStep');
  });

  it('starts at 0 or at a seeded, reproducible point', () => {
    expect(Array.from(startPoint(3, 0))).toEqual([0, 0, 0]);
    expect(Array.from(startPoint(3, 7))).toEqual(Array.from(startPoint(3, 7)));
    expect(startPoint(3, 7).some((v) => v !== 0)).toBe(true);
  });
});
