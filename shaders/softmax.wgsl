// Two-level softmax statistics over n rows, stable for large |u|: per workgroup block the pair
// (max, Σ exp(u − max)) for all rows and for the masked rows, merged by the rule
// (m_a, s_a) ⊕ (m_b, s_b) = (m, s_a e^{m_a − m} + s_b e^{m_b − m}) with m = max(m_a, m_b); then a
// combine pass merges the blocks of each config. Exponents are always ≤ 0, so nothing overflows.
// Precision: tree merges, relative error of S ≈ O(log2 n) float32 roundings.

override WG: u32 = 64u;     // must be a power of two
override ITEMS: u32 = 4u;   // rows per thread in the block pass

var<workgroup> red: array<vec4<f32>, WG>;

fn mergeMS(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let m = max(a.x, b.x);
  return vec2<f32>(m, a.y * exp(a.x - m) + b.y * exp(b.x - m));
}

fn merge4(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(mergeMS(a.xy, b.xy), mergeMS(a.zw, b.zw));
}

// Dispatch: (nb = ceil(n / (WG·ITEMS)), kCount). partials[(k·nb + block)·4 + 0..3] = (M, S, M1, S1).
@compute @workgroup_size(WG)
fn statsBlock(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let k = wid.y;
  let t = lid.x;
  let base = wid.x * WG * ITEMS;
  var acc = vec4<f32>(NEG_BIG, 0.0, NEG_BIG, 0.0);
  for (var q = 0u; q < ITEMS; q++) {
    let i = base + q * WG + t;
    if (i < P.n) {
      let one = vec2<f32>(U[k * P.n + i], 1.0);
      let everyRow = mergeMS(acc.xy, one);
      var sel = acc.zw;
      if (maskAt(k, i) > 0.5) {
        sel = mergeMS(acc.zw, one);
      }
      acc = vec4<f32>(everyRow, sel);
    }
  }
  red[t] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (t < s) {
      red[t] = merge4(red[t], red[t + s]);
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    let o = (k * P.nb + wid.x) * 4u;
    partials[o] = red[0].x;
    partials[o + 1u] = red[0].y;
    partials[o + 2u] = red[0].z;
    partials[o + 3u] = red[0].w;
  }
}

// Dispatch: (kCount). Writes scalars[S_M..S_S1] of config k0 + k.
@compute @workgroup_size(WG)
fn statsCombine(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let k = wid.x;
  let t = lid.x;
  var acc = vec4<f32>(NEG_BIG, 0.0, NEG_BIG, 0.0);
  for (var b = t; b < P.nb; b += WG) {
    let o = (k * P.nb + b) * 4u;
    acc = merge4(acc, vec4<f32>(partials[o], partials[o + 1u], partials[o + 2u], partials[o + 3u]));
  }
  red[t] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (t < s) {
      red[t] = merge4(red[t], red[t + s]);
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    let sb = (P.k0 + k) * SC_STRIDE;
    scalars[sb + S_M] = red[0].x;
    scalars[sb + S_S] = red[0].y;
    scalars[sb + S_M1] = red[0].z;
    scalars[sb + S_S1] = red[0].w;
  }
}
