// Shared prefix of every kernel (the loader in src/gpu/shaders.ts prepends it to each file).
// One binding table for all kernels: a pipeline built with layout 'auto' only contains the
// bindings its entry point statically uses, and src/gpu/kernels.ts binds exactly those.
// All arithmetic is float32. Matrices are row-major; "k" is a config index local to the group of
// configs a dispatch handles, "P.k0 + k" the global one.

struct Params {
  n: u32,           // total rows of A
  d: u32,           // columns of A
  kCount: u32,      // configs handled by this dispatch
  k0: u32,          // global index of its first config
  rowOffset: u32,   // first global row of this dispatch's row range
  rows: u32,        // rows in that range
  chunkRow0: u32,   // global row stored first in the bound A chunk
  nb: u32,          // number of partial blocks per config (reductions)
  R: u32,           // right-hand sides per config in V
  blockOffset: u32, // global index of this dispatch's first AᵀV block
  blockRows: u32,   // rows per AᵀV block
  mode: u32,        // kernel-specific switch
  seedKey: u32,     // sketch: 32-bit key of the row-sampling seed (src/math/sketch.ts sketchKey)
  sketchRows: f32,  // sketch: expected number of sampled rows
  pad2: u32,
  pad3: u32,
}  // 16 x u32 = 64 bytes

// One per config; packed by packConfigs in src/gpu/kernels.ts (CONFIG_ORDER, checked by
// src/gpu/wgsl-tables.test.ts).
struct Config {
  gammaC: f32,      // the method's strength s (γc for the paper's)
  reading: u32,     // 0 = 'global' (reading A), 1 = 'separate' (reading B; the paper's method only)
  method: u32,      // METHOD_* (method-wgsl.ts: index in METHOD_NAMES of src/math/methods.ts)
  tauTarget: f32,   // τ-target's t (the engine fills in DEFAULT_TAU_TARGET); other methods ignore it
  n1: u32,          // copyrighted rows of the mask (n2 = P.n − n1), for τ = ℓ1/n1 − ℓ2/n2
  pad0: u32,
  pad1: u32,
  pad2: u32,
}  // 8 x 4 bytes = 32 bytes

// Per-config scalar slots (stride SC_STRIDE f32).
const SC_STRIDE: u32 = 32u;
const S_M: u32 = 0u;      // max u
const S_S: u32 = 1u;      // Σ exp(u − max)
const S_M1: u32 = 2u;     // max of u over masked rows
const S_S1: u32 = 3u;     // Σ over masked rows of exp(u − M1)
const S_L: u32 = 4u;      // ℓ = Σ c²
const S_L1: u32 = 5u;     // ℓ1 = Σ c̃²
const S_L2F: u32 = 6u;    // Σ over free rows of c²
const S_S0: u32 = 7u;     // s0 = ⟨f, c⟩
const S_S1D: u32 = 8u;    // s1 = ⟨φ, c̃⟩
const S_K0: u32 = 9u;     // κ0 = ‖f‖²
const S_K1: u32 = 10u;    // κ1 = ‖m∘φ‖²
const S_REG: u32 = 11u;   // ½ Σ w² u²
const S_ALPHA: u32 = 12u; // α = 2γc/ℓ1²
const S_BETA3: u32 = 13u; // β3 = 8γc/ℓ1³
const S_F1: u32 = 14u;    // F₁ of the config's method at (ℓ1, ℓ2) (methodF12; math.md §9)
const S_F2: u32 = 15u;    // F₂
const S_QSUM: u32 = 16u;  // sketch: Σ over rows with δ > 0 of δ·lev (8 slots written, 1 used)

// Stands for −∞ in max reductions; exp(NEG_BIG − m) underflows to 0 for any finite m.
const NEG_BIG: f32 = -3.0e38;

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>;             // one row chunk of A
@group(0) @binding(2) var<storage, read> X: array<f32>;             // [(k0+k)][d] parameter vectors
@group(0) @binding(3) var<storage, read_write> U: array<f32>;       // [k][n]  u = A x
@group(0) @binding(4) var<storage, read_write> T: array<f32>;       // [k][n]  t = A v (Hv products)
@group(0) @binding(5) var<storage, read> bvec: array<f32>;          // [n] target b
@group(0) @binding(6) var<storage, read> w2: array<f32>;            // [n] w²
@group(0) @binding(7) var<storage, read> masks: array<u32>;         // [k][ceil(n/32)] bitsets
@group(0) @binding(8) var<storage, read> configs: array<Config>;    // [(k0+k)]
@group(0) @binding(9) var<storage, read_write> scalars: array<f32>; // [(k0+k)][SC_STRIDE]
@group(0) @binding(10) var<storage, read_write> partials: array<f32>;
@group(0) @binding(11) var<storage, read_write> V: array<f32>;      // [k][R][n] right-hand sides
@group(0) @binding(12) var<storage, read_write> delta: array<f32>;  // [k][n] Gram weights δ
@group(0) @binding(13) var<storage, read_write> outAtV: array<f32>; // [(k0+k)][6][d]
@group(0) @binding(14) var<storage, read_write> H: array<f32>;      // [(k0+k)][d][d]
@group(0) @binding(15) var<storage, read> lev: array<f32>;          // [n] leverage scores of A

fn maskAt(k: u32, i: u32) -> f32 {
  let nw = (P.n + 31u) / 32u;
  return f32((masks[k * nw + (i >> 5u)] >> (i & 31u)) & 1u);
}

// The n-vectors of math.md §4.2 at one row, from u_i and the config's scalars.
struct Row {
  f: f32,    // softmax(u)_i
  phi: f32,  // φ_i (= f_i under 'global')
  c: f32,    // f_i − b_i
  ct: f32,   // m_i (φ_i − b_i)
  m: f32,    // mask bit as 0/1
  p0: f32,   // f c − s0 f
  r0: f32,   // f (2f − b) − s0 f
  p1: f32,   // φ c̃ − s1 φ
  r1: f32,   // m φ² + p1
}

// Needs S_M..S_S1 (softmax pass); p0, r0, p1, r1 also need S_S0, S_S1D (sums pass).
fn rowAt(k: u32, i: u32, u: f32) -> Row {
  let kg = P.k0 + k;
  let sb = kg * SC_STRIDE;
  let m = maskAt(k, i);
  let bi = bvec[i];
  var r: Row;
  r.m = m;
  r.f = exp(u - scalars[sb + S_M]) / scalars[sb + S_S];
  if (configs[kg].reading == 1u) {
    let s1 = scalars[sb + S_S1];
    r.phi = select(0.0, exp(u - scalars[sb + S_M1]) / s1, m > 0.5 && s1 > 0.0);
  } else {
    r.phi = r.f;
  }
  r.c = r.f - bi;
  r.ct = m * (r.phi - bi);
  let s0 = scalars[sb + S_S0];
  let s1d = scalars[sb + S_S1D];
  r.p0 = r.f * r.c - s0 * r.f;
  r.r0 = r.f * (2.0 * r.f - bi) - s0 * r.f;
  r.p1 = r.phi * r.ct - s1d * r.phi;
  r.r1 = m * r.phi * r.phi + r.p1;
  return r;
}
