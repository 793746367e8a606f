// Float64 row kernels for the CPU engine, in AssemblyScript compiled to WebAssembly with 128-bit
// SIMD (two float64 lanes). The plain-TypeScript kernels of src/math/linalg.ts are the reference;
// these compute the same sums in another order (within rounding of them, tests in
// src/wasm/wasm-kernels.test.ts). Built by scripts/build-wasm.mjs into src/wasm/row-kernels.generated.ts.
//
// Memory: every argument is a byte offset into this instance's memory, which the host lays out
// (src/wasm/wasm-kernels.ts). Matrices are row-major float64; A is n×d. No allocation here.
//
// Reductions over rows (Aᵀv, the Gram) go block by block: rows [b·B, (b+1)·B) for a fixed B
// (`blockRows`, a multiple of the chunk size) are summed into a partial from zero, and the
// partials are added in block order. With `fold` = 1 the kernel adds them itself; with `fold` = 0
// it writes each block's partial, and the host adds them in the same order: row shards hold whole
// blocks, so any number of shards gives the same bits as one (src/engine/row-shards.ts).
//
// Rows are streamed one at a time with four independent two-lane accumulators: measured on V8,
// that reads A at 15–21 GB/s where passes over four rows at once ran at 7–8 GB/s.

const TILE: i32 = 4; // the Gram's register tile: 4×4 outputs in 8 two-lane registers

/** Σ_j r[j]·x[j] over d entries: four two-lane chains over 8 entries a step, then the tails. */
function rowDot(r: usize, x: usize, d: i32): f64 {
  const d8 = d & ~7;
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  for (let j = 0; j < d8; j += 8) {
    const o = (<usize>j) << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(r + o), v128.load(x + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(r + o, 16), v128.load(x + o, 16)));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(r + o, 32), v128.load(x + o, 32)));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(r + o, 48), v128.load(x + o, 48)));
  }
  let j = d8;
  for (; j + 2 <= d; j += 2) {
    const o = (<usize>j) << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(r + o), v128.load(x + o)));
  }
  const s = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (j < d) t += load<f64>(r + ((<usize>j) << 3)) * load<f64>(x + ((<usize>j) << 3));
  return t;
}

/** out[j] += c·r[j] for j < d. */
function axpy(out: usize, c: f64, r: usize, d: i32): void {
  const cv = f64x2.splat(c);
  const d8 = d & ~7;
  for (let j = 0; j < d8; j += 8) {
    const o = (<usize>j) << 3;
    const op = out + o;
    const rp = r + o;
    v128.store(op, f64x2.add(v128.load(op), f64x2.mul(cv, v128.load(rp))));
    v128.store(op, f64x2.add(v128.load(op, 16), f64x2.mul(cv, v128.load(rp, 16))), 16);
    v128.store(op, f64x2.add(v128.load(op, 32), f64x2.mul(cv, v128.load(rp, 32))), 32);
    v128.store(op, f64x2.add(v128.load(op, 48), f64x2.mul(cv, v128.load(rp, 48))), 48);
  }
  let j = d8;
  for (; j + 2 <= d; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(cv, v128.load(r + o))));
  }
  if (j < d) {
    const o = (<usize>j) << 3;
    store<f64>(out + o, load<f64>(out + o) + c * load<f64>(r + o));
  }
}

/** dst[j] += src[j] for j < len (the fold of one block's partial; same adds as the host's). */
function addInto(dst: usize, src: usize, len: i32): void {
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
  }
  if (j < len) {
    const o = (<usize>j) << 3;
    store<f64>(dst + o, load<f64>(dst + o) + load<f64>(src + o));
  }
}

/** u = A·x. */
export function matVec(A: usize, n: i32, d: i32, x: usize, u: usize): void {
  const rowBytes = (<usize>d) << 3;
  for (let i = 0; i < n; i++) store<f64>(u + ((<usize>i) << 3), rowDot(A + <usize>i * rowBytes, x, d));
}

