import { describe, expect, it } from 'vitest';
import { migrateTags, type StoredUpload } from './local-store';

const entry = (tags: unknown): StoredUpload =>
  ({ sha256: 'a'.repeat(64), fileName: 'f.csv', file: new Blob([]), savedAt: '', tags }) as StoredUpload;

describe('stored tags', () => {
  it('reads the pre-version-2 `wScale` multiplier back as `reg`', () => {
    const old = entry({ tagRule: { kind: 'manual' }, manualBits: 'AQ', wScale: 2.5 });
    expect(migrateTags(old)?.tags).toEqual({ tagRule: { kind: 'manual' }, manualBits: 'AQ', reg: 2.5 });
  });

  it('leaves current entries and entries without tags alone', () => {
    const now = entry({ tagRule: { kind: 'manual' }, manualBits: '', reg: 0.5 });
    expect(migrateTags(now)).toBe(now);
    const bare = entry(undefined);
    expect(migrateTags(bare)).toBe(bare);
    expect(migrateTags(undefined)).toBeUndefined();
  });
});
