// Elementwise n-vectors of math.md §4.2–4.4 and §9, one thread per (row, config).
// Dispatch: (ceil(n / WG), kCount). Needs the softmax stats and the sums (s0, s1, α, β3, F₁, F₂).

override WG: u32 = 64u;

// The family of math.md §9 (methods other than the paper's; 'global' only, so φ = f) at one row:
// g = 2F₁p1 + 2F₂p2 + w²u, and with P.R > 1 the Gram weights δ = ρ + w² and the low-rank vectors
// V[k][1..5] = [f, ρ, p1, p2, 0] with ρ = 2F₁r1 + 2F₂r2 (the engine asks R = 6 for these; the
// guard only keeps a wrong R = 4 from writing into the next config's slots).
// r.p1 = f·m·c − s1·f and r.r1 = m·f² + p1 are the §9 block-1 vectors under 'global'.
fn familyRhs(k: u32, i: u32, u: f32, r: Row, base: u32) {
  let n = P.n;
  let sb = (P.k0 + k) * SC_STRIDE;
  let tF1 = 2.0 * scalars[sb + S_F1];
  let tF2 = 2.0 * scalars[sb + S_F2];
  // s2 = ⟨f, (1−m)∘c⟩ = s0 − s1; its float32 error is that of s0, as in the paper's p0.
  let s2 = scalars[sb + S_S0] - scalars[sb + S_S1D];
  let free = 1.0 - r.m;
  let p2 = free * r.f * r.c - s2 * r.f;
  let wi = w2[i];
  V[base] = tF1 * r.p1 + tF2 * p2 + wi * u;
  if (P.R > 1u) {
    let rho = tF1 * r.r1 + tF2 * (free * r.f * r.f + p2);
    delta[k * n + i] = rho + wi;
    V[base + n] = r.f;
    V[base + 2u * n] = rho;
    V[base + 3u * n] = r.p1;
    if (P.R > 4u) {
      V[base + 4u * n] = p2;
      V[base + 5u * n] = 0.0;
    }
  }
}

// V[k][0] = g = p0 − α p1 + w² u (so ∇L = Aᵀg). With P.R > 1 also the Hessian's low-rank vectors
// V[k][1..] = [f, ρ, p1] ('global', ρ = r0 − α r1) or [f, r0, φ, r1, p1] ('separate'), and the Gram
// weights δ = r0 − α r1 + w² (the same formula under both readings). Configs of another method take
// familyRhs instead.
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
  let base = k * P.R * n + i;
  if (configs[kg].method != METHOD_PAPER) {
    familyRhs(k, i, u, r, base);
    return;
  }
  let alpha = scalars[kg * SC_STRIDE + S_ALPHA];
  let wi = w2[i];
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

// Hessian-vector products: V[k][0] = δ ∘ t with t = A v, so that the atv pass gives Aᵀdiag(δ)A v in
// slot 0 beside AᵀU in slots 1.. (buildRhs wrote δ and U first); the low-rank part (AᵀU)C(AᵀU)ᵀv
// is added in float64 on the CPU with the C of src/math/objective.ts. Dispatch: (ceil(n / WG), kCount).
@compute @workgroup_size(WG)
fn deltaTimes(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  let k = gid.y;
  if (i >= P.n) {
    return;
  }
  V[k * P.R * P.n + i] = delta[k * P.n + i] * T[k * P.n + i];
}

// The murmur3 32-bit finaliser; the TypeScript twin is fmix32 in src/math/sketch.ts (u32 only, so
// both give the same bits).
fn fmix32(x: u32) -> u32 {
  var h = x;
  h ^= h >> 16u;
  h *= 0x85ebca6bu;
  h ^= h >> 13u;
  h *= 0xc2b2ae35u;
  h ^= h >> 16u;
  return h;
}

// Row i's sampling coin under the seed key, on the 2⁻²⁴ grid of [0, 1) (exact in f32), as
// sketchCoin in src/math/sketch.ts.
fn sketchCoin(key: u32, i: u32) -> f32 {
  let h = fmix32(fmix32(i ^ key) + key);
  return f32(h >> 8u) * (1.0 / 16777216.0);
}

// The sketch's Gram weights, in place of δ (src/math/sketch.ts sketchWeights): a row with δ < 0
// keeps δ; a row with δ > 0 is kept with p = min(1, rows·δ·lev/Σq) and weight δ/p; else 0. Needs
// scalars[S_QSUM] (sketchBlock + sumsCombine mode 1). Dispatch: (ceil(n / WG), kCount).
@compute @workgroup_size(WG)
fn sketchWeights(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  let k = gid.y;
  if (i >= P.n) {
    return;
  }
  let q = scalars[(P.k0 + k) * SC_STRIDE + S_QSUM];
  let di = delta[k * P.n + i];
  var wt = 0.0;
  if (di < 0.0) {
    wt = di;
  } else if (di > 0.0 && q > 0.0) {
    let p = min(1.0, P.sketchRows * di * lev[i] / q);
    if (sketchCoin(P.seedKey, i) < p) {
      wt = di / p;
    }
  }
  delta[k * P.n + i] = wt;
}
