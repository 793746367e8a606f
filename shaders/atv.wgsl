// Aᵀ·V for R ∈ {1, 4, 6} right-hand sides per config (the gradient's g plus the Hessian's ≤ 5 low-rank
// vectors), batched over configs. Block pass: a workgroup covers WG columns × blockRows rows of one A
// chunk for one config; thread j reads A[i][j] (coalesced across threads) once for all R vectors and
// writes R partial sums. Combine pass: per (config, rhs, column) a workgroup tree-sums the blocks.
// Precision: serial float32 sums of blockRows terms, then a tree over blocks.

override WG: u32 = 64u;   // must be a power of two

// Dispatch: (ceil(d / WG), blocks in this chunk, kCount).
// partials[((k·R + r)·nb + blockOffset + block)·d + j].
@compute @workgroup_size(WG)
fn atvBlocks(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let j = gid.x;
  if (j >= P.d) {
    return;
  }
  let blk = wid.y;
  let k = wid.z;
  let rs = P.rowOffset + blk * P.blockRows;
  let re = min(rs + P.blockRows, P.rowOffset + P.rows);
  // R is uniform and one of 1 (gradient), 4 ('global' Hessian) or 6 ('separate'): one loop per
  // case with named accumulators keeps them in registers (a dynamically indexed array<f32, 6> with a
  // per-row loop over r spilled to memory and made this pass 2x the cost of the matvec).
  var acc = vec4<f32>(0.0); // slots 0..3
  var acc2 = vec2<f32>(0.0); // slots 4..5
  let vb = k * P.R * P.n;
  let n = P.n;
  if (P.R == 1u) {
    var s = 0.0;
    for (var i = rs; i < re; i++) {
      s += A[(i - P.chunkRow0) * P.d + j] * V[vb + i];
    }
    acc.x = s;
  } else if (P.R == 4u) {
    for (var i = rs; i < re; i++) {
      let a = A[(i - P.chunkRow0) * P.d + j];
      let v = vec4<f32>(V[vb + i], V[vb + n + i], V[vb + 2u * n + i], V[vb + 3u * n + i]);
      acc += a * v;
    }
  } else {
    for (var i = rs; i < re; i++) {
      let a = A[(i - P.chunkRow0) * P.d + j];
      let v = vec4<f32>(V[vb + i], V[vb + n + i], V[vb + 2u * n + i], V[vb + 3u * n + i]);
      acc += a * v;
      acc2 += a * vec2<f32>(V[vb + 4u * n + i], V[vb + 5u * n + i]);
    }
  }
  let o = (k * P.R * P.nb + P.blockOffset + blk) * P.d + j; // slot r adds r·nb·d
  let stride = P.nb * P.d;
  partials[o] = acc.x;
  if (P.R >= 4u) {
    partials[o + stride] = acc.y;
    partials[o + 2u * stride] = acc.z;
    partials[o + 3u * stride] = acc.w;
  }
  if (P.R == 6u) {
    partials[o + 4u * stride] = acc2.x;
    partials[o + 5u * stride] = acc2.y;
  }
}

var<workgroup> red: array<f32, WG>;

// Dispatch: (d, kCount·R). Writes outAtV[((k0 + k)·6 + r)·d + j].
@compute @workgroup_size(WG)
fn atvCombine(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let j = wid.x;
  let kr = wid.y;
  let t = lid.x;
  var s = 0.0;
  for (var b = t; b < P.nb; b += WG) {
    s += partials[(kr * P.nb + b) * P.d + j];
  }
  red[t] = s;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (t < h) {
      red[t] = red[t] + red[t + h];
    }
    workgroupBarrier();
  }
  if (t == 0u) {
    let k = kr / P.R;
    let r = kr % P.R;
    outAtV[((P.k0 + k) * 6u + r) * P.d + j] = red[0];
  }
}
