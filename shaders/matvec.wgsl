// U[k][i] = Σ_j A[i][j] · X[k0+k][j] for the rows of one A chunk and up to TK configs per thread:
// each thread reads its row of A once for TK configs (A is read ceil(kCount/TK) times in all).
// Dispatch: (ceil(rows / WG), ceil(kCount / TK)). X must be padded with TK·d zeros past the last
// config. Precision: a serial float32 dot product of length d (error ≲ d·ε·Σ|a x|).

override WG: u32 = 64u;
const TK: u32 = 8u; // configs per thread; the vec4 pair below is written for exactly 8

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
  // Named accumulators, not a dynamically indexed array (which SwiftShader keeps in memory): a
  // scalar loop for a lone config (K = 1, every single solve), else all TK configs at once as two
  // vec4s, reading the zero padding of X for the slots past kCount (their sums are dropped).
  if (kq == 1u) {
    var s = 0.0;
    for (var j = 0u; j < P.d; j++) {
      s += A[aBase + j] * X[xBase + j];
    }
    U[kt0 * P.n + i] = s;
    return;
  }
  let d = P.d;
  var lo = vec4<f32>(0.0); // configs kt0 + 0..3
  var hi = vec4<f32>(0.0); // configs kt0 + 4..7
  for (var j = 0u; j < d; j++) {
    let a = A[aBase + j];
    let xb = xBase + j;
    lo += a * vec4<f32>(X[xb], X[xb + d], X[xb + 2u * d], X[xb + 3u * d]);
    hi += a * vec4<f32>(X[xb + 4u * d], X[xb + 5u * d], X[xb + 6u * d], X[xb + 7u * d]);
  }
  for (var q = 0u; q < kq; q++) {
    U[(kt0 + q) * P.n + i] = select(hi[q & 3u], lo[q & 3u], q < 4u);
  }
}

// The same product when d is a multiple of 4: A and X read as vec4 (one load per 4 multiply-adds
// instead of 2 per 1), through vec4 views of bindings 1 and 2 (this entry point uses only these).
@group(0) @binding(1) var<storage, read> A4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> X4: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn matvec4(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= P.rows) {
    return;
  }
  let i = P.rowOffset + r;
  let d4 = P.d / 4u;
  let aBase = (i - P.chunkRow0) * d4;
  let kt0 = gid.y * TK;
  let xBase = (P.k0 + kt0) * d4;
  let kq = min(TK, P.kCount - kt0);
  if (kq == 1u) {
    var s = vec4<f32>(0.0);
    for (var j = 0u; j < d4; j++) {
      s += A4[aBase + j] * X4[xBase + j];
    }
    U[kt0 * P.n + i] = (s.x + s.y) + (s.z + s.w);
    return;
  }
  var lo = vec4<f32>(0.0);
  var hi = vec4<f32>(0.0);
  for (var j = 0u; j < d4; j++) {
    let a = A4[aBase + j];
    let xb = xBase + j;
    lo += vec4<f32>(dot(a, X4[xb]), dot(a, X4[xb + d4]), dot(a, X4[xb + 2u * d4]), dot(a, X4[xb + 3u * d4]));
    hi += vec4<f32>(
      dot(a, X4[xb + 4u * d4]),
      dot(a, X4[xb + 5u * d4]),
      dot(a, X4[xb + 6u * d4]),
      dot(a, X4[xb + 7u * d4]),
    );
  }
  for (var q = 0u; q < kq; q++) {
    U[(kt0 + q) * P.n + i] = select(hi[q & 3u], lo[q & 3u], q < 4u);
  }
}
