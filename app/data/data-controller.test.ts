import { describe, expect, it } from 'vitest';
import { generate } from '../../src/data/generators';
import { DEFAULT_SETTINGS, cloneSettings } from '../store/settings';
import { generatorSpec, scaledDataset } from './generator-spec';

describe('data controller helpers', () => {
  it('draws w at scale 1 and scales it exactly like the generator (so the CLI agrees bit for bit)', () => {
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.gen = { ...s.gen, n: 30, d: 3, seed: 9 };
    const base = generate(generatorSpec(s));
    const scaled = scaledDataset(base.dataset, base.dataset.w, 0.1);
    const direct = generate({ ...generatorSpec(s), reg: 0.1 });
    expect(Array.from(scaled.w)).toEqual(Array.from(direct.dataset.w));
    expect(scaled.A).toBe(base.dataset.A);
  });

  it('caps the cluster count at n', () => {
    const s = cloneSettings(DEFAULT_SETTINGS);
    s.gen = { ...s.gen, kind: 'clusters', n: 3, clusters: 8 };
    expect(generatorSpec(s)).toMatchObject({ kind: 'clusters', clusters: 3 });
  });
});