/** part_p += V_p[i]·A[i,:] for rows i in [i0, i1) and p < k (V: k vectors of n; part: k of d). */
function accumulateAtV(A: usize, n: i32, d: i32, V: usize, k: i32, part: usize, i0: i32, i1: i32): void {
  const rowBytes = (<usize>d) << 3;
  const vBytes = (<usize>n) << 3;
  for (let i = i0; i < i1; i++) {
    const r = A + <usize>i * rowBytes;
    for (let p = 0; p < k; p++) {
      const c = load<f64>(V + <usize>p * vBytes + ((<usize>i) << 3));
      if (c != 0) axpy(part + <usize>p * rowBytes, c, r, d);
    }
  }
}

/** Blocks of `blockRows` rows in n rows. */
function blockCount(n: i32, blockRows: i32): i32 {
  return (n + blockRows - 1) / blockRows;
}

/**
 * Aᵀ·V_p for p < k, block by block. fold = 1: out (k·d) = the sum of the block partials in block
 * order, `part` (k·d) is scratch. fold = 0: block b's partial goes to out + b·k·d (part unused).
 */
export function matTVecs(
  A: usize,
  n: i32,
  d: i32,
  V: usize,
  k: i32,
  out: usize,
  part: usize,
  blockRows: i32,
  fold: i32,
): void {
  const kdBytes = <usize>k * ((<usize>d) << 3);
  if (fold) memory.fill(out, 0, kdBytes);
  const blocks = blockCount(n, blockRows);
  for (let b = 0; b < blocks; b++) {
    const i0 = b * blockRows;
    const i1 = min(i0 + blockRows, n);
    const dst = fold ? part : out + <usize>b * kdBytes;
    memory.fill(dst, 0, kdBytes);
    accumulateAtV(A, n, d, V, k, dst, i0, i1);
    if (fold) addInto(out, part, k * d);
  }
}

/**
 * Bytes of scratch {@link gramAndAtV} needs for d columns, k vectors and chunks of `rows` rows:
 * a padded d4×d4 block Gram (d4 = d rounded up to 4), k·d for the block's Aᵀv, and two padded
 * row chunks (A's rows and δ-scaled rows).
 */
export function gramScratchBytes(d: i32, k: i32, rows: i32): usize {
  const d4 = <usize>((d + TILE - 1) & ~(TILE - 1));
  return (d4 * d4 + <usize>k * <usize>d + 2 * <usize>rows * d4) << 3;
}

/**
 * The Gram's upper triangle Aᵀ·diag(δ)·A in padded d4×d4 form (d4 = ⌈d/4⌉·4; entries below the
 * diagonal tiles are not written) and Aᵀ·V_p (p < k), from one pass over A, block by block (see
 * the file's header for `blockRows` and `fold`: fold = 0 writes block b's Gram at G + b·d4²·8 and
 * its Aᵀv at out + b·k·d·8).
 *
 * Within a block, A is read in chunks of `rows` rows (blockRows is a multiple of rows). Each
 * chunk is copied once into zero-padded rows of d4 entries (and once more scaled by δ), so the
 * tile loop has no edge cases; Aᵀv is accumulated from the same rows while they are in cache. The
 * upper triangle is computed in 4×4 tiles: per row, four broadcast entries of δ·a times two
 * vectors of a give 16 products into eight two-lane registers; each tile touches the block's Gram
 * once per chunk.
 */
