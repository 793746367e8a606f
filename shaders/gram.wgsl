// Weighted Gram H[k0+k] += Aᵀ diag(δ_k) A over one row range of one A chunk; the engine clears H,
// then dispatches once per row range, so the row sum is split into ranges and accumulated in place
// (dispatches in a pass run in order). Thread (j, l) reads A[i][j] (coalesced) and A[i][l]
// (broadcast within the workgroup row). Dispatch: (ceil(d / TILE), ceil(d / TILE), kCount).
// Precision: serial float32 sums over each row range (P.rows terms), then float32 accumulation
// over the ranges.

override TILE: u32 = 8u;

@compute @workgroup_size(TILE, TILE)
fn gram(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let l = gid.y;
  let k = gid.z;
  if (j >= P.d || l >= P.d) {
    return;
  }
  var acc = 0.0;
  let re = P.rowOffset + P.rows;
  for (var i = P.rowOffset; i < re; i++) {
    let ai = (i - P.chunkRow0) * P.d;
    acc += A[ai + j] * delta[k * P.n + i] * A[ai + l];
  }
  let o = ((P.k0 + k) * P.d + j) * P.d + l;
  H[o] += acc;
}
