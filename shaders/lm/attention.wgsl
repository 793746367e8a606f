// Causal multi-head self-attention within each sequence of the batch, one thread per
// (row, head): row r at position i of a sequence starting at row s0 attends to rows s0 … s0 + i.
// The qkv rows are [q | k | v] (3·d wide), head h using columns h·dh … h·dh + dh − 1 of each.
// Probabilities are stored per (row, head) in a slot of ctx floats: probs[(r·heads + h)·ctx + j].
// Work: O(rows · heads · ctx · dh) per kernel, as the float64 reference.

// qkv at aOff (R × 3d), probabilities out at o0 (R × heads × ctx), attention output at cOff
// (R × d); f0 = 1/√dh. Dispatch: ceil(R·heads / WG) threads.
@compute @workgroup_size(WG)
fn attnForward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flatIndex(gid, nwg);
  if (idx >= args.rows * args.heads) {
    return;
  }
  let r = idx / args.heads;
  let h = idx % args.heads;
  let d = args.d;
  let dh = d / args.heads;
  let s0 = seqStartOf(r);
  let i = r - s0;
  let p0 = args.o0 + (r * args.heads + h) * args.ctx;
  let q0 = args.aOff + r * 3u * d + h * dh;
  var mx = NEG_BIG;
  for (var j = 0u; j <= i; j++) {
    let k0 = args.aOff + (s0 + j) * 3u * d + d + h * dh;
    var s = 0.0;
    for (var e = 0u; e < dh; e++) {
      s += acts[q0 + e] * acts[k0 + e];
    }
    s *= args.f0;
    acts[p0 + j] = s;
    mx = max(mx, s);
  }
  var z = 0.0;
  for (var j = 0u; j <= i; j++) {
    let w = exp(acts[p0 + j] - mx);
    acts[p0 + j] = w;
    z += w;
  }
  for (var j = 0u; j <= i; j++) {
    acts[p0 + j] /= z;
  }
  for (var e = 0u; e < dh; e++) {
    var o = 0.0;
    for (var j = 0u; j <= i; j++) {
      o += acts[p0 + j] * acts[args.aOff + (s0 + j) * 3u * d + 2u * d + h * dh + e];
    }
    acts[args.cOff + r * d + h * dh + e] = o;
  }
}

// Query side of the backward pass, thread (row r = query, head h): dP_j = dO_r·v_j, then through
// the softmax dS_j = p_j·(dP_j − Σ_j' p_j'·dP_j')·(1/√dh), stored at o1 (same slots as probs), and
// dQ_r = Σ_j dS_j·k_j written into the q columns of dqkv. dO at aOff (R × d), qkv at bOff, probs
// at o0, dqkv at cOff (R × 3d); f0 = 1/√dh.
@compute @workgroup_size(WG)
fn attnBackQ(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flatIndex(gid, nwg);
  if (idx >= args.rows * args.heads) {
    return;
  }
  let r = idx / args.heads;
  let h = idx % args.heads;
  let d = args.d;
  let dh = d / args.heads;
  let s0 = seqStartOf(r);
  let i = r - s0;
  let slot = (r * args.heads + h) * args.ctx;
  let go = args.aOff + r * d + h * dh;
  var dot = 0.0;
  for (var j = 0u; j <= i; j++) {
    let v0 = args.bOff + (s0 + j) * 3u * d + 2u * d + h * dh;
    var s = 0.0;
    for (var e = 0u; e < dh; e++) {
      s += acts[go + e] * acts[v0 + e];
    }
    acts[args.o1 + slot + j] = s;
    dot += s * acts[args.o0 + slot + j];
  }
  for (var j = 0u; j <= i; j++) {
    acts[args.o1 + slot + j] = acts[args.o0 + slot + j] * (acts[args.o1 + slot + j] - dot) * args.f0;
  }
  for (var e = 0u; e < dh; e++) {
    var s = 0.0;
    for (var j = 0u; j <= i; j++) {
      s += acts[args.o1 + slot + j] * acts[args.bOff + (s0 + j) * 3u * d + d + h * dh + e];
    }
    acts[args.cOff + r * 3u * d + h * dh + e] = s;
  }
}

// Key/value side, thread (row r = key at position j, head h), gathering over the queries at
// positions i ≥ j of the same sequence (no write collisions, no atomics):
// dK_r = Σ_i dS_ij·q_i, dV_r = Σ_i p_ij·dO_i, into the k and v columns of dqkv. Same bindings as
// attnBackQ, run after it (it reads dS).
@compute @workgroup_size(WG)
fn attnBackKV(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flatIndex(gid, nwg);
  if (idx >= args.rows * args.heads) {
    return;
  }
  let r = idx / args.heads;
  let h = idx % args.heads;
  let d = args.d;
  let dh = d / args.heads;
  let s0 = seqStartOf(r);
  let j = r - s0;
  let len = seqLenOf(r);
  for (var e = 0u; e < dh; e++) {
    var dk = 0.0;
    var dv = 0.0;
    for (var i = j; i < len; i++) {
      let slot = ((s0 + i) * args.heads + h) * args.ctx + j;
      dk += acts[args.o1 + slot] * acts[args.bOff + (s0 + i) * 3u * d + h * dh + e];
      dv += acts[args.o0 + slot] * acts[args.aOff + (s0 + i) * d + h * dh + e];
    }
    acts[args.cOff + r * 3u * d + d + h * dh + e] = dk;
    acts[args.cOff + r * 3u * d + 2u * d + h * dh + e] = dv;
  }
}
