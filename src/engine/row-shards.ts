/**
 * Row shards: the data matrix split by rows over workers, each holding its rows once (in its own
 * WebAssembly memory), so the passes over A run in parallel. It is the map-reduce a multi-machine
 * run would do: an evaluation sends x (d numbers) or the n-vectors' segments, and the coordinator
 * concatenates A·x and adds the partial Aᵀv and Grams.
 *
 * Shards hold whole reduction blocks (REDUCTION_BLOCK_ROWS rows) and return one partial per block;
 * the coordinator adds them in block order, the same adds the single-instance kernel does, so the
 * results are the same bits for any number of shards (src/engine/row-shards.test.ts).
 *
 * The transport is a {@link ShardPort}: a Web Worker in the browser (app/worker/row-shard.worker.ts),
 * a worker_threads Worker in Node (src/engine/node-shard-port.ts), or {@link inProcessShardPort}
 * (the coordinator's own thread, used for one of the shards so it is not idle while it waits).
 */
import type { AsyncRowKernels } from '../math/row-kernels';
import {
  blockCount,
  foldBlocks,
  gramFromPadded,
  MAX_VECTORS_PER_PASS,
  paddedWidth,
  REDUCTION_BLOCK_ROWS,
  wasmSimdAvailable,
  WasmRows,
} from '../wasm/wasm-kernels';

/** What a shard is asked: its rows once, then passes over them. */
export type ShardRequest =
  | { type: 'init'; A: Float64Array; rows: number; d: number }
  | { type: 'matVec'; x: Float64Array }
  | { type: 'matTVecs'; vs: Float64Array[] }
  | { type: 'gram'; delta: Float64Array; vs: Float64Array[] };

/** What a shard answers (an error is a message, never a thrown object across the port). */
export type ShardReply =
  | { type: 'ready' }
  | { type: 'u'; u: Float64Array }
  | { type: 'atv'; partials: Float64Array }
  | { type: 'gram'; gram: Float64Array; atv: Float64Array }
  | { type: 'error'; message: string };

/** One shard's transport: a request gets exactly one reply, in order. */
export interface ShardPort {
  request(message: ShardRequest, transfer: Transferable[]): Promise<ShardReply>;
  close(): void;
}

/**
 * A port over a message channel (a Web Worker or a worker thread): requests are answered in
 * order, so each reply settles the oldest pending request. Once the channel fails or is closed
 * the port is dead: pending requests and every later one reject with the reason (a terminated
 * browser worker sends no event, so closing must fail them here).
 */
