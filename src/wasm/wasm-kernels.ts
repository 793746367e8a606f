/**
 * The WebAssembly SIMD row kernels (wasm/row-kernels.ts, compiled into row-kernels.generated.ts).
 * {@link WasmRows} holds some rows of A in an instance's own linear memory (one copy, laid out
 * once) and runs the passes over them; an evaluation copies its d- and n-vectors in and its
 * results out. {@link createWasmRowKernels} gives the RowKernels of src/math/row-kernels.ts over
 * all of A; row shards (src/engine/row-shards.ts) hold one WasmRows each and return per-block
 * partials, which {@link foldBlocks} adds in block order exactly as the kernel does, so sharded
 * and unsharded results are the same bits. Where WebAssembly or its SIMD is missing, or the memory
 * cannot be had, the constructors return null and the caller keeps the TypeScript kernels.
 */
import { REDUCTION_BLOCK_ROWS, type RowKernels } from '../math/row-kernels';
import { ROW_KERNELS_WASM_BASE64 } from './row-kernels.generated';

/** The module's exports (byte offsets into its memory; i32 sizes and flags). */
interface KernelExports {
  memory: WebAssembly.Memory;
  matVec(A: number, n: number, d: number, x: number, u: number): void;
  matTVecs(
    A: number,
    n: number,
    d: number,
    V: number,
    k: number,
    out: number,
    part: number,
    blockRows: number,
    fold: number,
  ): void;
  gramScratchBytes(d: number, k: number, rows: number): number;
  gramAndAtV(
    A: number,
    n: number,
    d: number,
    delta: number,
    V: number,
    k: number,
    G: number,
    out: number,
    scratch: number,
    rows: number,
    blockRows: number,
    fold: number,
  ): void;
}

/** n-vectors one pass takes at most: ∇L's g and the 'separate' reading's five U vectors. */
export const MAX_VECTORS_PER_PASS = 6;
export { REDUCTION_BLOCK_ROWS };
/** WebAssembly pages are 64 KiB; wasm32 memory ends at 4 GiB. */
const PAGE_BYTES = 65536;
const MAX_MEMORY_BYTES = 4 * 1024 ** 3;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly or its SIMD is not available (checked once). */
export function rowKernelsModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (typeof WebAssembly !== 'object') return null;
  const bytes = Uint8Array.from(atob(ROW_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
  // validate() is false where the engine lacks SIMD or bulk memory: feature detection by the
  // module itself. Compiling 2.4 kB synchronously is allowed on every thread.
  try {
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null; // e.g. a Content-Security-Policy without 'wasm-unsafe-eval'
  }
  return compiled;
}

/** Whether the WebAssembly SIMD kernels can run here. */
export function wasmSimdAvailable(): boolean {
  return rowKernelsModule() !== null;
}

/** d rounded up to the Gram's 4×4 tile: the padded Gram is d4×d4. */
export function paddedWidth(d: number): number {
  return Math.ceil(d / 4) * 4;
}

/**
 * Rows per chunk of the Gram pass: a power of two (so it divides {@link REDUCTION_BLOCK_ROWS}) in
 * [16, 256], with the two padded chunks of rows·d4 float64 in about 256 KiB, in the core's L2
 * while every 4×4 tile reads them.
 */
export function gramChunkRows(d: number): number {
  const fit = Math.floor(16384 / paddedWidth(d));
  return Math.max(16, Math.min(256, 2 ** Math.floor(Math.log2(Math.max(1, fit)))));
}

/** Reduction blocks in `rows` rows. */
export function blockCount(rows: number): number {
  return Math.ceil(rows / REDUCTION_BLOCK_ROWS);
}

/**
 * target += each of the `count` consecutive partials of length `len` in `partials`, in order:
 * the same adds, in the same order, as the kernel's fold (IEEE float64 in both).
 */
export function foldBlocks(target: Float64Array, partials: Float64Array, count: number): void {
  const len = target.length;
  for (let b = 0; b < count; b++) {
    const o = b * len;
    for (let j = 0; j < len; j++) target[j] += partials[o + j];
  }
}

/** The d×d Gram, both triangles, from the padded upper-triangular d4×d4 one (exactly symmetric). */
export function gramFromPadded(padded: Float64Array, d: number): Float64Array {
  const d4 = paddedWidth(d);
  const G = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let c = j; c < d; c++) {
      const v = padded[j * d4 + c];
      G[j * d + c] = v;
      G[c * d + j] = v;
    }
  }
  return G;
}

/** A bump allocator over byte offsets, 16-byte aligned for v128 loads. */
class Layout {
  bytes = 16; // offset 0 stays unused
  take(size: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil(size / 16) * 16;
    return at;
  }
}

/**
 * Rows of A (rows×d, row-major) in a WebAssembly instance, with the passes over them. `fold`:
 * true = results summed over the blocks (the whole-A kernels); false = one partial per block of
 * {@link REDUCTION_BLOCK_ROWS} rows (a row shard, whose coordinator folds them).
 */
export class WasmRows {
  private readonly ex: KernelExports;
  private readonly heap: Float64Array;
  private readonly off: Record<'A' | 'delta' | 'x' | 'u' | 'V' | 'out' | 'part' | 'G' | 'scratch', number>;
  private readonly chunkRows: number;
  private readonly blocks: number;
  private disposed = false;

