/**
 * Row shards: the same bits as the single-instance WebAssembly kernels for any number of shards
 * (they hold whole reduction blocks and the coordinator adds the block partials in order), on odd
 * sizes, in-process and in real worker threads; and a CpuEngine on shards evaluates and solves
 * exactly as one without.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../data/prng';
import { randomProblem, splitProblem } from '../testing/random-problem';
import { solve } from '../solve/solvers';
import { createWasmRowKernels, REDUCTION_BLOCK_ROWS } from '../wasm/wasm-kernels';
import { CpuEngine } from './cpu-engine';
import { nodeShardPort } from './node-shard-port';
import {
  createShardedRowKernels,
  createShardHandler,
  defaultShardCount,
  inProcessShardPort,
  queuedPort,
  shardRanges,
  type ShardPort,
} from './row-shards';

function randomArray(seed: number, length: number): Float64Array {
  const rng = createRng(seed, 5);
  return Float64Array.from({ length }, () => 2 * rng.next() - 1);
}

/** Bit-for-bit equality (Object.is: also tells −0 from +0). */
function expectSameBits(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (!Object.is(got[i], want[i])) throw new Error(`entry ${i}: ${got[i]} ≠ ${want[i]}`);
  }
}

const B = REDUCTION_BLOCK_ROWS;
const opened: Array<{ dispose(): void }> = [];
afterAll(() => opened.forEach((k) => k.dispose()));

