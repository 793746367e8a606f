// Aᵀ·V for R ≤ 6 right-hand sides per config (the gradient's g plus the Hessian's ≤ 5 low-rank
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
  var acc: array<f32, 6>;
  for (var i = rs; i < re; i++) {
    let a = A[(i - P.chunkRow0) * P.d + j];
    let vb = k * P.R * P.n + i;
    for (var r = 0u; r < 6u; r++) {
      if (r < P.R) {
        acc[r] += a * V[vb + r * P.n];
      }
    }
  }
  for (var r = 0u; r < P.R; r++) {
    partials[((k * P.R + r) * P.nb + P.blockOffset + blk) * P.d + j] = acc[r];
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