export function queuedPort(
  post: (message: ShardRequest, transfer: Transferable[]) => void,
  terminate: () => void,
) {
  const pending: Array<{ resolve: (r: ShardReply) => void; reject: (e: Error) => void }> = [];
  let dead: Error | null = null;
  const fail = (error: Error): void => {
    dead ??= error;
    pending.splice(0).forEach((p) => p.reject(dead!));
  };
  const port: ShardPort = {
    request(message, transfer) {
      if (dead) return Promise.reject(dead);
      try {
        // Posted first: a message that cannot be sent leaves no reply slot behind.
        post(message, transfer);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
      return new Promise<ShardReply>((resolve, reject) => pending.push({ resolve, reject }));
    },
    close() {
      fail(new Error('row shard closed'));
      terminate();
    },
  };
  return {
    port,
    /** A reply arrived: it answers the oldest pending request. */
    settle: (reply: ShardReply) => pending.shift()?.resolve(reply),
    /** The channel failed: this request and every later one reject. */
    fail,
  };
}

/** A shard's state and its answer to each request: the same code behind every transport. */
export function createShardHandler(): (message: ShardRequest) => {
  reply: ShardReply;
  transfer: Transferable[];
} {
  let rows: WasmRows | null = null;
  return (message) => {
    try {
      if (message.type === 'init') {
        rows?.dispose();
        rows = WasmRows.create(message.A, message.rows, message.d, false);
        if (!rows) {
          throw new Error(
            wasmSimdAvailable()
              ? `no memory for ${message.rows} rows × ${message.d} (WebAssembly memory refused)`
              : 'WebAssembly SIMD is not available in this shard',
          );
        }
        return { reply: { type: 'ready' }, transfer: [] };
      }
      if (!rows) throw new Error('shard used before init');
      if (message.type === 'matVec') {
        const u = rows.matVec(message.x);
        return { reply: { type: 'u', u }, transfer: [u.buffer] };
      }
      if (message.type === 'matTVecs') {
        const partials = rows.matTVecs(message.vs);
        return { reply: { type: 'atv', partials }, transfer: [partials.buffer] };
      }
      const { gram, atv } = rows.gramAndMatTVecs(message.delta, message.vs);
      return { reply: { type: 'gram', gram, atv }, transfer: [gram.buffer, atv.buffer] };
    } catch (e) {
      return { reply: { type: 'error', message: e instanceof Error ? e.message : String(e) }, transfer: [] };
    }
  };
}

/** A shard run on the calling thread (synchronously, when the request is made). */
export function inProcessShardPort(): ShardPort {
  const handle = createShardHandler();
  return {
    request: (message) => Promise.resolve(handle(message).reply),
    close: () => {},
  };
}

/** Rows [start, end) of each of `shards` shards: contiguous runs of whole blocks, balanced. */
export function shardRanges(n: number, shards: number): Array<[number, number]> {
  const blocks = blockCount(n);
  const count = Math.max(1, Math.min(shards, blocks));
  return Array.from({ length: count }, (_, s) => {
    const b0 = Math.floor((s * blocks) / count);
    const b1 = Math.floor(((s + 1) * blocks) / count);
    return [b0 * REDUCTION_BLOCK_ROWS, Math.min(n, b1 * REDUCTION_BLOCK_ROWS)] as [number, number];
  });
}

/** The most shards worth having: one per core, at most 8 (each holds a share of A). */
export const MAX_SHARDS = 8;

/** Shards for a machine with `cores` logical cores: all of them, capped (the coordinator is one). */
export function defaultShardCount(cores: number | undefined): number {
  return Math.max(1, Math.min(MAX_SHARDS, Math.floor(cores ?? 1)));
}

class ShardError extends Error {
  constructor(message: string) {
    super(`row shard: ${message}`);
    this.name = 'ShardError';
  }
}

function expectReply<T extends ShardReply['type']>(
  reply: ShardReply,
  type: T,
): Extract<ShardReply, { type: T }> {
  if (reply.type === 'error') throw new ShardError(reply.message);
  if (reply.type !== type) throw new ShardError(`expected a '${type}' reply, got '${reply.type}'`);
  return reply as Extract<ShardReply, { type: T }>;
}

/**
 * The RowKernels contract over row shards. Shard 0 runs on the coordinator's thread (the others
 * compute meanwhile); `spawn(s)` makes the port of shard s ≥ 1. Resolves to null where
 * WebAssembly SIMD is missing (the caller keeps its single-thread kernels).
 */
export async function createShardedRowKernels(
  A: Float64Array,
  n: number,
  d: number,
  shards: number,
  spawn: (index: number) => ShardPort,
): Promise<AsyncRowKernels | null> {
  if (!wasmSimdAvailable()) return null;
  const ranges = shardRanges(n, shards);
  const ports = ranges.map((_, s) => (s === 0 ? inProcessShardPort() : spawn(s)));
  const d4 = paddedWidth(d);
  let closed = false;

  /** Sends each shard its request (workers first, so they start before the local one runs). */
  const all = (make: (range: [number, number]) => { message: ShardRequest; transfer: Transferable[] }) => {
    if (closed) return Promise.reject(new ShardError('used after dispose()'));
    const order = ranges.map((_, s) => s).reverse();
    const replies: Array<Promise<ShardReply>> = new Array(ranges.length);
    for (const s of order) {
      const { message, transfer } = make(ranges[s]);
      replies[s] = ports[s].request(message, transfer);
    }
    return Promise.all(replies);
  };
  /** The segment of an n-vector a shard needs, as its own buffer (so it can be transferred). */
  const segment = (v: Float64Array, [r0, r1]: [number, number]) => v.slice(r0, r1);

  try {
    const ready = await all((range) => {
      const A_s = A.slice(range[0] * d, range[1] * d);
      return { message: { type: 'init', A: A_s, rows: range[1] - range[0], d }, transfer: [A_s.buffer] };
    });
    ready.forEach((r) => expectReply(r, 'ready'));
  } catch (e) {
    ports.forEach((p) => p.close());
    throw e;
  }

  /** Aᵀv_p for ≤ MAX_VECTORS_PER_PASS vectors, folded over every shard's blocks in order. */
  const matTVecGroup = async (vs: readonly Float64Array[]): Promise<Float64Array[]> => {
    const replies = await all((range) => {
      const segs = vs.map((v) => segment(v, range));
      return { message: { type: 'matTVecs', vs: segs }, transfer: segs.map((s) => s.buffer) };
    });
    const total = new Float64Array(vs.length * d);
    replies.forEach((r, s) =>
      foldBlocks(total, expectReply(r, 'atv').partials, blockCount(ranges[s][1] - ranges[s][0])),
    );
    return Array.from({ length: vs.length }, (_, p) => total.slice(p * d, (p + 1) * d));
  };
  const matTVecs = async (vs: readonly Float64Array[]): Promise<Float64Array[]> => {
    const out: Float64Array[] = [];
    for (let p0 = 0; p0 < vs.length; p0 += MAX_VECTORS_PER_PASS) {
      out.push(...(await matTVecGroup(vs.slice(p0, p0 + MAX_VECTORS_PER_PASS))));
    }
    return out;
  };

  return {
    name: `WebAssembly SIMD × ${ranges.length} row shards`,
    async matVec(x) {
      const replies = await all(() => {
        const copy = x.slice();
        return { message: { type: 'matVec', x: copy }, transfer: [copy.buffer] };
      });
      const u = new Float64Array(n);
      replies.forEach((r, s) => u.set(expectReply(r, 'u').u, ranges[s][0]));
      return u;
    },
    matTVecs,
    async gramAndMatTVecs(delta, vs) {
      const first = vs.slice(0, MAX_VECTORS_PER_PASS);
      const replies = await all((range) => {
        const dSeg = segment(delta, range);
        const segs = first.map((v) => segment(v, range));
        return {
          message: { type: 'gram', delta: dSeg, vs: segs },
          transfer: [dSeg.buffer, ...segs.map((s) => s.buffer)],
        };
      });
      const gram = new Float64Array(d4 * d4);
      const atvFlat = new Float64Array(first.length * d);
      replies.forEach((r, s) => {
        const reply = expectReply(r, 'gram');
        const blocks = blockCount(ranges[s][1] - ranges[s][0]);
        foldBlocks(gram, reply.gram, blocks);
        foldBlocks(atvFlat, reply.atv, blocks);
      });
      const atv: Float64Array[] = Array.from({ length: first.length }, (_, p) =>
        atvFlat.slice(p * d, (p + 1) * d),
      );
      if (vs.length > first.length) atv.push(...(await matTVecs(vs.slice(first.length))));
      return { gram: gramFromPadded(gram, d), atv };
    },
    dispose() {
      closed = true;
      ports.forEach((p) => p.close());
    },
  };
}
