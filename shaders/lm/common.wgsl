// Shared prefix of every file in shaders/lm/ (src/gpu/lm/lm-shaders.ts prepends it): the argument
// record, the one binding table and the workgroup reductions. All arithmetic is float32. Every
// tensor lives inside one of four flat buffers and is addressed by an element offset carried in
// the arguments (not by binding offsets, which would need 256-byte alignment): `params`, `grads`,
// `adamM` and `adamV` have the float64 reference's flat layout (parameterLayout of
// src/lm/transformer.ts); `acts` holds every activation, cache and activation gradient of a step.
// Matrices are row-major. Rows are the batch's positions, sequence after sequence (no padding).

// One dispatch's arguments; the meaning of the generic fields (o0…o5, f0…f7) is stated at each
// entry point. Packed by src/gpu/lm/lm-gpu.ts (ARG_FIELDS, same order).
struct Args {
  m: u32,       // rows of the output (or element count of a 1-D kernel)
  n: u32,       // columns of the output
  k: u32,       // inner (summed) dimension
  flags: u32,   // kernel-specific switches
  aOff: u32,    // first operand
  bOff: u32,    // second operand
  cOff: u32,    // output
  biasOff: u32, // bias (in params)
  resOff: u32,  // residual added to the output (in acts)
  aRow: u32,    // first operand's stride between output rows
  aCol: u32,    // first operand's stride along the inner dimension
  bRow: u32,    // second operand's stride along the inner dimension
  bCol: u32,    // second operand's stride between output columns
  rows: u32,    // positions in the batch (R)
  d: u32,       // model width
  heads: u32,
  ctx: u32,     // context length (positions per sequence at most)
  vocab: u32,
  o0: u32,
  o1: u32,
  o2: u32,
  o3: u32,
  o4: u32,
  o5: u32,
  f0: f32,
  f1: f32,
  f2: f32,
  f3: f32,
  f4: f32,
  f5: f32,
  f6: f32,
  f7: f32,
}  // 32 x 4 bytes = 128 bytes

// One bind group layout for every pipeline: the forward and backward kernels never write
// `params`, `adamM` or `adamV`, but AdamW does, and one layout keeps one bind group per step.
@group(0) @binding(0) var<uniform> args: Args;
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> grads: array<f32>;
@group(0) @binding(3) var<storage, read_write> acts: array<f32>;
// R tokens, R labels (−100 = padding), R copyright flags (0/1), R sequence starts (row of the
// row's position 0), R sequence lengths.
@group(0) @binding(4) var<storage, read> ints: array<i32>;
@group(0) @binding(5) var<storage, read_write> adamM: array<f32>;
@group(0) @binding(6) var<storage, read_write> adamV: array<f32>;

const IGNORE_INDEX: i32 = -100;
// Stands for −∞ in max reductions; exp(NEG_BIG − m) underflows to 0 for any finite m.
const NEG_BIG: f32 = -3.0e38;

fn tokenOf(r: u32) -> u32 { return u32(ints[r]); }
fn labelOf(r: u32) -> i32 { return ints[args.rows + r]; }
fn copyrightOf(r: u32) -> bool { return ints[2u * args.rows + r] != 0; }
fn seqStartOf(r: u32) -> u32 { return u32(ints[3u * args.rows + r]); }
fn seqLenOf(r: u32) -> u32 { return u32(ints[4u * args.rows + r]); }

// Threads per workgroup of the 1-D kernels, and of the one-workgroup-per-row reductions (a power
// of two; small, since SwiftShader is slow with large workgroups and many barriers).
override WG: u32 = 64u;
override RWG: u32 = 32u;

// Flat index of a 1-D kernel's thread; dispatches wider than 65535 workgroups use y as well.
fn flatIndex(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

var<workgroup> red: array<f32, RWG>;

// Σ of v over the RWG threads of the workgroup (call in uniform control flow). Tree order: the
// float32 error is O(log2 RWG) roundings beyond that of each thread's own partial sum.
fn wgSum(v: f32, t: u32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  for (var s = RWG / 2u; s > 0u; s = s / 2u) {
    if (t < s) {
      red[t] += red[t + s];
    }
    workgroupBarrier();
  }
  let out = red[0];
  workgroupBarrier(); // the next reduction's first write must wait for every read of red[0]
  return out;
}

// max of v over the workgroup (call in uniform control flow).
fn wgMax(v: f32, t: u32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  for (var s = RWG / 2u; s > 0u; s = s / 2u) {
    if (t < s) {
      red[t] = max(red[t], red[t + s]);
    }
    workgroupBarrier();
  }
  let out = red[0];
  workgroupBarrier();
  return out;
}
