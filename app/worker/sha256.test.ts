import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256Pure } from './sha256';

describe('sha256', () => {
  it('matches node:crypto for several lengths, with and without Web Crypto', async () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 1000]) {
      const bytes = new Uint8Array(len).map((_, i) => (i * 31 + 7) & 255);
      const want = createHash('sha256').update(bytes).digest('hex');
      expect(Buffer.from(sha256Pure(bytes)).toString('hex')).toBe(want);
      expect(await sha256Hex(bytes)).toBe(want);
    }
  });
});
