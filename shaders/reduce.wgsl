// Scalar reductions of math.md §4 as tree sums: a block pass (each thread sums ITEMS rows, then a
// shared-memory tree over WG threads) writes 8 partial sums per block, and a combine pass sums the
// blocks of a config with WG strided accumulators and a tree. No float atomics, no thread loops
// over n. Precision: float32 with a pairwise-style error of about (ITEMS + nb/WG + log2 n)·ε
// relative to Σ|terms| (ε = 2⁻²⁴), i.e. ~1e-6 for the sizes here.

override WG: u32 = 64u;   // must be a power of two
override ITEMS: u32 = 4u;

var<workgroup> redA: array<vec4<f32>, WG>;
var<workgroup> redB: array<vec4<f32>, WG>;

fn treeAndStore(t: u32, o: u32) {
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (t < s) {
      redA[t] = redA[t] + redA[t + s];
      redB[t] = redB[t] + redB[t + s];
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    partials[o] = redA[0].x;
    partials[o + 1u] = redA[0].y;
    partials[o + 2u] = redA[0].z;
    partials[o + 3u] = redA[0].w;
    partials[o + 4u] = redB[0].x;
    partials[o + 5u] = redB[0].y;
    partials[o + 6u] = redB[0].z;
    partials[o + 7u] = redB[0].w;
  }
}

// Dispatch: (nb, kCount). Per block: (ℓ, ℓ1, ℓ2free, s0 | s1, κ0, κ1, reg). Needs the softmax stats.
@compute @workgroup_size(WG)
fn sumsBlock(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let k = wid.y;
  let t = lid.x;
  let base = wid.x * WG * ITEMS;
  var a = vec4<f32>(0.0);
  var b = vec4<f32>(0.0);
  for (var q = 0u; q < ITEMS; q++) {
    let i = base + q * WG + t;
    if (i < P.n) {
      let u = U[k * P.n + i];
      let r = rowAt(k, i, u);
      a += vec4<f32>(r.c * r.c, r.ct * r.ct, (1.0 - r.m) * r.c * r.c, r.f * r.c);
      b += vec4<f32>(r.phi * r.ct, r.f * r.f, r.m * r.phi * r.phi, 0.5 * w2[i] * u * u);
    }
  }
  redA[t] = a;
  redB[t] = b;
  treeAndStore(t, (k * P.nb + wid.x) * 8u);
}

// Dispatch: (nb, kCount). Per block: Σ over rows with δ_i > 0 of δ_i·lev_i, the normaliser of the
// sketch's sampling probabilities (src/math/sketch.ts). Needs δ (buildRhs with R > 1).
@compute @workgroup_size(WG)
fn sketchBlock(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let k = wid.y;
  let t = lid.x;
  let base = wid.x * WG * ITEMS;
  var q = 0.0;
  for (var item = 0u; item < ITEMS; item++) {
    let i = base + item * WG + t;
    if (i < P.n) {
      let di = delta[k * P.n + i];
      if (di > 0.0) {
        q += di * lev[i];
      }
    }
  }
  redA[t] = vec4<f32>(q, 0.0, 0.0, 0.0);
  redB[t] = vec4<f32>(0.0);
  treeAndStore(t, (k * P.nb + wid.x) * 8u);
}

// Dispatch: (kCount). mode 0 (after sumsBlock): writes scalars[S_L..S_REG], α, β3 and the method's
// F₁, F₂; mode 1 (after sketchBlock): scalars[S_QSUM..+7].
@compute @workgroup_size(WG)
fn sumsCombine(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let k = wid.x;
  let t = lid.x;
  var a = vec4<f32>(0.0);
  var b = vec4<f32>(0.0);
  for (var blk = t; blk < P.nb; blk += WG) {
    let o = (k * P.nb + blk) * 8u;
    a += vec4<f32>(partials[o], partials[o + 1u], partials[o + 2u], partials[o + 3u]);
    b += vec4<f32>(partials[o + 4u], partials[o + 5u], partials[o + 6u], partials[o + 7u]);
  }
  redA[t] = a;
  redB[t] = b;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (t < s) {
      redA[t] = redA[t] + redA[t + s];
      redB[t] = redB[t] + redB[t + s];
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    let kg = P.k0 + k;
    let sb = kg * SC_STRIDE + select(S_L, S_QSUM, P.mode == 1u);
    scalars[sb] = redA[0].x;
    scalars[sb + 1u] = redA[0].y;
    scalars[sb + 2u] = redA[0].z;
    scalars[sb + 3u] = redA[0].w;
    scalars[sb + 4u] = redB[0].x;
    scalars[sb + 5u] = redB[0].y;
    scalars[sb + 6u] = redB[0].z;
    scalars[sb + 7u] = redB[0].w;
    if (P.mode == 0u) {
      // γc = 0 gives α = β3 = 0 even when ℓ1 = 0 (no 0/0), matching the float64 reference.
      let g = configs[kg].gammaC;
      let l1 = redA[0].y;
      scalars[kg * SC_STRIDE + S_ALPHA] = select(0.0, 2.0 * g / (l1 * l1), g > 0.0);
      scalars[kg * SC_STRIDE + S_BETA3] = select(0.0, 8.0 * g / (l1 * l1 * l1), g > 0.0);
      // The family's gradient coefficients (math.md §9), read by buildRhs for methods other than the
      // paper's (which keeps α above). ℓ2 as lossPartsFromSums takes it: the free rows' sum under
      // 'global', ℓ − ℓ1 under 'separate'.
      let cfg = configs[kg];
      let l2 = select(redA[0].z, redA[0].x - l1, cfg.reading == 1u);
      let dF = methodF12(cfg.method, g, cfg.tauTarget, l1, l2, f32(cfg.n1), f32(P.n - cfg.n1));
      scalars[kg * SC_STRIDE + S_F1] = dF.x;
      scalars[kg * SC_STRIDE + S_F2] = dF.y;
    }
  }
}