export function gramAndAtV(
  A: usize,
  n: i32,
  d: i32,
  delta: usize,
  V: usize,
  k: i32,
  G: usize,
  out: usize,
  scratch: usize,
  rows: i32,
  blockRows: i32,
  fold: i32,
): void {
  const d4 = (d + TILE - 1) & ~(TILE - 1);
  const d4Bytes = (<usize>d4) << 3;
  const gBytes = <usize>d4 * d4Bytes;
  const rowBytes = (<usize>d) << 3;
  const kdBytes = <usize>k * rowBytes;
  const Gb = scratch; // the block's padded Gram
  const partV = Gb + gBytes; // the block's Aᵀv
  const chunkA = partV + kdBytes;
  const chunkS = chunkA + <usize>rows * d4Bytes;
  memory.fill(chunkA, 0, 2 * <usize>rows * d4Bytes); // padding columns stay 0
  if (fold) {
    memory.fill(G, 0, gBytes);
    memory.fill(out, 0, kdBytes);
  }
  const blocks = blockCount(n, blockRows);
  for (let b = 0; b < blocks; b++) {
    const gDst = fold ? Gb : G + <usize>b * gBytes;
    const vDst = fold ? partV : out + <usize>b * kdBytes;
    memory.fill(gDst, 0, gBytes);
    memory.fill(vDst, 0, kdBytes);
    const bEnd = min((b + 1) * blockRows, n);
    for (let i0 = b * blockRows; i0 < bEnd; i0 += rows) {
      const i1 = min(i0 + rows, bEnd);
      // Copy the chunk (padded) and its δ-scaled copy; rows with δ = 0 add nothing to G.
      let live = 0;
      for (let i = i0; i < i1; i++) {
        const di = load<f64>(delta + ((<usize>i) << 3));
        if (di == 0) continue;
        const src = A + <usize>i * rowBytes;
        const dstA = chunkA + <usize>live * d4Bytes;
        const dstS = chunkS + <usize>live * d4Bytes;
        memory.copy(dstA, src, rowBytes);
        memory.fill(dstS, 0, rowBytes);
        axpy(dstS, di, src, d);
        live++;
      }
      if (k > 0) accumulateAtV(A, n, d, V, k, vDst, i0, i1);
      for (let jb = 0; jb < d4 && live > 0; jb += TILE) {
        for (let kb = jb; kb < d4; kb += TILE) {
          let g00 = f64x2.splat(0);
          let g01 = f64x2.splat(0);
          let g10 = f64x2.splat(0);
          let g11 = f64x2.splat(0);
          let g20 = f64x2.splat(0);
          let g21 = f64x2.splat(0);
          let g30 = f64x2.splat(0);
          let g31 = f64x2.splat(0);
          let s = chunkS + ((<usize>jb) << 3);
          let a = chunkA + ((<usize>kb) << 3);
          for (let r = 0; r < live; r++) {
            const ak0 = v128.load(a);
            const ak1 = v128.load(a, 16);
            const s0 = f64x2.splat(load<f64>(s));
            const s1 = f64x2.splat(load<f64>(s, 8));
            const s2 = f64x2.splat(load<f64>(s, 16));
            const s3 = f64x2.splat(load<f64>(s, 24));
            g00 = f64x2.add(g00, f64x2.mul(s0, ak0));
            g01 = f64x2.add(g01, f64x2.mul(s0, ak1));
            g10 = f64x2.add(g10, f64x2.mul(s1, ak0));
            g11 = f64x2.add(g11, f64x2.mul(s1, ak1));
            g20 = f64x2.add(g20, f64x2.mul(s2, ak0));
            g21 = f64x2.add(g21, f64x2.mul(s2, ak1));
            g30 = f64x2.add(g30, f64x2.mul(s3, ak0));
            g31 = f64x2.add(g31, f64x2.mul(s3, ak1));
            s += d4Bytes;
            a += d4Bytes;
          }
          const t = gDst + <usize>jb * d4Bytes + ((<usize>kb) << 3);
          v128.store(t, f64x2.add(v128.load(t), g00));
          v128.store(t, f64x2.add(v128.load(t, 16), g01), 16);
          const t1 = t + d4Bytes;
          v128.store(t1, f64x2.add(v128.load(t1), g10));
          v128.store(t1, f64x2.add(v128.load(t1, 16), g11), 16);
          const t2 = t1 + d4Bytes;
          v128.store(t2, f64x2.add(v128.load(t2), g20));
          v128.store(t2, f64x2.add(v128.load(t2, 16), g21), 16);
          const t3 = t2 + d4Bytes;
          v128.store(t3, f64x2.add(v128.load(t3), g30));
          v128.store(t3, f64x2.add(v128.load(t3, 16), g31), 16);
        }
      }
    }
    if (fold) {
      addInto(G, Gb, d4 * d4);
      addInto(out, partV, k * d);
    }
  }
}
