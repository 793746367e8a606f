// Aᵀ·V for R ∈ {1, 4, 6} right-hand sides per config (the gradient's g plus the Hessian's ≤ 5 low-rank
// vectors), batched over configs. Block pass: a workgroup covers WG columns × blockRows rows of one A
// chunk for one config; thread j reads A[i][j] (coalesced across threads) once for all R vectors and
// writes R partial sums. Combine pass: per (config, rhs, column) one thread sums the blocks.
// Precision: serial float32 sums of blockRows terms, then 4 interleaved serial sums over the blocks.

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

// The block pass when d is a multiple of 4: thread q covers columns 4q..4q+3, reading them as one
// vec4 per row (1 load of A per 4·R multiply-adds instead of 1 per R). Dispatch: (ceil(d / 4 / WG),
// blocks in this chunk, kCount); same partials layout.
@group(0) @binding(1) var<storage, read> A4: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn atvBlocks4(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let q = gid.x;
  let d4 = P.d / 4u;
  if (q >= d4) {
    return;
  }
  let blk = wid.y;
  let k = wid.z;
  let rs = P.rowOffset + blk * P.blockRows;
  let re = min(rs + P.blockRows, P.rowOffset + P.rows);
  let vb = k * P.R * P.n;
  let n = P.n;
  var s0 = vec4<f32>(0.0); // Σ A[i][4q..4q+3] · V[slot][i], one vec4 per slot
  var s1 = vec4<f32>(0.0);
  var s2 = vec4<f32>(0.0);
  var s3 = vec4<f32>(0.0);
  var s4 = vec4<f32>(0.0);
  var s5 = vec4<f32>(0.0);
  if (P.R == 1u) {
    for (var i = rs; i < re; i++) {
      s0 += A4[(i - P.chunkRow0) * d4 + q] * V[vb + i];
    }
  } else if (P.R == 4u) {
    for (var i = rs; i < re; i++) {
      let a = A4[(i - P.chunkRow0) * d4 + q];
      s0 += a * V[vb + i];
      s1 += a * V[vb + n + i];
      s2 += a * V[vb + 2u * n + i];
      s3 += a * V[vb + 3u * n + i];
    }
  } else {
    for (var i = rs; i < re; i++) {
      let a = A4[(i - P.chunkRow0) * d4 + q];
      s0 += a * V[vb + i];
      s1 += a * V[vb + n + i];
      s2 += a * V[vb + 2u * n + i];
      s3 += a * V[vb + 3u * n + i];
      s4 += a * V[vb + 4u * n + i];
      s5 += a * V[vb + 5u * n + i];
    }
  }
  let stride = P.nb * P.d; // slot r adds r·nb·d
  let o = (k * P.R * P.nb + P.blockOffset + blk) * P.d + 4u * q;
  for (var c = 0u; c < 4u; c++) {
    partials[o + c] = s0[c];
    if (P.R >= 4u) {
      partials[o + stride + c] = s1[c];
      partials[o + 2u * stride + c] = s2[c];
      partials[o + 3u * stride + c] = s3[c];
    }
    if (P.R == 6u) {
      partials[o + 4u * stride + c] = s4[c];
      partials[o + 5u * stride + c] = s5[c];
    }
  }
}

// Dispatch: (ceil(d / WG), kCount·R). Writes outAtV[((k0 + k)·6 + r)·d + j]. One thread per
// column sums its nb block partials (reads coalesced across j) in 4 interleaved float32 sums: no
// barriers (a 64-thread tree per column made this pass cost as much as the block pass on
// SwiftShader at d = 256), and with nb ≲ 256 blocks the error stays ≲ (nb/4)·ε of Σ|partials|.
@compute @workgroup_size(WG)
fn atvCombine(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  if (j >= P.d) {
    return;
  }
  let kr = gid.y;
  let base = kr * P.nb * P.d + j;
  var s = vec4<f32>(0.0);
  var b = 0u;
  for (; b + 3u < P.nb; b += 4u) {
    let o = base + b * P.d;
    s += vec4<f32>(partials[o], partials[o + P.d], partials[o + 2u * P.d], partials[o + 3u * P.d]);
  }
  for (; b < P.nb; b++) {
    s.x += partials[base + b * P.d];
  }
  let k = kr / P.R;
  let r = kr % P.R;
  outAtV[((P.k0 + k) * 6u + r) * P.d + j] = (s.x + s.y) + (s.z + s.w);
}
