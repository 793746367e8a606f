// Elementwise n-vectors of math.md §4.2–4.4, one thread per (row, config).
// Dispatch: (ceil(n / WG), kCount). Needs the softmax stats and the sums (s0, s1, α, β3).

override WG: u32 = 64u;

// V[k][0] = g = p0 − α p1 + w² u (so ∇L = Aᵀg). With P.R > 1 also the Hessian's low-rank vectors
// V[k][1..] = [f, ρ, p1] ('global', ρ = r0 − α r1) or [f, r0, φ, r1, p1] ('separate'), and the Gram
// weights δ = r0 − α r1 + w² (the same formula under both readings).
@compute @workgroup_size(WG)
fn buildRhs(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  let k = gid.y;
  if (i >= P.n) {
    return;
  }
  let n = P.n;
  let kg = P.k0 + k;
  let u = U[k * n + i];
  let r = rowAt(k, i, u);
  let alpha = scalars[kg * SC_STRIDE + S_ALPHA];
  let wi = w2[i];
  let base = k * P.R * n + i;
  V[base] = r.p0 - alpha * r.p1 + wi * u;
  if (P.R > 1u) {
    let rho = r.r0 - alpha * r.r1;
    delta[k * n + i] = rho + wi;
    V[base + n] = r.f;
    if (configs[kg].reading == 1u) {
      V[base + 2u * n] = r.r0;
      V[base + 3u * n] = r.phi;
      V[base + 4u * n] = r.r1;
      V[base + 5u * n] = r.p1;
    } else {
      V[base + 2u * n] = rho;
      V[base + 3u * n] = r.p1;
      if (P.R > 4u) {
        V[base + 4u * n] = 0.0;
        V[base + 5u * n] = 0.0;
      }
    }
  }
}

// Hessian-vector product in u-space: z = (diag(δ) + U C Uᵀ) t with t = A v and Uᵀt from
// scalars[S_DOTS..] (math.md §4.4); then ∇²L v = Aᵀz. Writes V[k][0] (R = 1).
@compute @workgroup_size(WG)
fn buildHvp(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  let k = gid.y;
  if (i >= P.n) {
    return;
  }
  let n = P.n;
  let kg = P.k0 + k;
  let sb = kg * SC_STRIDE;
  let r = rowAt(k, i, U[k * n + i]);
  let t = T[k * n + i];
  let alpha = scalars[sb + S_ALPHA];
  let beta3 = scalars[sb + S_BETA3];
  let k0v = scalars[sb + S_K0];
  let k1v = scalars[sb + S_K1];
  let d0 = scalars[sb + S_DOTS];
  let d1 = scalars[sb + S_DOTS + 1u];
  let d2 = scalars[sb + S_DOTS + 2u];
  let d3 = scalars[sb + S_DOTS + 3u];
  let d4 = scalars[sb + S_DOTS + 4u];
  let rho = r.r0 - alpha * r.r1;
  var z = (rho + w2[i]) * t;
  if (configs[kg].reading == 1u) {
    // C = blkdiag([[κ0, −1], [−1, 0]], α[[−κ1, 1], [1, 0]], β3), U = [f, r0, φ, r1, p1].
    z += (k0v * d0 - d1) * r.f - d0 * r.r0 + alpha * (d3 - k1v * d2) * r.phi + alpha * d2 * r.r1
      + beta3 * d4 * r.p1;
  } else {
    // C = [[κ, −1, 0], [−1, 0, 0], [0, 0, β3]] with κ = κ0 − α κ1, U = [f, ρ, p1].
    let kappa = k0v - alpha * k1v;
    z += (kappa * d0 - d1) * r.f - d0 * rho + beta3 * d2 * r.p1;
  }
  V[k * n + i] = z;
}
