import { describe, expect, it } from 'vitest';
import { generate } from '../../src/data/generators';
import { DATA_LIMITS } from '../../src/data/limits';
import { useAppStore } from '../store/app-store';
import { DEFAULT_SETTINGS, cloneSettings } from '../store/settings';
import { loadCsvFile, parseProgress } from './data-controller';
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

  it('places reading in the first fifth of the bar and parsing in the rest', () => {
    expect(parseProgress('reading', 0)).toEqual({ label: 'Reading the file…', progress: 0 });
    expect(parseProgress('reading', 1)).toEqual({ label: 'Reading the file…', progress: 0.2 });
    const half = parseProgress('parsing', 0.5);
    expect(half.label).toBe('Parsing the CSV…');
    expect(half.progress).toBeCloseTo(0.6, 12);
    expect(parseProgress('parsing', 1).progress).toBe(1);
    expect(parseProgress('parsing', 7).progress).toBe(1);
  });
});

describe('loadCsvFile', () => {
  /** A file that says it has `bytes` bytes without holding them (File.size is all that is read). */
  const fileOfSize = (name: string, bytes: number): File => {
    const file = new File(['x,b\n1,1\n2,1\n'], name, { type: 'text/csv' });
    Object.defineProperty(file, 'size', { value: bytes });
    return file;
  };

  it('refuses a file over the size limit from its size alone, keeping the data', () => {
    const g = generate({ ...generatorSpec(DEFAULT_SETTINGS), n: 20, d: 3 });
    const store = useAppStore.getState();
    store.setData({
      dataset: g.dataset,
      baseW: g.dataset.w,
      featureNames: g.featureNames,
      clusters: null,
      origin: { kind: 'generated', spec: { ...store.settings.gen } },
    });
    const before = useAppStore.getState().dataset;

    // No Worker exists under Node: reaching the worker would throw, so returning proves nothing
    // was sent or read.
    loadCsvFile(fileOfSize('huge.csv', DATA_LIMITS.fileBytesMax + 1));
    const after = useAppStore.getState();
    expect(after.dataError).toBe(
      'huge.csv: the file is 268,435,457 bytes, more than the limit of 268,435,456 bytes (256 MiB)',
    );
    expect(after.dataset).toBe(before);
    expect(after.loading.busy).toBe(false);

    loadCsvFile(fileOfSize('huge.csv', 300 * 1024 * 1024));
    expect(useAppStore.getState().dataError).toBe(
      'huge.csv: the file is 300 MiB, more than the limit of 256 MiB',
    );
  });

  it('quotes a very long file name at most ECHO_CHARS_MAX characters', () => {
    loadCsvFile(fileOfSize(`${'n'.repeat(100_000)}.csv`, 1e9));
    const message = useAppStore.getState().dataError ?? '';
    expect(message.length).toBeLessThan(200);
    expect(message).toContain('(100,004 characters): the file is 954 MiB');
  });
});