describe('row shards', () => {
  it('split the rows into contiguous runs of whole blocks, covering every row once', () => {
    for (const n of [1, B - 1, B, B + 1, 3 * B + 17, 10 * B]) {
      for (const shards of [1, 2, 3, 5]) {
        const ranges = shardRanges(n, shards);
        expect(ranges.length).toBe(Math.min(shards, Math.ceil(n / B)));
        expect(ranges[0][0]).toBe(0);
        expect(ranges[ranges.length - 1][1]).toBe(n);
        ranges.forEach(([r0, r1], s) => {
          expect(r0 % B).toBe(0);
          expect(r1).toBeGreaterThan(r0);
          if (s > 0) expect(r0).toBe(ranges[s - 1][1]);
        });
      }
    }
    expect(defaultShardCount(2)).toBe(2);
    expect(defaultShardCount(64)).toBe(8);
    expect(defaultShardCount(undefined)).toBe(1);
  });

  for (const [n, d] of [
    [2 * B + 37, 5],
    [3 * B + 1, 12],
    [4 * B, 33],
  ] as const) {
    it(`1, 2 and 3 in-process shards give the single kernels' bits, n = ${n}, d = ${d}`, async () => {
      const A = randomArray(n + d, n * d);
      const one = createWasmRowKernels(A, n, d)!;
      const x = randomArray(1, d);
      const delta = randomArray(2, n).map((v, i) => (i % 7 === 0 ? 0 : v));
      const vs = [randomArray(3, n), randomArray(4, n), randomArray(5, n)];
      const many = Array.from({ length: 7 }, (_, p) => randomArray(10 + p, n));
      for (const shards of [1, 2, 3]) {
        const k = (await createShardedRowKernels(A, n, d, shards, () => inProcessShardPort()))!;
        opened.push(k);
        expectSameBits(await k.matVec(x), one.matVec(x));
        const got = await k.gramAndMatTVecs(delta, vs);
        const want = one.gramAndMatTVecs(delta, vs);
        expectSameBits(got.gram, want.gram);
        got.atv.forEach((a, p) => expectSameBits(a, want.atv[p]));
        // More vectors than one pass takes (7 > 6): the rest go through matTVecs, still the same bits.
        const gotMany = await k.matTVecs(many);
        one.matTVecs(many).forEach((a, p) => expectSameBits(gotMany[p], a));
      }
    });
  }

  it('in worker threads, 3 shards give the same bits as one instance', async () => {
    const n = 3 * B + 100;
    const d = 17;
    const A = randomArray(9, n * d);
    const one = createWasmRowKernels(A, n, d)!;
    const k = (await createShardedRowKernels(A, n, d, 3, () => nodeShardPort()))!;
    opened.push(k);
    expect(k.name).toBe('WebAssembly SIMD × 3 row shards');
    const x = randomArray(1, d);
    expectSameBits(await k.matVec(x), one.matVec(x));
    const delta = randomArray(2, n);
    const v = randomArray(3, n);
    const got = await k.gramAndMatTVecs(delta, [v]);
    const want = one.gramAndMatTVecs(delta, [v]);
    expectSameBits(got.gram, want.gram);
    expectSameBits(got.atv[0], want.atv[0]);
  }, 60_000);

  it('a shard that fails answers with its message, and the pass rejects with it', async () => {
    const failing: ShardPort = {
      request: (message) => {
        const handle = createShardHandler();
        // A pass before init: the handler's own error, sent back as a reply.
        return Promise.resolve(
          handle(message.type === 'init' ? { ...message, type: 'matVec', x: new Float64Array(1) } : message)
            .reply,
        );
      },
      close: () => {},
    };
    await expect(
      createShardedRowKernels(new Float64Array(2 * B * 2), 2 * B, 2, 2, () => failing),
    ).rejects.toThrow(/row shard: shard used before init/);
  });

  it('a closed or failed port rejects what is pending and every later request (no run waits forever)', async () => {
    const posted: unknown[] = [];
    const { port, settle } = queuedPort(
      (m) => posted.push(m),
      () => {},
    );
    const first = port.request({ type: 'matVec', x: new Float64Array(1) }, []);
    settle({ type: 'u', u: new Float64Array(1) });
    expect((await first).type).toBe('u');
    const pending = port.request({ type: 'matVec', x: new Float64Array(1) }, []);
    port.close();
    await expect(pending).rejects.toThrow(/closed/);
    await expect(port.request({ type: 'matVec', x: new Float64Array(1) }, [])).rejects.toThrow(/closed/);
    expect(posted).toHaveLength(2); // nothing is posted to a dead port
    // A message that cannot be posted rejects and leaves no reply slot for the next reply to fill.
    const broken = queuedPort(
      () => {
        throw new Error('DataCloneError');
      },
      () => {},
    );
    await expect(broken.port.request({ type: 'matVec', x: new Float64Array(1) }, [])).rejects.toThrow(
      /DataClone/,
    );
    broken.fail(new Error('worker failed'));
    await expect(broken.port.request({ type: 'matVec', x: new Float64Array(1) }, [])).rejects.toThrow(
      /worker failed/,
    );
  });

  it('a disposed CpuEngine refuses work instead of rebuilding its kernels or shards', async () => {
    const p = randomProblem({ n: 2 * B + 10, d: 3, n1: 20, gammaC: 0.1, seed: 2 });
    const { dataset, config } = splitProblem(p);
    let spawned = 0;
    const engine = new CpuEngine(dataset, {
      shards: {
        count: 2,
        spawn: () => {
          spawned++;
          return inProcessShardPort();
        },
      },
    });
    await engine.evaluate([{ x: new Float64Array(3), config }]);
    expect(spawned).toBe(1);
    engine.dispose();
    await expect(engine.evaluate([{ x: new Float64Array(3), config }])).rejects.toThrow(/after dispose/);
    expect(spawned).toBe(1);
    expect(engine.description).toBe('CPU float64 (WebAssembly SIMD × 2 row shards)');
  });

  it('a CpuEngine on shards evaluates (∇L, ∇²L, H·v; both readings) and solves with the same bits as one without', async () => {
    for (const reading of ['global', 'separate'] as const) {
      const p = randomProblem({ n: 2 * B + 300, d: 6, n1: 400, gammaC: 0.1, reading, seed: 4 });
      const { dataset, config } = splitProblem(p);
      const plain = new CpuEngine(dataset);
      const sharded = new CpuEngine(dataset, { shards: { count: 3, spawn: () => inProcessShardPort() } });
      opened.push(plain, sharded);
      const x = randomArray(7, 6).map((v) => 0.2 * v);
      const req = [{ x, config }];
      const [a] = await plain.evaluate(req, { hessian: 'exact' });
      const [b] = await sharded.evaluate(req, { hessian: 'exact' });
      expect(sharded.description).toBe('CPU float64 (WebAssembly SIMD × 3 row shards)');
      expect(b.L).toBe(a.L);
      expectSameBits(b.grad!, a.grad!);
      expectSameBits(b.hessian!, a.hessian!);
      const v = randomArray(8, 6);
      expectSameBits(
        (await sharded.hessianVectorProducts(req, [v]))[0],
        (await plain.hessianVectorProducts(req, [v]))[0],
      );
      const r1 = await solve(plain, config, new Float64Array(6), { solver: 'newton', tol: 1e-10 });
      const r2 = await solve(sharded, config, new Float64Array(6), { solver: 'newton', tol: 1e-10 });
      expect(r2.iterations).toBe(r1.iterations);
      expect(r2.status).toBe(r1.status);
      expectSameBits(r2.x, r1.x);
    }
  });
});