  private constructor(
    module: WebAssembly.Module,
    readonly rows: number,
    readonly d: number,
    readonly fold: boolean,
  ) {
    this.ex = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    this.chunkRows = gramChunkRows(d);
    this.blocks = fold ? 1 : blockCount(rows);
    const k = MAX_VECTORS_PER_PASS;
    const d4 = paddedWidth(d);
    const lay = new Layout();
    this.off = {
      A: lay.take(rows * d * 8),
      delta: lay.take(rows * 8),
      x: lay.take(d * 8),
      u: lay.take(rows * 8),
      V: lay.take(k * rows * 8),
      out: lay.take(this.blocks * k * d * 8),
      part: lay.take(k * d * 8),
      G: lay.take(this.blocks * d4 * d4 * 8),
      scratch: lay.take(this.ex.gramScratchBytes(d, k, this.chunkRows)),
    };
    if (lay.bytes > MAX_MEMORY_BYTES) throw new RangeError('more than 4 GiB of WebAssembly memory');
    this.ex.memory.grow(Math.ceil(lay.bytes / PAGE_BYTES) - this.ex.memory.buffer.byteLength / PAGE_BYTES);
    this.heap = new Float64Array(this.ex.memory.buffer);
  }

  /** The rows' kernels, or null where WebAssembly SIMD is missing or the memory is refused. */
  static create(A: Float64Array, rows: number, d: number, fold: boolean): WasmRows | null {
    const module = rowKernelsModule();
    if (!module) return null;
    try {
      const w = new WasmRows(module, rows, d, fold);
      w.at(w.off.A, rows * d).set(A.subarray(0, rows * d));
      return w;
    } catch {
      return null; // RangeError: the host refused the memory; keep the TypeScript kernels
    }
  }

  private at(offset: number, length: number): Float64Array {
    return this.heap.subarray(offset / 8, offset / 8 + length);
  }

  private live(): void {
    if (this.disposed) throw new Error('WebAssembly row kernels used after dispose()');
  }

  private loadVectors(vs: readonly Float64Array[]): void {
    if (vs.length > MAX_VECTORS_PER_PASS)
      throw new RangeError(`at most ${MAX_VECTORS_PER_PASS} vectors a pass`);
    vs.forEach((v, p) => this.at(this.off.V + p * this.rows * 8, this.rows).set(v));
  }

  /** u = A·x over these rows. */
  matVec(x: Float64Array): Float64Array {
    this.live();
    this.at(this.off.x, this.d).set(x);
    this.ex.matVec(this.off.A, this.rows, this.d, this.off.x, this.off.u);
    return this.at(this.off.u, this.rows).slice();
  }

  /** Aᵀv_p (≤ MAX_VECTORS_PER_PASS vectors): k·d numbers, or blocks·k·d partials when not folding. */
  matTVecs(vs: readonly Float64Array[]): Float64Array {
    this.live();
    this.loadVectors(vs);
    const { A, V, out, part } = this.off;
    this.ex.matTVecs(A, this.rows, this.d, V, vs.length, out, part, REDUCTION_BLOCK_ROWS, this.fold ? 1 : 0);
    return this.at(out, this.blocks * vs.length * this.d).slice();
  }

  /**
   * The padded upper Gram (d4² numbers, or blocks·d4² partials) and Aᵀv_p (k·d, or blocks·k·d),
   * from one pass over the rows.
   */
  gramAndMatTVecs(
    delta: Float64Array,
    vs: readonly Float64Array[],
  ): { gram: Float64Array; atv: Float64Array } {
    this.live();
    this.at(this.off.delta, this.rows).set(delta);
    this.loadVectors(vs);
    const { A, V, out, G, scratch } = this.off;
    const { rows, d, chunkRows } = this;
    this.ex.gramAndAtV(
      A,
      rows,
      d,
      this.off.delta,
      V,
      vs.length,
      G,
      out,
      scratch,
      chunkRows,
      REDUCTION_BLOCK_ROWS,
      this.fold ? 1 : 0,
    );
    const d4 = paddedWidth(d);
    return {
      gram: this.at(G, this.blocks * d4 * d4).slice(),
      atv: this.at(out, this.blocks * vs.length * d).slice(),
    };
  }

  dispose(): void {
    this.disposed = true; // the instance and its memory go with the last reference
  }
}

/** Splits k·d numbers into k d-vectors. */
function splitVectors(flat: Float64Array, k: number, d: number): Float64Array[] {
  return Array.from({ length: k }, (_, p) => flat.slice(p * d, (p + 1) * d));
}

/**
 * The SIMD kernels over all of A (n×d, row-major, copied once into the instance's memory), or
 * null when they cannot run here.
 */
export function createWasmRowKernels(A: Float64Array, n: number, d: number): RowKernels | null {
  const rows = WasmRows.create(A, n, d, true);
  if (!rows) return null;
  const k = MAX_VECTORS_PER_PASS;
  const matTVecs = (vs: readonly Float64Array[]): Float64Array[] => {
    const out: Float64Array[] = [];
    for (let p0 = 0; p0 < vs.length; p0 += k) {
      const group = vs.slice(p0, p0 + k);
      out.push(...splitVectors(rows.matTVecs(group), group.length, d));
    }
    return out;
  };
  return {
    name: 'WebAssembly SIMD',
    matVec: (x) => rows.matVec(x),
    matTVecs,
    gramAndMatTVecs(delta, vs) {
      const first = vs.slice(0, k);
      const { gram, atv } = rows.gramAndMatTVecs(delta, first);
      const all = splitVectors(atv, first.length, d);
      if (vs.length > k) all.push(...matTVecs(vs.slice(k)));
      return { gram: gramFromPadded(gram, d), atv: all };
    },
    dispose: () => rows.dispose(),
  };
}
