// Element-wise kernels: the embedding gather and its backward, and the tanh-GELU and its
// derivative. One thread per element; 1-D dispatches (flatIndex).

const GELU_C: f32 = 0.7978845608028654; // √(2/π)
const GELU_A: f32 = 0.044715;

// tanh with its argument clamped to ±10: tanh(10) = 1 − 4e-9 rounds to 1 in float32 anyway, and
// the clamp keeps a built-in written as a ratio of exponentials from overflowing to NaN.
fn safeTanh(z: f32) -> f32 {
  return tanh(clamp(z, -10.0, 10.0));
}

// x[r, j] = tokEmb[token_r, j] + posEmb[position_r, j]: tokEmb at params[o0], posEmb at
// params[o1], x at cOff (R × d).
@compute @workgroup_size(WG)
fn embed(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flatIndex(gid, nwg);
  if (idx >= args.rows * args.d) {
    return;
  }
  let r = idx / args.d;
  let j = idx % args.d;
  let pos = r - seqStartOf(r);
  acts[args.cOff + idx] = params[args.o0 + tokenOf(r) * args.d + j] + params[args.o1 + pos * args.d + j];
}

// Token embedding gradient, gathered (no float atomics in WGSL): thread (v, j) adds Σ over the
// rows whose token is v of dx[r, j] into grads[o0 + v·d + j] (so it adds to the tied head's part).
// dx at aOff. Work O(vocab · d · R).
@compute @workgroup_size(WG)
fn embedBackTok(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flatIndex(gid, nwg);
  if (idx >= args.vocab * args.d) {
    return;
  }
  let v = idx / args.d;
  let j = idx % args.d;
  var s = 0.0;
  for (var r = 0u; r < args.rows; r++) {
    if (tokenOf(r) == v) {
      s += acts[args.aOff + r * args.d + j];
    }
  }
  grads[args.o0 + idx] += s;
}

// Position embedding gradient: thread (p, j) adds Σ over the rows at position p of dx[r, j] into
// grads[o1 + p·d + j]. dx at aOff. Work O(ctx · d · R).
@compute @workgroup_size(WG)
fn embedBackPos(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flatIndex(gid, nwg);
  if (idx >= args.ctx * args.d) {
    return;
  }
  let p = idx / args.d;
  let j = idx % args.d;
  var s = 0.0;
  for (var r = 0u; r < args.rows; r++) {
    if (r - seqStartOf(r) == p) {
      s += acts[args.aOff + r * args.d + j];
    }
  }
  grads[args.o1 + idx] += s;
}

// act = gelu(pre) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), m elements: pre at aOff, act at cOff.
@compute @workgroup_size(WG)
fn geluForward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flatIndex(gid, nwg);
  if (idx >= args.m) {
    return;
  }
  let x = acts[args.aOff + idx];
  acts[args.cOff + idx] = 0.5 * x * (1.0 + safeTanh(GELU_C * (x + GELU_A * x * x * x)));
}

// dPre = dAct · gelu'(pre), m elements: dAct at aOff, pre at bOff, dPre at cOff.
@compute @workgroup_size(WG)
fn geluBackward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flatIndex(gid, nwg);
  if (idx >= args.m) {
    return;
  }
  let x = acts[args.bOff + idx];
  let t = safeTanh(GELU_C * (x + GELU_A * x * x * x));
  let g = 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * GELU_C * (1.0 + 3.0 * GELU_A * x * x);
  acts[args.cOff + idx] = acts[args.aOff + idx] * g;
}
