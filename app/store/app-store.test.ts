import { describe, expect, it } from 'vitest';
import { encodeMaskBitset } from '../../src/data/tagging';
import type { Dataset } from '../../src/math/types';
import { createAppStore } from './app-store';
import { DEFAULT_SETTINGS, cloneSettings } from './settings';

function dataset(n: number): Dataset {
  return { n, d: 1, A: new Float64Array(n), b: new Float64Array(n).fill(1 / n), w: new Float64Array(n) };
}

const generated = { kind: 'generated' as const, spec: DEFAULT_SETTINGS.gen };

describe('app store', () => {
  it('hand tagging switches to manual tags and keeps the bitset in the settings', () => {
    const none = cloneSettings(DEFAULT_SETTINGS);
    none.tagRule = { kind: 'first', k: 0 };
    const store = createAppStore(none);
    store.getState().setData({
      dataset: dataset(10),
      baseW: new Float64Array(10),
      featureNames: ['x1'],
      clusters: null,
      origin: generated,
    });
    store.getState().setRowTags([1, 2, 3], true);
    store.getState().toggleRow(2);
    const s = store.getState();
    expect(Array.from(s.mask)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(s.n1).toBe(2);
    expect(s.settings.tagRule).toEqual({ kind: 'manual' });
    expect(s.settings.manualBits).toBe(encodeMaskBitset(s.mask));
  });

  it('new data decodes manual tags from a link, or says why it cannot', () => {
    const settings = cloneSettings(DEFAULT_SETTINGS);
    settings.tagRule = { kind: 'manual' };
    settings.manualBits = encodeMaskBitset(new Uint8Array([1, 0, 0, 1, 0, 0, 0, 0]));
    const store = createAppStore(settings);
    store.getState().setData({
      dataset: dataset(8),
      baseW: new Float64Array(8),
      featureNames: ['x1'],
      clusters: null,
      origin: generated,
    });
    expect(store.getState().n1).toBe(2);
    expect(store.getState().linkNotices).toEqual([]);

    const wrong = createAppStore(settings);
    wrong.getState().setData({
      dataset: dataset(100),
      baseW: new Float64Array(100),
      featureNames: ['x1'],
      clusters: null,
      origin: generated,
    });
    expect(wrong.getState().n1).toBe(0);
    expect(wrong.getState().linkNotices[0]).toMatch(/manual tags in the link were not used/);
    // The rejected bitset is dropped from the settings, so the rewritten link does not carry it.
    expect(wrong.getState().settings.manualBits).toBe('');
  });

  it('new data comes with the rule tags in the same update (never an empty or stale mask)', () => {
    const store = createAppStore();
    const seen: number[] = [];
    store.subscribe((state) => {
      if (state.dataset) seen.push(state.n1);
    });
    store.getState().setData({
      dataset: dataset(200),
      baseW: new Float64Array(200),
      featureNames: ['x1'],
      clusters: null,
      origin: generated,
    });
    // The default rule tags round(0.1 · 200) = 20 rows; no update showed the data without them.
    expect(seen).toEqual([20]);
  });

  it('a CSV copyright column becomes the manual tags', () => {
    const settings = cloneSettings(DEFAULT_SETTINGS);
    settings.tagRule = { kind: 'manual' };
    const store = createAppStore(settings);
    const csvMask = new Uint8Array([0, 1, 1, 0]);
    store.getState().setData({
      dataset: dataset(4),
      baseW: new Float64Array(4),
      featureNames: ['x1'],
      clusters: null,
      origin: { kind: 'csv', fileName: 'a.csv', sha256: 'f'.repeat(64), notices: [] },
      csvMask,
    });
    expect(store.getState().n1).toBe(2);
    expect(store.getState().settings.manualBits).toBe(encodeMaskBitset(csvMask));
  });

  it('a data error keeps the previous data', () => {
    const store = createAppStore();
    const ds = dataset(5);
    store.getState().setData({
      dataset: ds,
      baseW: new Float64Array(5),
      featureNames: ['x1'],
      clusters: null,
      origin: generated,
    });
    store.getState().setDataError('line 3, column 2 ("b"): not a number');
    expect(store.getState().dataset).toBe(ds);
    expect(store.getState().dataError).toMatch(/line 3, column 2/);
  });
});
