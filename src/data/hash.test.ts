import { describe, expect, it } from 'vitest';
import type { Dataset } from '../math/types';
import { datasetHash, sha256Hex } from './hash';

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vectors', async () => {
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('hashes bytes the same as the string they encode (UTF-8)', async () => {
    expect(await sha256Hex(Uint8Array.from([0x61, 0x62, 0x63]))).toBe(await sha256Hex('abc'));
    expect(await sha256Hex(Uint8Array.from([0xc3, 0xa9]))).toBe(await sha256Hex('é'));
  });
});

describe('datasetHash', () => {
  const ds: Dataset = {
    n: 2,
    d: 1,
    A: Float64Array.from([1, -2]),
    b: Float64Array.from([0.25, 0.75]),
    w: Float64Array.from([0, 0.5]),
  };

  it('hashes the documented byte layout', async () => {
    const bytes = new Uint8Array(7 + 8 + 8 * 6);
    bytes.set([...'crdata1'].map((c) => c.charCodeAt(0)));
    const view = new DataView(bytes.buffer);
    view.setUint32(7, 2, true);
    view.setUint32(11, 1, true);
    [1, -2, 0.25, 0.75, 0, 0.5].forEach((v, k) => view.setFloat64(15 + 8 * k, v, true));
    expect(await datasetHash(ds)).toBe(await sha256Hex(bytes));
  });

  it('changes when any number changes by one ulp', async () => {
    const h = await datasetHash(ds);
    const w = Float64Array.from(ds.w);
    w[1] = 0.5000000000000001;
    expect(await datasetHash({ ...ds, w })).not.toBe(h);
    expect(await datasetHash({ ...ds })).toBe(h);
  });
});
