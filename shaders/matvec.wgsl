// U[k][i] = Σ_j A[i][j] · X[k0+k][j] for the rows of one A chunk and up to TK configs per thread:
// each thread reads its row of A once for TK configs (A is read ceil(kCount/TK) times in all).
// Dispatch: (ceil(rows / WG), ceil(kCount / TK)). X must be padded with TK·d zeros past the last
// config. Precision: a serial float32 dot product of length d (error ≲ d·ε·Σ|a x|).

override WG: u32 = 64u;
const TK: u32 = 8u;

@compute @workgroup_size(WG)
fn matvec(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= P.rows) {
    return;
  }
  let i = P.rowOffset + r;
  let aBase = (i - P.chunkRow0) * P.d;
  let kt0 = gid.y * TK;
  let xBase = (P.k0 + kt0) * P.d;
  // Configs this thread handles: up to TK (fewer for the last tile, e.g. 1 when K = 1).
  let kq = min(TK, P.kCount - kt0);
  var acc: array<f32, 8>;
  for (var j = 0u; j < P.d; j++) {
    let a = A[aBase + j];
    for (var q = 0u; q < kq; q++) {
      acc[q] += a * X[xBase + q * P.d + j];
    }
  }
  for (var q = 0u; q < kq; q++) {
    U[(kt0 + q) * P.n + i] = acc[q];
  }
}
